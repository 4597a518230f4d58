// Sources: every input records() accepts (a path, bytes, a Blob, a
// Response, a web stream, a Node stream, an (async) iterable of chunks)
// becomes an async iterable of byte chunks, the first one peeked at to
// pick the format when none is given.

import { platform } from './platform.js';
import { requireReady, sniff } from './wasm.js';

/** The format of input that starts with `bytes` (after init()), by the
 * core's one rule (marc_sniff, the CLI's too): after a byte order mark
 * and blanks, '<' MARCXML, '[' JSON, '{' JSON Lines when a whole object
 * stands on the first line and the next starts with '{' (else JSON),
 * "=LDR" MARCMaker, anything else ISO 2709. */
export function sniffFormat(bytes) {
  requireReady();
  return sniff(asBytes(bytes));
}

export function asBytes(chunk) {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new TypeError(`marcato: input chunks must be bytes (Uint8Array), not ${typeof chunk === 'string' ? 'strings (do not set an encoding on the stream)' : typeof chunk}`);
}

// A path has no line breaks or record terminators and is not thousands of
// characters long; the contents of a file passed by mistake have them.
function looksLikeRecords(s) {
  return s.length > 4096 || /[\n\r\x1d\x1e]/.test(s);
}

// Every source becomes an async iterable of byte chunks.
async function* chunksOf(source, o) {
  if (typeof source === 'string' || (typeof URL !== 'undefined' && source instanceof URL)) {
    if (typeof source === 'string' && looksLikeRecords(source)) {
      throw new TypeError(`marcato: a string is a file path, and this one (${source.length} characters, starting ${JSON.stringify(source.slice(0, 24))}) looks like records: pass their bytes, new TextEncoder().encode(text)`);
    }
    if (!platform.openPath) throw new TypeError('marcato: file paths can only be read in Node; pass a Blob, a ReadableStream or bytes');
    yield* platform.openPath(source, o.chunkSize);
  } else if (source instanceof Uint8Array || ArrayBuffer.isView(source) || source instanceof ArrayBuffer) {
    yield asBytes(source);
  } else if (typeof Blob !== 'undefined' && source instanceof Blob) {
    yield* readStream(source.stream());
  } else if (typeof Response !== 'undefined' && source instanceof Response) {
    if (source.body) yield* readStream(source.body);
  } else if (source && typeof source.getReader === 'function') {
    yield* readStream(source);
  } else if (source && typeof source[Symbol.asyncIterator] === 'function') {
    for await (const c of source) yield c;
  } else if (source && typeof source[Symbol.iterator] === 'function') {
    for (const c of source) yield c;
  } else {
    throw new TypeError('marcato: records() reads a path, a Node Readable, a ReadableStream, a Blob, a Uint8Array or an (async) iterable of Uint8Array');
  }
}

async function* readStream(stream) {
  const reader = stream.getReader();
  let done = false;
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) { done = true; return; }
      yield r.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

// Byte chunks of the source, the first non-empty one peeked at to pick
// the format when none is given.
async function* bytesOf(source, o, info) {
  let first = true;
  for await (const chunk of chunksOf(source, o)) {
    const bytes = asBytes(chunk);
    if (!bytes.length) continue;
    if (first) {
      first = false;
      info.format = o.format ?? sniffFormat(bytes);
      info.resolve();
    }
    yield bytes;
  }
  if (first) { info.format = o.format ?? 'iso2709'; info.resolve(); }
}

// Pull the first chunk to learn the format, then go on with the rest.
export async function startInput(source, o) {
  const info = {};
  const ready = new Promise((r) => { info.resolve = r; });
  const it = bytesOf(source, o, info)[Symbol.asyncIterator]();
  const head = await it.next();
  await ready;
  async function* rest() {
    try {
      if (!head.done) yield head.value;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      await it.return?.();
    }
  }
  return { format: info.format, chunks: rest(), close: () => it.return?.() };
}
