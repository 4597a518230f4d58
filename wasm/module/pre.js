// Emscripten pre-js of the marcato module (inside the module factory).
//
// The output is an ES module, which has no `require` or `__dirname`; the
// Node branch of Emscripten's loader uses both while it starts. The Node
// entry of the package (web/src/node.js) passes them in as Module options,
// and always passes `wasmBinary`, so the loader never reads or fetches a
// file itself (Node 20's fetch cannot load file: URLs for it).
var require = Module['require'];
var __dirname = Module['__dirname'] || '';
