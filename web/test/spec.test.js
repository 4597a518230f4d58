// MARCspecs in JS: compileSpec(), Spec.values() and rec.select() against
// `marcato select -t jsonl`; a bad spec's MarcError; records(src,
// {filter}) with MARCspec operands against `marcato filter`.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  init, records, recordsSync, compileSpec, Spec, MarcError, memoryStats, Record,
} from '../src/node.js';
import { REAL_ALL, haveRealAll, nativeCli, sampleRecords, concat } from './helpers.js';

before(() => init());

const SPECS = ['001', '245$a', '650$a', '650[0]$a{^2=\\0}', '008/35-37', 'LDR/06', '7..', '245$a/0-2'];
const skipReal = (!haveRealAll && 'no ../shared/data') ||
  (!nativeCli() && 'no native build (build/*/native/marcato or $MARCATO_CLI)');

test('compileSpec: values of records JS holds, in record order', () => {
  const recs = [...recordsSync(concat(sampleRecords()))];
  const s = compileSpec('001');
  assert.ok(s instanceof Spec);
  assert.equal(s.text, '001');
  assert.deepEqual(recs.map((r) => s.values(r)), recs.map((r) => [r.get('001').value]));
  // A field spec gives a data field's MARCMaker text; a miss gives [].
  const f = recs[0].get('245');
  const mrk = recs[0].toMRK().split('\n').find((l) => l.startsWith('=245  ')).slice(6);
  assert.deepEqual(recs[0].select('245'), [mrk]);
  assert.deepEqual(recs[0].select('245$a'), [f.subfield('a')]);
  assert.deepEqual(recs[0].select('999$a'), []);
  assert.deepEqual(recs[0].select('LDR/0-4'), [recs[0].leader.slice(0, 5)]);
  assert.deepEqual(recs[0].select(s), s.values(recs[0]));
  const live = memoryStats().liveObjects;
  s.free();
  s.free(); // twice is harmless
  assert.equal(memoryStats().liveObjects, live - 1);
  assert.throws(() => s.values(recs[0]), /freed/);
});

test('compileSpec: traject shorthand only when asked', () => {
  const rec = [...recordsSync(concat(sampleRecords()))][0];
  const t = compileSpec('245a:001', { traject: true });
  assert.equal(t.traject, true);
  assert.deepEqual(t.values(rec), [...rec.select('245$a'), ...rec.select('001')]);
  t.free();
  assert.throws(() => compileSpec('245a'), MarcError);
});

test('select sees an edited or built record as it is now', () => {
  const rec = [...recordsSync(concat(sampleRecords()))][0];
  const was = rec.select('245$a');
  rec.get('245').subfields[0].value = 'Edited 東京';
  assert.notDeepEqual(was, ['Edited 東京']);
  assert.deepEqual(rec.select('245$a'), ['Edited 東京']);
  assert.deepEqual(rec.select('245$a/0-5'), ['Edited']);
  rec.get('001').value = 'edited-001';
  assert.deepEqual(compileSpec('001').values(rec), ['edited-001']);
  const built = Record.create({ fields: [{ tag: '001', value: 'b1' }, { tag: '650', ind2: '0', subfields: [['a', 'Jazz'], ['2', 'x']] }, { tag: '650', subfields: [['a', 'Blues']] }] });
  assert.deepEqual(built.select('650$a'), ['Jazz', 'Blues']);
  assert.deepEqual(built.select('650$a{^2=\\0}'), ['Jazz']);
});

test('a bad spec throws MarcError with its position and the message of `marcato select`', () => {
  const before = memoryStats();
  const check = (e, offset, re) => {
    assert.ok(e instanceof MarcError, String(e));
    assert.equal(e.code, 'SPEC_SYNTAX');
    assert.equal(e.offset, offset);
    assert.match(e.message, re);
    return true;
  };
  assert.throws(() => compileSpec('245$a{$2=lcsh}'),
    (e) => check(e, 9, /^marcato: spec '245\$a\{\$2=lcsh\}': position 9: comparison string must start with '\\'$/));
  // A string index, not a byte offset: é is two bytes of UTF-8.
  assert.throws(() => compileSpec('245$a{$2=é}'), (e) => check(e, 9, /position 9:/));
  const rec = [...recordsSync(concat(sampleRecords()))][0];
  assert.throws(() => rec.select('24'), (e) => check(e, 2, /^marcato: spec '24': position 2: /));
  assert.throws(() => compileSpec(245), TypeError);
  assert.deepEqual(memoryStats(), before); // nothing left behind
});

test('rec.select on real-all.mrc: the values of `marcato select -t jsonl`', { skip: skipReal }, async () => {
  const args = ['select', '-t', 'jsonl', ...SPECS.flatMap((s) => ['-s', s]), REAL_ALL];
  // (It exits 1 when the input has damaged records: real-all.mrc has some.)
  const out = spawnSync(nativeCli(), args, { maxBuffer: 1 << 29, stdio: ['ignore', 'pipe', 'ignore'] }).stdout.toString('utf8');
  const want = out.split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const compiled = SPECS.map((s) => compileSpec(s));
  let n = 0, values = 0;
  for await (const r of records(REAL_ALL)) {
    const row = want[n++];
    assert.equal(row?.record, r.index + 1, `record ${r.index + 1}`);
    for (const [i, s] of SPECS.entries()) {
      const got = r.select(s);
      assert.deepEqual(got, row[s], `record ${n} spec ${s}`);
      assert.deepEqual(compiled[i].values(r), got);
      values += got.length;
    }
  }
  assert.equal(n, want.length);
  assert.ok(values > n, 'the specs found values');
  for (const s of compiled) s.free();
});

test('filter with MARCspec operands: the records of `marcato filter`', { skip: skipReal }, async () => {
  // real-all.mrc's 650s name their thesaurus in $2 as fast (or not at all).
  for (const q of ['650$a{$2=\\fast}', '650$a{$2=\\lcsh}', '650[0]$a{^2=\\0} and not 7..', '245$a/0-2=\\The or LDR/06=\\m']) {
    const want = spawnSync(nativeCli(), ['filter', q, '-t', 'mrk', REAL_ALL], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] }).stdout.toString('utf8');
    let got = '', n = 0;
    for await (const r of records(REAL_ALL, { filter: q })) { got += r.toMRK(); n++; }
    assert.ok(n > 0 || q.includes('lcsh'), `${q} matches something`); // (no $2 lcsh there)
    assert.equal(got, want, q);
  }
});
