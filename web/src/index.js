// The public API of the package, listed once: node.js and browser.js
// register their platform (platform.js) and re-export this list.
//
// One record from bytes to a JS object, and the module of each step:
//   sources.js  the source (path, Blob, stream, bytes...) becomes byte
//               chunks; the first one is sniffed (the core's marc_sniff)
//               when no format is given
//   read.js     the one drive loop: feeds the chunks to a decoder and hands
//               out its batches (records(), batches(), recordsSync(),
//               count(); threads.js's decoder runs the same loop)
//   wasm.js     the only caller of the wasm exports: copies a chunk into
//               wasm memory, asks for a batch (the glue decodes up to 256
//               records, dropping those a filter rejects) and copies the
//               batch out with one slice(); every offset, flag and code
//               comes from the layout the glue publishes
//   record.js   Record objects over the batch copy: leader, fields and
//               subfields are decoded on first use at the layout's offsets
//   write.js    a record back to bytes in any format (the core's writers,
//               through wasm.js); streams.js wraps reading and writing as
//               web streams; query.js compiles queries, spec.js
//               MARCspecs (rec.select); validate.js Avram schemas and
//               validate(); start.js is init()

export { init, threadsSupported, memoryStats } from './start.js';
export { records, recordsSync, batches, count } from './read.js';
export { sniffFormat } from './sources.js';
export { writer } from './write.js';
export { compileQuery, Query } from './query.js';
export { compileSpec, Spec } from './spec.js';
export { validate, loadSchema, Schema, BUILTIN_SCHEMAS } from './validate.js';
export { threadsError, terminateThreads } from './threads.js';
export { MarcDecoderStream, MarcEncoderStream } from './streams.js';
export { Record, ControlField, DataField } from './record.js';
export { MarcError } from './errors.js';
