// marcato for Node: loads dist/marcato.wasm from beside the package with
// fs (never fetch: Node 20's fetch cannot load file: URLs for Emscripten)
// and reads file paths in chunks.
import { open, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { _setPlatform } from './core.js';

const distURL = new URL('../dist/', import.meta.url);

_setPlatform({
  async moduleArgs(options) {
    return {
      wasmBinary: options.wasmBinary ?? await readFile(new URL('marcato.wasm', distURL)),
      // The module is an ES module: give its Node branch what CommonJS has.
      require: createRequire(import.meta.url),
      __dirname: fileURLToPath(distURL),
    };
  },
  // A file read in chunks into one reused buffer: the reader copies each
  // chunk into wasm memory before asking for the next.
  async *openPath(path, chunkSize) {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.allocUnsafe(chunkSize);
      // A small first read: the first record comes sooner.
      let want = Math.min(chunkSize, 64 << 10);
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, want, null);
        want = chunkSize;
        if (!bytesRead) return;
        yield buf.subarray(0, bytesRead);
      }
    } finally {
      await fh.close();
    }
  },
});

export {
  init, records, recordsSync, batches, count, memoryStats,
  Record, ControlField, DataField, MarcError,
} from './core.js';
