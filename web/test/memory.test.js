// Leaving a loop early frees the wasm reader; streaming keeps memory bounded.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { init, records, batches, recordsSync, count, memoryStats } from '../src/node.js';
import { sampleRecords, concat, REAL_ALL, haveRealAll } from './helpers.js';

const bytes = concat(Array.from({ length: 200 }, () => sampleRecords()).flat());
let base;
before(async () => {
  await init();
  // Warm the writer scratch so that its buffers are part of the baseline.
  const [r] = recordsSync(bytes);
  r.toMRK(); r.toISO2709(); r.toMARCXML?.();
  base = memoryStats();
});

function assertBaseline(what) {
  const now = memoryStats();
  assert.equal(now.liveObjects, base.liveObjects, `${what}: glue objects`);
  assert.equal(now.heapUsed, base.heapUsed, `${what}: C heap bytes in use`);
}

test('break frees the reader', async () => {
  let n = 0;
  for await (const r of records(bytes, { chunkSize: 100 })) {
    assert.ok(memoryStats().liveObjects > base.liveObjects); // a reader is open
    if (++n === 5) break;
    void r;
  }
  assertBaseline('after break');
});

test('throw inside the loop frees the reader', async () => {
  await assert.rejects(async () => {
    for await (const r of records(bytes)) { void r; throw new Error('stop'); }
  }, /stop/);
  assertBaseline('after throw');
});

test('return() on a suspended iterator, batches, sync and count free it', async () => {
  const it = records(bytes);
  await it.next();
  await it.return();
  assertBaseline('after return()');
  for await (const b of batches(bytes, { batchSize: 3 })) { void b; break; }
  assertBaseline('after batches break');
  for (const r of recordsSync(bytes)) { void r; break; }
  assertBaseline('after sync break');
  assert.equal(await count(bytes), 600);
  assertBaseline('after count');
  let n = 0;
  for await (const r of records(bytes)) n += r.fields.length > 0;
  assert.equal(n, 600);
  assertBaseline('after a full read');
});

test('streaming a file keeps wasm memory bounded', { skip: !haveRealAll && 'no ../shared/data' }, async () => {
  let n = 0;
  for await (const r of records(REAL_ALL, { chunkSize: 256 << 10 })) n += r.leader.length === 24;
  assert.equal(n, 8046);
  // 10.6 MB read; the wasm memory holds a chunk, a record and a batch.
  assert.ok(memoryStats().wasmMemory < 16 << 20, `wasm memory ${memoryStats().wasmMemory}`);
  assertBaseline('after the corpus');
});

test('streaming 1 GB keeps wasm and process memory bounded', { skip: !haveRealAll && 'no ../shared/data' }, async () => {
  const { readFileSync } = await import('node:fs');
  const real = new Uint8Array(readFileSync(REAL_ALL));
  const copies = Math.ceil(1e9 / real.length); // 94 x 10.6 MB = 1.0 GB
  const chunk = 1 << 20;
  // The corpus again and again, in 1 MiB chunks (a record may span two).
  async function* gigabyte() {
    for (let c = 0; c < copies; c++) {
      for (let i = 0; i < real.length; i += chunk) yield real.subarray(i, i + chunk);
    }
  }
  const rssBefore = process.memoryUsage().rss;
  let n = 0, fields = 0, maxRss = 0, lastIndex = -1;
  for await (const r of records(gigabyte())) {
    n++;
    if (r.index !== lastIndex + 1) assert.fail(`record ${n}: index ${r.index} after ${lastIndex}`);
    lastIndex = r.index;
    if (n % 8046 === 1) {
      fields += r.fields.length; // some records are read in full
      maxRss = Math.max(maxRss, process.memoryUsage().rss);
    }
  }
  assert.equal(n, copies * 8046);
  assert.ok(fields > 0);
  // Wasm memory only grows, so this is its peak: a chunk, a record and a
  // batch, as for one copy of the corpus.
  const wasm = memoryStats().wasmMemory;
  assert.ok(wasm < 16 << 20, `wasm memory ${wasm} after ${copies * real.length} bytes`);
  // The process holds the 10.6 MB source and what the GC has not taken yet.
  const grew = maxRss - rssBefore;
  assert.ok(grew < 256 << 20, `rss grew by ${grew} bytes`);
  assertBaseline('after 1 GB');
});

// Last: 200 readers alive at once grow the wasm memory, which never
// shrinks (the tests above check its bound).
// The garbage collector, made callable for this test file.
function collector() {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc');
}

test('iterators dropped without return() are freed by the garbage collector', async () => {
  const gc = collector();
  const drop = async (n, what) => {
    for (let i = 0; i < n; i++) {
      if (what === 'sync') recordsSync(bytes).next();
      else await (what === 'file' ? records(REAL_ALL) : records(bytes)).next();
    }
  };
  const settle = async () => {
    for (let i = 0; i < 20 && memoryStats().liveObjects !== base.liveObjects; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  await drop(200, 'bytes');
  assert.ok(memoryStats().liveObjects > base.liveObjects + 100, 'the dropped readers are alive before a collection');
  await settle();
  assertBaseline('200 dropped records() iterators');
  await drop(50, 'sync');
  await settle();
  assertBaseline('50 dropped recordsSync() iterators');
  if (haveRealAll) {
    await drop(20, 'file');
    await settle();
    assertBaseline('20 dropped iterators over a file');
  }
});
