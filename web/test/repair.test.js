// Double-encoded UTF-8 (UTF-8 read as Latin-1 and encoded again, once or
// more) is repaired in the default 'auto' encoding, one ENCODING_REPAIRED
// diagnostic per record, as the CLI does; 'utf8' keeps the bytes; no
// record of the real corpus changes.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { init, records } from '../src/node.js';
import { ROOT, SHARED } from './helpers.js';

before(() => init());

const BU = path.join(ROOT, 'tests', 'data', 'charset', 'bu_bibs.mrc');
const repairs = (r) => r.diagnostics.filter((d) => d.code === 'ENCODING_REPAIRED');
// U+00C2-U+00F4 then U+0080-U+00BF: what double encoding leaves.
const DOUBLED = /[\u00C2-\u00F4][\u0080-\u00BF]/;

test('bu_bibs.mrc: 16 of 100 records repaired, one diagnostic each', async () => {
  let n = 0;
  const repaired = [];
  const text = [];
  for await (const r of records(BU)) {
    n++;
    const d = repairs(r);
    assert.ok(d.length <= 1);
    if (d.length) {
      repaired.push(r.index);
      assert.ok(d[0].tag.length === 3 && d[0].offset > r.offset, JSON.stringify(d[0]));
      assert.match(d[0].message, /double-encoded UTF-8 .* repaired/);
    }
    const json = JSON.stringify(r);
    assert.doesNotMatch(json, DOUBLED, `record ${r.index} still double-encoded`);
    text.push(json);
  }
  assert.equal(n, 100);
  assert.deepEqual(repaired, [2, 5, 14, 21, 24, 30, 33, 44, 50, 61, 68, 71, 73, 76, 81, 90]);
  const all = text.join('\n');
  assert.ok(all.includes('Pe\u0301tain'), 'Pétain');
  assert.ok(all.includes('Michoaca\u0301n'), 'Michoacán');
  assert.ok(all.includes('Chi-ch\u02BBien'), 'Chi-chʻien');
});

test("bu_bibs.mrc with encoding 'utf8': the bytes are kept", async () => {
  let kept = 0;
  for await (const r of records(BU, { encoding: 'utf8' })) {
    assert.equal(repairs(r).length, 0);
    if (JSON.stringify(r).includes('Pe\u00C3\u008C\u00C2\u0081tain')) kept++;
  }
  assert.equal(kept, 1);
});

const CORPUS = ['real-all', 'real-utf8', 'real-marc8'].map((c) => path.join(SHARED, 'corpus', `${c}.mrc`));
test('real corpus: no record repaired, UTF-8 records read as with encoding utf8', { skip: !CORPUS.every(existsSync) && 'no ../shared/data' }, async () => {
  for (const file of CORPUS) {
    let n = 0;
    for await (const r of records(file)) { n++; assert.equal(repairs(r).length, 0, `${file} record ${r.index}`); }
    assert.ok(n > 1000, file);
  }
  const auto = [];
  for await (const r of records(CORPUS[1])) auto.push(JSON.stringify(r));
  let i = 0;
  for await (const r of records(CORPUS[1], { encoding: 'utf8' })) assert.equal(JSON.stringify(r), auto[i++]);
  assert.equal(i, auto.length);
});
