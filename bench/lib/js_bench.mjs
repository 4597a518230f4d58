#!/usr/bin/env node
// The JS package's scenarios for bench/run, as JSON on stdout:
//   node bench/lib/js_bench.mjs --file F --peer-file P
//        [--rounds N] [--repeat K] [--threads 2] [--no-peers]
// Records/s into JS objects with batches of 256 and of 1 record per call
// across the wasm boundary, subfields lazy (only tags touched) or eager
// (every subfield value read), the threaded module against the single
// one, wasm parse-only count(); marcjs and @natlibfi/marc-record-serializers
// on the same bytes (the latter on the small peer file: it is slow). Every
// scenario runs once per round, round-robin (each timed run right after
// an untimed one of the same scenario), with GC time (perf_hooks 'gc'
// entries) summed per run.
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { touchLazy, touchEager } from './touch.mjs';

const WEB = fileURLToPath(new URL('../../web/', import.meta.url));
const args = process.argv.slice(2);
const opt = (n, d) => { const i = args.indexOf(n); return i < 0 ? d : args[i + 1]; };
const file = opt('--file');
const peerFile = opt('--peer-file', file);
const rounds = Number(opt('--rounds', 3));
const repeat = Number(opt('--repeat', 1));
const nThreads = Number(opt('--threads', 2));
const peers = !args.includes('--no-peers');
if (!file || !existsSync(file)) { console.error('js_bench: no --file'); process.exit(77); }

const t0 = performance.now();
const pkg = await import(`${WEB}src/node.js`);
const tImport = performance.now() - t0;
const t1 = performance.now();
await pkg.init();
const tInit = performance.now() - t1;
const { records, recordsSync, count, threadsSupported } = pkg;

const one = new Uint8Array(readFileSync(file));
const bytes = new Uint8Array(one.length * repeat);
for (let i = 0; i < repeat; i++) bytes.set(one, i * one.length);
const peerBytes = new Uint8Array(readFileSync(peerFile));
function* chunks(b) { for (let i = 0; i < b.length; i += 1 << 20) yield b.subarray(i, Math.min(b.length, i + (1 << 20))); }

const touchMarcjs = (rec) => { let k = rec.leader.length; for (const f of rec.fields) for (const x of f) k += x.length; return k; };

const require = createRequire(`${WEB}package.json`);
const version = (name) => { try { return JSON.parse(readFileSync(require.resolve(`${name}/package.json`))).version; } catch { return null; } };

const scen = [];
const add = (name, group, input, fn) => scen.push({ name, group, input, fn });
const asyncRun = (src, o, touch) => async () => { let n = 0; for await (const r of records(src(), o)) { touch(r); n++; } return n; };
add('records() batch 256, lazy', 'boundary', 'main', asyncRun(() => chunks(bytes), { batchSize: 256 }, touchLazy));
add('records() batch 256, eager', 'boundary', 'main', asyncRun(() => chunks(bytes), { batchSize: 256 }, touchEager));
add('records() batch 1, lazy', 'boundary', 'main', asyncRun(() => chunks(bytes), { batchSize: 1 }, touchLazy));
add('records() batch 1, eager', 'boundary', 'main', asyncRun(() => chunks(bytes), { batchSize: 1 }, touchEager));
add('recordsSync batch 256, eager', 'boundary', 'main', async () => { let n = 0; for (const r of recordsSync(bytes, { batchSize: 256 })) { touchEager(r); n++; } return n; });
add('recordsSync batch 1, eager', 'boundary', 'main', async () => { let n = 0; for (const r of recordsSync(bytes, { batchSize: 1 })) { touchEager(r); n++; } return n; });
const haveThreads = threadsSupported();
if (haveThreads) {
  add(`records() ${nThreads} threads, lazy`, 'threads', 'main', asyncRun(() => chunks(bytes), { threads: nThreads }, touchLazy));
  add(`records() ${nThreads} threads, eager`, 'threads', 'main', asyncRun(() => chunks(bytes), { threads: nThreads }, touchEager));
}
add('count() wasm parse-only', 'boundary', 'main', () => count(chunks(bytes)));
if (peers) {
  let Iso2709Parser = null, ISO2709 = null;
  try { ({ Iso2709Parser } = require('marcjs')); } catch (e) { console.error('js_bench: marcjs:', e.message); }
  try { ({ ISO2709 } = require('@natlibfi/marc-record-serializers')); } catch (e) { console.error('js_bench: @natlibfi:', e.message); }
  const stream = (b) => Readable.from((function* () { for (let i = 0; i < b.length; i += 65536) yield Buffer.from(b.buffer, b.byteOffset + i, Math.min(65536, b.length - i)); })());
  const precut = (b) => () => {
    const buf = Buffer.from(b.buffer, b.byteOffset, b.length);
    let n = 0;
    for (let s = 0, i = buf.indexOf(0x1d); i >= 0; s = i + 1, i = buf.indexOf(0x1d, s)) { touchMarcjs(Iso2709Parser.parse(buf.subarray(s, i + 1))); n++; }
    return n;
  };
  if (Iso2709Parser) {
    add('marcjs Iso2709Parser stream', 'peers', 'main', () => new Promise((resolve, reject) => {
      let n = 0; const p = new Iso2709Parser();
      p.on('data', (rec) => { touchMarcjs(rec); n++; }); p.on('end', () => resolve(n)); p.on('error', reject);
      stream(bytes).pipe(p);
    }));
    add('marcjs Iso2709Parser.parse (pre-cut)', 'peers', 'main', precut(bytes));
  }
  // The small peer file: marcato and both peers side by side.
  add('records() batch 256, eager [peer file]', 'peer-file', 'peer', asyncRun(() => [peerBytes], { batchSize: 256 }, touchEager));
  if (Iso2709Parser) add('marcjs Iso2709Parser.parse (pre-cut) [peer file]', 'peer-file', 'peer', precut(peerBytes));
  if (ISO2709) {
    add('@natlibfi ISO2709.reader [peer file]', 'peer-file', 'peer', () => new Promise((resolve) => {
      let n = 0;
      const em = ISO2709.reader(stream(peerBytes), { subfieldValues: false, fields: false });
      em.on('data', (rec) => { n++; let k = rec.leader.length; for (const f of rec.fields) k += (f.subfields?.length ?? 0); });
      em.on('end', () => resolve(n));
      em.on('error', () => { /* MARC-8 records it cannot decode: skipped */ });
    }));
  }
}

// GC entries, attributed to the run whose window holds them.
const gcs = [];
const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) gcs.push({ t: e.startTime, d: e.duration }); });
obs.observe({ entryTypes: ['gc'] });

const results = scen.map((s) => ({ name: s.name, group: s.group, input: s.input, ms: [], gc_ms: [], records: 0 }));
const windows = [];
for (let r = -1; r < rounds; r++) { // round -1 warms the JIT up, not kept
  for (let i = 0; i < scen.length; i++) {
    // Each timed run follows an untimed run of the same scenario, so it
    // measures that scenario's steady state (a long stream's): the heap
    // has settled to its young generation and the garbage of the scenario
    // before is gone. A forced GC instead shrank the young generation,
    // and allocation-heavy runs of 100 ms paid about 20% to regrow it
    // (runs of a second, the peers', spread that cost thin).
    if (r >= 0) await scen[i].fn();
    await new Promise((res) => setImmediate(res));
    const a = performance.now();
    const n = await scen[i].fn();
    const b = performance.now();
    if (r < 0) continue;
    results[i].ms.push(b - a);
    results[i].records = n;
    windows.push({ i, a, b });
  }
}
await new Promise((res) => setTimeout(res, 50));
for (const e of obs.takeRecords?.() ?? []) gcs.push({ t: e.startTime, d: e.duration });
obs.disconnect();
for (const w of windows) {
  let g = 0;
  for (const e of gcs) if (e.t >= w.a && e.t < w.b) g += e.d;
  results[w.i].gc_ms.push(g);
}
if (haveThreads) pkg.terminateThreads?.();
console.log(JSON.stringify({
  // Base names only: the report must not carry this machine's paths.
  file: path.basename(file), repeat, bytes: bytes.length,
  peer_file: path.basename(peerFile), peer_bytes: peerBytes.length,
  import_ms: tImport, init_ms: tInit, threads_supported: haveThreads, threads: nThreads,
  node: process.version,
  versions: { marcjs: version('marcjs'), '@natlibfi/marc-record-serializers': version('@natlibfi/marc-record-serializers'), 'playwright-core': version('playwright-core') },
  rows: results,
}));
process.exit(0);
