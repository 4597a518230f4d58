// Results do not depend on how the input is cut.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { openSync, readSync, closeSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { init, records } from '../src/node.js';
import { sampleRecords, concat, REAL_ALL, haveRealAll, ROOT } from './helpers.js';

before(() => init());

const enc = new TextEncoder();

async function* cut(u8, n) {
  for (let i = 0; i < u8.length; i += n) yield u8.subarray(i, i + n);
}

async function dump(source, opts) {
  const out = [];
  for await (const r of records(source, opts)) {
    out.push(`${r.index}@${r.offset} ${JSON.stringify(r.diagnostics)}\n${r.toMRK()}${JSON.stringify(r)}`);
  }
  return out;
}

function head(file, n) {
  const fd = openSync(file, 'r');
  const b = Buffer.alloc(n);
  const got = readSync(fd, b, 0, n, 0);
  closeSync(fd);
  return new Uint8Array(b.buffer, b.byteOffset, got);
}

test('chunking: 1..n-byte chunks give the same records (with damage)', async () => {
  const [a, b, c] = sampleRecords();
  const b2 = b.slice();
  b2.set(enc.encode('00010'), 0);
  const file = concat([a, enc.encode('\r\n'), b2, c, a.subarray(0, 30)]);
  const want = await dump(file);
  assert.equal(want.length, 4);
  for (const n of [1, 2, 3, 5, 7, 24, 25, 64, 333]) {
    assert.deepEqual(await dump(cut(file, n)), want, `chunks of ${n}`);
  }
  // The reader's own chunking and batching must not matter either.
  assert.deepEqual(await dump(file, { chunkSize: 1, batchSize: 1 }), want);
  assert.deepEqual(await dump(file, { chunkSize: 10, batchSize: 2, batchBytes: 1 }), want);
});

test('chunking: real records, 1-byte chunks vs whole', { skip: !haveRealAll && 'no ../shared/data' }, async () => {
  const bytes = head(REAL_ALL, 300_000); // ~250 records, the last one cut
  const want = await dump(bytes);
  assert.ok(want.length > 100);
  assert.deepEqual(await dump(cut(bytes, 1)), want);
  assert.deepEqual(await dump(cut(bytes, 4093)), want);
});

// Issue "Nothing silently wrong", item 4: one bad byte in MARCXML record 3
// (a stray '&', a NUL, 0xFF) costs that record's tail, not the rest of the
// file: 5 records, the 4th saying which bytes were skipped, at every cut.
test('chunking: MARCXML resumes at the next <record> after a bad byte', async (t) => {
  const { formats } = await init();
  if (!formats.includes('marcxml')) return t.skip('no MARCXML reader in this build');
  const dir = path.join(ROOT, 'tests', 'data', 'formats', 'recover');
  for (const [name, at] of [['stray_ampersand', 6767], ['nul_byte', 6762], ['invalid_utf8', 6762]]) {
    const file = new Uint8Array(readFileSync(path.join(dir, `${name}_in_record3.xml`)));
    const want = await dump(file);
    assert.equal(want.length, 5, name);
    const recs = [];
    for await (const r of records(file)) recs.push(r.diagnostics);
    assert.ok(recs[2].some((d) => d.code === 'SYNTAX' && d.offset === at), name);
    const skip = recs[3].find((d) => d.code === 'JUNK');
    assert.ok(skip, `${name}: record 4 reports the skip`);
    assert.equal(skip.offset, at);
    assert.match(skip.message, new RegExp(`at byte ${at} \\(in the record at byte 5726\\): \\d+ byte\\(s\\) skipped to this record`));
    for (const n of [1, 2, 3, 7, 64, 4093]) {
      assert.deepEqual(await dump(cut(file, n)), want, `${name}, chunks of ${n}`);
    }
    assert.deepEqual(await dump(file, { chunkSize: 5, batchSize: 1 }), want, name);
  }
});
