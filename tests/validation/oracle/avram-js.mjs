// Run avram-js (the reference Avram validator) over an ISO 2709 file and
// print one JSON line per problem, with the record number, so its findings
// can be compared with marcato's (compare.py). Uses avram-js's own pieces
// as its CLI does with "-x marc": marcjs to read, the marc21 extension for
// record types, Validator to check.
//
//   node avram-js.mjs AVRAM_JS_DIR SCHEMA.json RECORDS.mrc [+rule|-rule...]
//
// AVRAM_JS_DIR is a copy of avram-js with its dependencies installed
// (npm ci); it is not part of marcato.
import fs from "fs"
import path from "path"
import { pathToFileURL } from "url"

const [dir, schemaFile, mrc, ...rules] = process.argv.slice(2)
const load = p => import(pathToFileURL(path.join(dir, p)).href)
const { Validator } = await load("lib/validate.js")
const { Record } = await load("lib/record.js")
const marc21 = (await load("lib/extension/marc21.js")).default
// marcjs as avram-js loads it (lib/formats.js), from its node_modules.
const { createRequire } = await import("module")
const { Marc } = createRequire(path.join(path.resolve(dir), "package.json"))("marcjs")

const options = {}
for (const r of rules) options[r.slice(1)] = r[0] === "+"
const validator = new Validator(JSON.parse(fs.readFileSync(schemaFile)), options)

let n = 0
const t0 = process.hrtime.bigint()
const quiet = process.env.AVRAM_QUIET === "1"
Marc.stream(fs.createReadStream(mrc), "iso2709")
  .on("data", record => {
    n++
    const fields = Record.fromMarcjs(record)
    const types = marc21.detectTypes(fields) || []
    let errors
    try {
      errors = validator.validate({ fields, types })
    } catch (e) {
      errors = [{ error: "exception", message: String(e) }]
    }
    if (!quiet)
      for (const e of errors)
        process.stdout.write(JSON.stringify({ record: n, ...e }) + "\n")
  })
  .on("end", () => {
    const s = Number(process.hrtime.bigint() - t0) / 1e9
    process.stderr.write(`avram-js: ${n} records in ${s.toFixed(2)} s, ${(n / s).toFixed(0)} records/s\n`)
  })
