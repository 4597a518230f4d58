// marcato for CommonJS (require('marcato') in Node 18 and later). The
// package is ES modules, which CommonJS can only load asynchronously, so
// this entry loads them on the first `await init()` (or `await load()`):
// after it, every name of the ES entry is here too, synchronous ones
// included (writer, recordsSync, compileQuery, Record...). The reading
// functions (records, batches, count) may be called before init(): they
// load the package themselves, as the ES entry's do.
//   const marcato = require('marcato');
//   await marcato.init();
//   for await (const rec of marcato.records('file.mrc')) ...
'use strict';

let mod = null;
let loading = null;

/** The package's ES module (node.js), loaded once. */
function load() {
  if (!loading) {
    loading = import('./node.js').then((m) => {
      mod = m;
      return m;
    });
    loading.catch(() => { loading = null; });
  }
  return loading;
}

function loaded(name) {
  if (!mod) throw new Error(`marcato: call \`await init()\` (or \`await load()\`) before ${name}() in CommonJS: the package's ES modules load asynchronously`);
  return mod;
}

const api = {
  load,
  async init(options) {
    return (await load()).init(options);
  },
  async count(source, opts) {
    return (await load()).count(source, opts);
  },
  async *records(source, opts) {
    yield* (await load()).records(source, opts);
  },
  async *batches(source, opts) {
    yield* (await load()).batches(source, opts);
  },
};

// Everything else of the ES entry, once loaded: functions are forwarded,
// classes and other values read through getters.
const FUNCTIONS = ['threadsSupported', 'memoryStats', 'recordsSync', 'sniffFormat', 'writer', 'compileQuery',
  'compileSpec', 'validate', 'loadSchema', 'threadsError', 'terminateThreads'];
for (const name of FUNCTIONS) api[name] = (...args) => loaded(name)[name](...args);
for (const name of ['Query', 'Spec', 'Schema', 'BUILTIN_SCHEMAS', 'MarcDecoderStream', 'MarcEncoderStream', 'Record', 'ControlField', 'DataField', 'MarcError']) {
  Object.defineProperty(api, name, { enumerable: true, get: () => loaded(name)[name] });
}

module.exports = api;
