// The public API of the package, listed once: node.js and browser.js
// register their platform and re-export this list.
//
// Layers: wasm.js is the only caller of the wasm exports; record.js
// (Record and its fields), read.js (one drive loop for every reader),
// query.js (filters compiled by the core),
// threads.js (the threaded reader), write.js (writers), streams.js (web
// streams) and sources.js (inputs as byte chunks) build on it.

export { init, threadsSupported, memoryStats } from './start.js';
export { records, recordsSync, batches, count } from './read.js';
export { sniffFormat } from './sources.js';
export { writer } from './write.js';
export { compileQuery, Query } from './query.js';
export { threadsError, terminateThreads } from './threads.js';
export { MarcDecoderStream, MarcEncoderStream } from './streams.js';
export { Record, ControlField, DataField } from './record.js';
export { MarcError } from './errors.js';
