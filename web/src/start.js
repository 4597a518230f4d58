// Start-up: init() loads the single-threaded module once, and what the
// loaded package can do here (threadsSupported, memoryStats).

import { platform } from './platform.js';
import { loadMain, heapStats, requireReady } from './wasm.js';

let ready = null; // the one global init() Promise

/** Load and instantiate the wasm module (once; later calls return the
 * same Promise). Options: `wasmBinary` (bytes of marcato.wasm), and in
 * browsers `wasmURL` (where to fetch it, default: beside this package's
 * dist/marcato.mjs). */
export function init(options = {}) {
  if (!ready) {
    ready = (async () => {
      if (!platform) throw new Error('marcato: no platform entry loaded');
      const L = await loadMain(await platform.moduleArgs(options));
      return {
        version: L.version,
        formats: Object.keys(L.formats),
        inputs: Object.keys(L.inputs),
        marc8: L.marc8,
        threads: threadsSupported(),
        schemas: L.avram ? Object.keys(L.builtinSchemas) : [],
      };
    })();
    ready.catch(() => { ready = null; }); // a failed start may be retried
  }
  return ready;
}

/** Can records(source, {threads}) use workers here? (SharedArrayBuffer
 * and, in browsers, a crossOriginIsolated page.) */
export function threadsSupported() {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return false;
  if (typeof globalThis.crossOriginIsolated === 'boolean' && !globalThis.crossOriginIsolated) return false;
  return !!platform?.threadsModuleArgs;
}

/** Counters of the wasm side, for tests and leak checks: C heap bytes in
 * use, glue objects alive (readers, writers) and wasm memory size; with
 * `threads`, the same for the threaded module (null when not loaded). */
export function memoryStats({ threads = false } = {}) {
  requireReady();
  return heapStats(threads);
}
