// records(source, {threads: N}): the native pipeline on worker threads
// (dist/marcato-threads.*) gives the same records in the same order as
// the single-threaded module, strict mode stops with the same MarcError,
// an early break frees the run, and Node exits afterwards (this file
// finishing is the test of that).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { init, records, recordsSync, threadsSupported, threadsError, memoryStats, MarcError } from '../src/node.js';
import { sampleRecords, concat, iso2709, LEADER, REAL_ALL, haveRealAll } from './helpers.js';

const bytes = concat(Array.from({ length: 300 }, () => sampleRecords()).flat());
const sig = (r) => [r.index, r.offset, r.leader, r.fields.length,
  ...r.fields.map((f) => f.isControl ? f.value : f.ind1 + f.ind2 + f.subfields.map((s) => s.code + s.value).join('|')),
  ...r.diagnostics.map((d) => d.code + d.offset)].join('\n');

before(() => init());

test('threads are available in Node', () => {
  assert.equal(threadsSupported(), true);
});

test('same records, same order, with 1..3 worker threads', async () => {
  const want = [...recordsSync(bytes)].map(sig);
  for (const threads of [2, 3]) {
    const got = [];
    for await (const r of records(bytes, { threads, chunkSize: 4096, batchSize: 50 })) got.push(sig(r));
    assert.equal(threadsError(), null);
    assert.equal(got.length, want.length);
    assert.deepEqual(got, want);
  }
});

test('real-all.mrc: threaded equals single-threaded', { skip: !haveRealAll && 'no ../shared/data' }, async () => {
  const want = [];
  for await (const r of records(REAL_ALL)) want.push(sig(r));
  let i = 0;
  for await (const r of records(REAL_ALL, { threads: 2 })) {
    const s = sig(r);
    if (s !== want[i]) assert.equal(s, want[i], `record ${i}`);
    i++;
  }
  assert.equal(i, 8046);
});

test('maxRecord and maxDiagnostics apply with threads too', async () => {
  // Records of 5 KB among small ones, read with a 2 KiB limit.
  const big = iso2709(LEADER, [['001', 'big'], ['500', '  ', [['a', 'x'.repeat(5000)]]]]);
  const input = concat([bytes, big, bytes, big]);
  const opts = { maxRecord: 2048, maxDiagnostics: 1 };
  const want = [...recordsSync(input, opts)].map(sig);
  assert.ok(want.filter((s) => s.includes('RECORD_OVERSIZE')).length >= 2);
  assert.ok(![...recordsSync(input)].map(sig).some((s) => s.includes('RECORD_OVERSIZE')));
  const got = [];
  for await (const r of records(input, { ...opts, threads: 2, chunkSize: 4096, batchSize: 64 })) got.push(sig(r));
  assert.equal(threadsError(), null);
  assert.deepEqual(got, want);
});

test('strict mode: same records before the same MarcError', async () => {
  const bad = concat([...sampleRecords(), new TextEncoder().encode('00010xx'), ...sampleRecords()]);
  const collect = async (o) => {
    const got = [];
    try { for await (const r of records(bad, { strict: true, ...o })) got.push(r.index); } catch (e) { return [got, e]; }
    return [got, null];
  };
  const [a, ea] = await collect({});
  const [b, eb] = await collect({ threads: 2 });
  assert.ok(ea instanceof MarcError && eb instanceof MarcError);
  assert.equal(eb.code, ea.code);
  assert.equal(eb.offset, ea.offset);
  assert.deepEqual(b, a);
});

test('break frees the run; memory returns to its baseline', async () => {
  for await (const r of records(bytes, { threads: 2 })) { void r; break; } // warm
  await new Promise((r) => setTimeout(r, 200));
  const base = memoryStats({ threads: true });
  for (let k = 0; k < 3; k++) {
    let n = 0;
    for await (const r of records(bytes, { threads: 2, chunkSize: 1000 })) { void r; if (++n === 10) break; }
  }
  // A finished pthread's data is freed when the main thread handles its
  // worker's exit message: give it a moment.
  let now = memoryStats({ threads: true });
  for (let k = 0; k < 50 && now.heapUsed !== base.heapUsed; k++) {
    await new Promise((r) => setTimeout(r, 20));
    now = memoryStats({ threads: true });
  }
  assert.equal(now.liveObjects, base.liveObjects);
  assert.equal(now.heapUsed, base.heapUsed);
});

test('non-ISO 2709 input with threads falls back to one thread', async () => {
  const mrk = [...recordsSync(bytes)].slice(0, 3).map((r) => r.toMRK()).join('');
  const got = [];
  for await (const r of records(new TextEncoder().encode(mrk), { threads: 2 })) got.push(r.get('001').value);
  assert.deepEqual(got, ['rec1', 'rec2', 'rec3']);
});
