// marcato for browsers and workers (and any runtime with fetch): the .wasm
// is fetched from beside dist/marcato.js (new URL(..., import.meta.url),
// which bundlers understand) unless `wasmURL` or `wasmBinary` is given.
// It is compiled before the module starts, so a failed fetch rejects
// init() instead of leaving it pending.
import { _setPlatform } from './core.js';

async function compile(url) {
  if (typeof WebAssembly.compileStreaming === 'function') {
    try {
      return await WebAssembly.compileStreaming(fetch(url));
    } catch (e) {
      // e.g. served without Content-Type application/wasm: try the bytes
    }
  }
  const r = await fetch(url);
  if (!r.ok) throw new Error(`marcato: cannot fetch ${url}: HTTP ${r.status}`);
  return WebAssembly.compile(await r.arrayBuffer());
}

_setPlatform({
  async moduleArgs(options) {
    if (options.wasmBinary) return { wasmBinary: options.wasmBinary };
    const module = await compile(options.wasmURL ?? new URL('../dist/marcato.wasm', import.meta.url));
    return {
      instantiateWasm(imports, done) {
        WebAssembly.instantiate(module, imports).then((instance) => done(instance, module));
        return {};
      },
    };
  },
  openPath: null,
});

export {
  init, records, recordsSync, batches, count, memoryStats,
  Record, ControlField, DataField, MarcError,
} from './core.js';
