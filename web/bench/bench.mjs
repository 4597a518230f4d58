#!/usr/bin/env node
// Benchmarks of the JS package (numbers, not tests):
//   node web/bench/bench.mjs [FILE.mrc] [--repeat N] [--peers] [--threads 2,3]
// FILE defaults to ../shared/data/corpus/real-all.mrc. Prints records/s
// into JS objects with batches of 256 and of 1 record per call into wasm,
// with subfields left lazy ("fields") or all decoded ("full"); wasm
// parse-only (count()); a filter matched in wasm; and, with --peers, marcjs and
// @natlibfi/marc-record-serializers (devDependencies) on the same bytes.
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { init, records, recordsSync, count, threadsSupported } from '../src/node.js';
import { touchLazy, touchEager } from '../../bench/lib/touch.mjs';

const args = process.argv.slice(2);
const flag = (n) => { const i = args.indexOf(n); if (i < 0) return null; const v = args[i + 1]; args.splice(i, 2); return v; };
const repeat = Number(flag('--repeat') ?? 1);
const peers = args.includes('--peers');
const threadList = (flag('--threads') ?? '2').split(',').map(Number).filter((n) => n > 1);
const file = args.find((a) => !a.startsWith('--')) ??
  path.join(fileURLToPath(new URL('../../../shared/data/corpus/real-all.mrc', import.meta.url)));
if (!existsSync(file)) { console.error(`no ${file}`); process.exit(77); }

const t0 = performance.now();
await init();
const tInit = performance.now() - t0;
const bytes = new Uint8Array(readFileSync(file));
const MB = bytes.length * repeat / 1e6;

// The input repeated `repeat` times, as chunks (memory stays bounded).
function* source() { for (let i = 0; i < repeat; i++) yield bytes; }
function best(n, fn) { let b = Infinity, r; for (let i = 0; i < n; i++) { const t = performance.now(); r = fn(); b = Math.min(b, performance.now() - t); } return [b, r]; }
async function bestAsync(n, fn) { let b = Infinity, r; for (let i = 0; i < n; i++) { const t = performance.now(); r = await fn(); b = Math.min(b, performance.now() - t); } return [b, r]; }


const rows = [];
function row(name, ms, n) { rows.push({ name, ms: ms.toFixed(1), records: n, 'records/s': Math.round(n / ms * 1000), 'MB/s': (MB / ms * 1000).toFixed(1) }); }
// Node Readable of the input in 64 KiB chunks (as fs streams give): the
// source every stream parser below reads, marcato's included.
const { Readable } = await import('node:stream');
const stream = () => Readable.from((function* () {
  for (let r = 0; r < repeat; r++) for (let i = 0; i < bytes.length; i += 65536) yield Buffer.from(bytes.buffer, bytes.byteOffset + i, Math.min(65536, bytes.length - i));
})());

const runs = repeat > 1 ? 1 : 5;
for (const [label, touch] of [['fields', touchLazy], ['full', touchEager]]) {
  for (const batchSize of [256, 1]) {
    const [ms, n] = await bestAsync(runs, async () => { let n = 0; for await (const r of records(source(), { batchSize })) { touch(r); n++; } return n; });
    row(`records() async, batch ${batchSize}, ${label}`, ms, n);
  }
  const [ms, n] = await bestAsync(runs, async () => { let n = 0; for await (const r of records(stream())) { touch(r); n++; } return n; });
  row(`records() of a Node Readable (64 KiB chunks), ${label}`, ms, n);
}
// The native pipeline on worker threads (dist/marcato-threads.*).
if (threadsSupported()) {
  for (const threads of threadList) {
    for (const [label, touch] of [['fields', touchLazy], ['full', touchEager]]) {
      const [ms, n] = await bestAsync(runs, async () => { let n = 0; for await (const r of records(source(), { threads })) { touch(r); n++; } return n; });
      row(`records() async, ${threads} threads, ${label}`, ms, n);
    }
  }
}
if (repeat === 1) {
  for (const batchSize of [256, 1]) {
    const [ms, n] = best(3, () => { let n = 0; for (const r of recordsSync(bytes, { batchSize })) { touchEager(r); n++; } return n; });
    row(`recordsSync, batch ${batchSize}, full`, ms, n);
  }
}
{
  const [ms, n] = await bestAsync(runs, () => count(source()));
  row('count() wasm parse-only', ms, n);
}
// A filter matched in wasm: only the matching records become objects.
{
  const filter = '245$a~*jazz or 650$a~*music';
  const [ms, n] = await bestAsync(runs, async () => { let n = 0; for await (const r of records(source(), { filter })) { touchEager(r); n++; } return n; });
  row(`records() filter '${filter}', full`, ms, n);
  const [ms2, n2] = await bestAsync(runs, () => count(source(), { filter }));
  row(`count() filter '${filter}'`, ms2, n2);
}

if (peers) {
  const require = (await import('node:module')).createRequire(import.meta.url);
  const touchMarcjs = (rec) => { let k = rec.leader.length; for (const f of rec.fields) k += f.length; return k; };
  try {
    const { Iso2709Parser } = require('marcjs');
    // As many runs as marcato gets (its JIT warms up too).
    const [ms, n] = await bestAsync(runs, () => new Promise((resolve, reject) => {
      let n = 0;
      const parser = new Iso2709Parser();
      parser.on('data', (rec) => { touchMarcjs(rec); n++; });
      parser.on('end', () => resolve(n));
      parser.on('error', reject);
      stream().pipe(parser);
    }));
    row('marcjs 3.0.2 Iso2709Parser stream', ms, n);
    // Its static parser on pre-cut records: the best case, no stream.
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    const [ms2, n2] = best(runs, () => {
      let n = 0;
      for (let r = 0; r < repeat; r++) {
        let start = 0;
        for (let i = buf.indexOf(0x1d); i >= 0; start = i + 1, i = buf.indexOf(0x1d, start)) {
          touchMarcjs(Iso2709Parser.parse(buf.subarray(start, i + 1))); n++;
        }
      }
      return n;
    });
    row('marcjs 3.0.2 Iso2709Parser.parse (sync, pre-cut)', ms2, n2);
  } catch (e) { console.error('marcjs:', e.message); }
  try {
    const { ISO2709 } = require('@natlibfi/marc-record-serializers');
    const [ms, n] = await bestAsync(1, () => new Promise((resolve, reject) => {
      let n = 0, errors = 0;
      const em = ISO2709.reader(stream(), { subfieldValues: false, fields: false });
      em.on('data', (rec) => { n++; let k = rec.leader.length; for (const f of rec.fields) k += (f.subfields?.length ?? 0); });
      em.on('end', () => { if (errors) console.error(`@natlibfi: ${errors} records failed ("URI malformed" on MARC-8 bytes)`); resolve(n); });
      em.on('error', () => { errors++; });
    }));
    row('@natlibfi/marc-record-serializers 10.1.6 ISO2709.reader', ms, n);
  } catch (e) { console.error('@natlibfi:', e.message); }
}

console.log(`${path.basename(file)} x${repeat}: ${MB.toFixed(1)} MB; init() ${tInit.toFixed(1)} ms (module already imported)`);
// Ratios to marcjs's stream parser, measured in this run.
const peer = rows.find((r) => r.name.startsWith('marcjs') && r.name.endsWith('stream'));
if (peer) for (const r of rows) r['x marcjs stream'] = (r['records/s'] / peer['records/s']).toFixed(2);
console.table(rows);
