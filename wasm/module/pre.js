// Emscripten pre-js of the marcato modules (inside the module factory).
//
// The output is an ES module, which has no `require` or `__dirname`; the
// Node branch of Emscripten's loader uses both while it starts. The Node
// entry of the package (web/src/node.js) passes them in as Module options,
// and always passes `wasmBinary`, so the loader never reads or fetches a
// file itself (Node 20's fetch cannot load file: URLs for it). A pthread
// worker of the threaded module in Node gets them from the worker script's
// globals (dist/marcato-threads.worker.js is CommonJS).
var require = Module['require'] ||
    (typeof globalThis.require == 'function' ? globalThis.require : undefined);
var __dirname = Module['__dirname'] || '';
