// marcato for Node: loads dist/*.wasm from beside the package with fs
// (never fetch: Node 20's fetch cannot load file: URLs for Emscripten) and
// reads file paths in chunks.
import { open, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setPlatform } from './platform.js';

const distURL = new URL('../dist/', import.meta.url);

function nodeArgs() {
  // The modules are ES modules: give their Node branch what CommonJS has.
  return { require: createRequire(import.meta.url), __dirname: fileURLToPath(distURL) };
}

setPlatform({
  async moduleArgs(options) {
    return {
      wasmBinary: options.wasmBinary ?? await readFile(new URL('marcato.wasm', distURL)),
      ...nodeArgs(),
    };
  },
  async threadsModuleArgs(options) {
    return {
      wasmBinary: options.wasmBinary ?? await readFile(new URL('marcato-threads.wasm', distURL)),
      ...nodeArgs(),
    };
  },
  // A Latin-1 decoder of a batch, for ASCII text and leaders (Buffer's
  // latin1Slice: 2.5x TextDecoder on the same bytes in Node 20).
  latin1Text(u8) {
    const buf = Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
    return (start, end) => buf.latin1Slice(start, end);
  },
  cpus() { return typeof availableParallelism === 'function' ? availableParallelism() : cpus().length; },
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

export * from './index.js';
