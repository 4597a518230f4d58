// marcato for browsers and workers (and any runtime with fetch): the .wasm
// files are fetched from beside dist/marcato.mjs (new URL(...,
// import.meta.url), which bundlers understand) unless `wasmURL` or
// `wasmBinary` is given. A module is compiled before it starts, so a
// failed fetch rejects init() instead of leaving it pending. The threaded
// module (records(source, {threads: N})) needs a crossOriginIsolated page
// (COOP: same-origin, COEP: require-corp); elsewhere reading falls back to
// the single-threaded module.
import { setPlatform } from './platform.js';

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

async function args(options, name) {
  if (options.wasmBinary) return { wasmBinary: options.wasmBinary };
  const module = await compile(options.wasmURL ?? new URL(`../dist/${name}`, import.meta.url));
  return {
    instantiateWasm(imports, done) {
      WebAssembly.instantiate(module, imports).then((instance) => done(instance, module));
      return {};
    },
  };
}

setPlatform({
  moduleArgs: (options) => args(options, 'marcato.wasm'),
  threadsModuleArgs: (options) => args(options, 'marcato-threads.wasm'),
  cpus: () => globalThis.navigator?.hardwareConcurrency ?? 4,
  openPath: null,
});

export * from './index.js';
