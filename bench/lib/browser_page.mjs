// The browser half of bench/lib/browser_bench.mjs: the JS scenarios of
// js_bench.mjs run in a page (served with or without COOP/COEP). Returns
// the raw times; the Node side prints them as JSON.
import { init, records, count, threadsSupported, threadsError } from '/web/src/browser.js';
import { touchLazy, touchEager } from '/bench/lib/touch.mjs';

export async function run({ rounds, threads }) {
  const t0 = performance.now();
  await init();
  const initMs = performance.now() - t0;
  const blob = await (await fetch('/data/main.mrc')).blob();
  const bytes = new Uint8Array(await blob.arrayBuffer());
  function* chunks() { for (let i = 0; i < bytes.length; i += 1 << 20) yield bytes.subarray(i, Math.min(bytes.length, i + (1 << 20))); }
  const loop = (src, o, touch) => async () => { let n = 0; for await (const r of records(src(), o)) { touch(r); n++; } return n; };
  const scen = [
    ['records() batch 256, lazy', loop(chunks, { batchSize: 256 }, touchLazy)],
    ['records() batch 256, eager', loop(chunks, { batchSize: 256 }, touchEager)],
    ['records() batch 1, eager', loop(chunks, { batchSize: 1 }, touchEager)],
    ['records(Blob) batch 256, eager', loop(() => blob, { batchSize: 256 }, touchEager)],
    [`records() threads: ${threads}, eager`, loop(chunks, { threads }, touchEager)],
    ['count() wasm parse-only', () => count(chunks())],
  ];
  // First record of the threaded module (loads it and starts its workers).
  const t1 = performance.now();
  for await (const r of records(chunks(), { threads })) { void r; break; }
  const threadsFirstMs = performance.now() - t1;
  const rows = scen.map(([name]) => ({ name, ms: [], records: 0 }));
  for (let r = -1; r < rounds; r++) { // round -1: warm-up, not kept
    for (let i = 0; i < scen.length; i++) {
      const a = performance.now();
      const n = await scen[i][1]();
      const ms = performance.now() - a;
      if (r >= 0) { rows[i].ms.push(ms); rows[i].records = n; }
    }
  }
  return {
    isolated: globalThis.crossOriginIsolated, threadsSupported: threadsSupported(),
    threadsError: threadsError() ? String(threadsError()) : null, initMs, threadsFirstMs,
    bytes: bytes.length, userAgent: navigator.userAgent, rows,
  };
}
