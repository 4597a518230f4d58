#!/usr/bin/env node
// Writes web/viewer/data/fixed-fields.json, the viewer's table of the
// 006/007/008 positions by material type, from the MARC 21 schema the core
// embeds (core/data/schemas/marc21-bibliographic.json, Avram): one source
// for the names and codes, no second hand-written table. web/build.sh runs
// it; so does the viewer's end-to-end test.
//   node web/viewer/data/gen-fixed-fields.mjs [OUT]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SCHEMA = path.resolve(HERE, '../../../core/data/schemas/marc21-bibliographic.json');

// Positions as a sorted list of {start, end, label, codes?}.
function positions(obj) {
  return Object.values(obj ?? {})
    .map((p) => ({ start: p.start, end: p.end, label: p.label, ...(p.codes ? { codes: p.codes } : {}) }))
    .sort((a, b) => a.start - b.start);
}

export function fixedFields(schema) {
  const f = schema.fields;
  const out = { source: path.basename(SCHEMA), '008': { all: positions(f['008'].positions), types: {} }, '006': { types: {} }, '007': { types: {} } };
  for (const [type, t] of Object.entries(f['008'].types)) {
    out['008'].types[type] = { label: t.label, positions: positions(t.positions) };
  }
  // 006/01-17 are 008/18-34 of the same material: the schema gives the
  // codes with the 008's positions.
  for (const [type, t] of Object.entries(f['006'].types)) {
    const of008 = out['008'].types[type]?.positions ?? [];
    out['006'].types[type] = {
      label: out['008'].types[type]?.label ?? type,
      positions: positions(t.positions).map((p) => {
        const same = of008.find((q) => q.start === p.start + 17 && q.end === p.end + 17);
        return same?.codes ? { ...p, codes: same.codes } : p;
      }),
    };
  }
  for (const [type, t] of Object.entries(f['007'].types)) {
    out['007'].types[type.replace(/^007/, '')] = { label: t.label, positions: positions(t.positions) };
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ?? path.join(HERE, 'fixed-fields.json');
  fs.writeFileSync(out, JSON.stringify(fixedFields(JSON.parse(fs.readFileSync(SCHEMA, 'utf8')))));
  console.log(`${path.relative(process.cwd(), out)}: ${fs.statSync(out).size} bytes`);
}
