#!/usr/bin/env node
// Writes web/viewer/data/fixed-fields.json, the viewer's table of the
// leader positions by kind of record and the 006/007/008 positions by
// material type, from the MARC 21 schemas the core embeds
// (core/data/schemas/marc21-*.json, Avram): one source for the names and
// codes, no second hand-written table. The authority and holdings rule
// packs define no leader; data/fields.json names its positions for those
// kinds. web/build.sh runs it; so does the viewer's end-to-end test.
//   node web/viewer/data/gen-fixed-fields.mjs [OUT]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SCHEMAS = path.resolve(HERE, '../../../core/data/schemas');
const SCHEMA = path.join(SCHEMAS, 'marc21-bibliographic.json');
const KINDS = { bibliographic: SCHEMA, authority: path.join(SCHEMAS, 'marc21-authority.json'), holdings: path.join(SCHEMAS, 'marc21-holdings.json') };

// Positions as a sorted list of {start, end, label, codes?}.
function positions(obj) {
  return Object.values(obj ?? {})
    .map((p) => ({ start: p.start, end: p.end, label: p.label, ...(p.codes ? { codes: p.codes } : {}) }))
    .sort((a, b) => a.start - b.start);
}

/** The table from the bibliographic schema and, for the leader, the
 * schema of each kind of record that defines one ({kind: schema}). */
export function fixedFields(schema, byKind = { bibliographic: schema }) {
  const f = schema.fields;
  const out = { source: path.basename(SCHEMA), LDR: {}, '008': { all: positions(f['008'].positions), types: {} }, '006': { types: {} }, '007': { types: {} } };
  for (const [kind, s] of Object.entries(byKind)) {
    if (s.fields.LDR?.positions) out.LDR[kind] = positions(s.fields.LDR.positions);
  }
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
  const read = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
  const byKind = Object.fromEntries(Object.entries(KINDS).map(([kind, file]) => [kind, read(file)]));
  fs.writeFileSync(out, JSON.stringify(fixedFields(byKind.bibliographic, byKind)));
  console.log(`${path.relative(process.cwd(), out)}: ${fs.statSync(out).size} bytes`);
}
