// Shared helpers of the package's tests: synthetic records (built with
// ./iso2709-fixture.js, the tests' one ISO 2709 encoder), and where the
// reference data and the native CLI are (tests that need them skip
// without them).
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { iso2709, LEADER } from './iso2709-fixture.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SHARED = process.env.MARCATO_SHARED_DATA ?? path.join(ROOT, '..', 'shared', 'data');
export const REAL_ALL = path.join(SHARED, 'corpus', 'real-all.mrc');
export const haveRealAll = existsSync(REAL_ALL);

/** The native CLI: $MARCATO_CLI, else the first build/<dir>/native/marcato. */
export function nativeCli() {
  if (process.env.MARCATO_CLI) return existsSync(process.env.MARCATO_CLI) ? process.env.MARCATO_CLI : null;
  const b = path.join(ROOT, 'build');
  if (!existsSync(b)) return null;
  for (const d of readdirSync(b).sort()) {
    const p = path.join(b, d, 'native', 'marcato');
    if (existsSync(p)) return p;
  }
  return null;
}

export { iso2709, concat, LEADER } from './iso2709-fixture.js';

/** A small synthetic file: ASCII, UTF-8 (with a 4-byte character), a
 * field with a literal '$', a local tag. */
export function sampleRecords() {
  return [
    iso2709(LEADER, [
      ['001', 'rec1'],
      ['008', '200101s2020    xx            000 0 eng d'],
      ['100', '1 ', [['a', 'Doe, Jane,'], ['d', '1970-']]],
      ['245', '10', [['a', 'A title :'], ['b', 'with $ and {braces} /'], ['c', 'Jane Doe.']]],
      ['650', ' 0', [['a', 'Cats'], ['x', 'Behavior.']]],
      ['651', ' 0', [['a', 'Paris (France)']]],
    ]),
    iso2709(LEADER, [
      ['001', 'rec2'],
      ['245', '00', [['a', 'Café Ünïcödé 東京 𝄞 music'], ['c', 'Ærø.']]],
      ['600', '10', [['a', 'Dvořák, Antonín,'], ['d', '1841-1904.']]],
      ['999', '  ', [['a', 'local']]],
    ]),
    iso2709('00000cz  a2200000n  4500', [
      ['001', 'rec3'],
      ['100', '1 ', [['a', 'Smith, John']]],
    ]),
  ];
}

/** MARCMaker text built in JS from a record's decoded fields, escaped as
 * marc_write_mrk escapes (to check the JS decoding against the CLI). */
export function mrkFromFields(rec) {
  const fixed = (s) => s.replace(/[${}\\ ]/g, (c) => ({ '$': '{dollar}', '{': '{lcub}', '}': '{rcub}', '\\': '{bsol}', ' ': '\\' })[c]);
  const text = (s) => s.replace(/[${}]/g, (c) => ({ '$': '{dollar}', '{': '{lcub}', '}': '{rcub}' })[c]);
  // The leader, tags and indicators are bytes read as Latin-1 (positions
  // stay positions); the .mrk writer shows a byte there that is not ASCII,
  // or a line break or NUL, as '?' (core/src/internal.h, marc__line_byte).
  const line = (s) => s.replace(/[\x80-\xff\n\r\0]/g, '?');
  let out = '=LDR  ' + fixed(line(rec.leader)) + '\n';
  for (const f of rec.fields) {
    if (f.isControl) { out += `=${line(f.tag)}  ${fixed(f.value)}\n`; continue; }
    const ind = (c) => (c === ' ' ? '\\' : line(c));
    out += `=${line(f.tag)}  ${ind(f.ind1)}${ind(f.ind2)}` +
      f.subfields.map((s) => (s.code === '' ? text(s.value) : '$' + text(s.code + s.value))).join('') + '\n';
  }
  return out + '\n';
}
