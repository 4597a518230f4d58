#!/usr/bin/env node
// Start-up: time to import the package, init() (read + compile +
// instantiate the wasm), and the first record of a file, in a fresh process.
//   node web/bench/startup.mjs [FILE.mrc]
import { fileURLToPath } from 'node:url';
const file = process.argv[2] ?? fileURLToPath(new URL('../../../shared/data/corpus/real-all.mrc', import.meta.url));
const t0 = performance.now();
const m = await import('../src/node.js');
const t1 = performance.now();
await m.init();
const t2 = performance.now();
const it = m.records(file);
const first = await it.next();
const t3 = performance.now();
await it.return();
// The threaded module: loaded (and its workers started) on first use.
const t4 = performance.now();
const itT = m.records(file, { threads: 2 });
await itT.next();
const t5 = performance.now();
await itT.return();
console.log(JSON.stringify({
  threadsFirstRecordMs: +(t5 - t4).toFixed(1),
  processToImportStartMs: +t0.toFixed(1),
  importMs: +(t1 - t0).toFixed(1),
  initMs: +(t2 - t1).toFixed(1),
  firstRecordMs: +(t3 - t2).toFixed(1),
  totalToFirstRecordMs: +(t3 - t0).toFixed(1),
  firstLeader: first.value?.leader,
}));
