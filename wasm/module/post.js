// Emscripten post-js of the marcato modules (inside the module factory).
// The wasm memory's current buffer: with pthreads another thread may have
// grown the memory, and HEAPU8 on this thread is only refreshed lazily.
Module['memoryBuffer'] = function() { return wasmMemory.buffer; };
