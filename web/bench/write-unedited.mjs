#!/usr/bin/env node
// Time of writing every record of a file, unedited, with writer(FORMAT)
// (default marcxml): the block path that edits must not slow down.
//   node web/bench/write-unedited.mjs [FILE.mrc] [--format F] [--touch]
// --touch materialises each record's fields and subfields first (the
// records then go through the edit check before the block path).
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const src = process.env.MARCATO_SRC ?? '../src/node.js';
const { init, recordsSync, writer } = await import(new URL(src, import.meta.url));
const args = process.argv.slice(2);
const fi = args.indexOf('--format');
const format = fi >= 0 ? args.splice(fi, 2)[1] : 'marcxml';
const touch = args.includes('--touch');
const file = args.find((a) => !a.startsWith('--')) ??
  fileURLToPath(new URL('../../../shared/data/corpus/real-all.mrc', import.meta.url));
if (!existsSync(file)) { console.error(`no ${file}`); process.exit(77); }
await init();
const recs = [...recordsSync(new Uint8Array(readFileSync(file)))];
if (touch) for (const r of recs) for (const f of r.fields) if (!f.isControl) f.subfields;
let best = Infinity, bytes = 0;
for (let k = 0; k < 7; k++) {
  const t = performance.now();
  const w = writer(format);
  bytes = w.begin().length;
  for (const r of recs) bytes += w.write(r).length;
  bytes += w.end().length;
  best = Math.min(best, performance.now() - t);
}
console.log(`${recs.length} records, ${format}${touch ? ' (touched)' : ''}: best of 7 ${best.toFixed(1)} ms, ${bytes} bytes`);
