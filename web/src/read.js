// Reading: records(), batches(), recordsSync() and count() all run one
// drive loop (drive() below) over a decoder: the single-threaded wasm
// reader here, a counter, or the threaded reader of threads.js.

import {
  L, requireReady, readerNew, readerFeed, readerNext, readerFinish, readerFree,
  readerCount, readerCounted, readerSetQuery, queryCompile, queryFree,
} from './wasm.js';
import { readerValidation } from './validate.js';
import { filterText } from './query.js';
import { decodeBatch } from './record.js';
import { platform } from './platform.js';
import { init } from './start.js';
import { startInput, asBytes, sniffFormat } from './sources.js';
import { threadsReady, ThreadedDecoder } from './threads.js';

const DEFAULTS = {
  strict: false, maxRecord: 0, maxDiagnostics: 0,
  batchSize: 256, batchBytes: 1 << 20, chunkSize: 1 << 20,
  format: undefined, encoding: 'auto', nfc: false, threads: 0, filter: undefined,
  validate: false, schema: undefined, rules: undefined,
};
const ENCODINGS = ['auto', 'marc8', 'utf8'];
const FORMATS = ['iso2709', 'marcxml', 'json', 'jsonl', 'mrk'];

function options(o) {
  const r = { ...DEFAULTS, ...(o || {}) };
  r.batchSize = Math.max(1, r.batchSize >>> 0);
  r.chunkSize = Math.max(1, r.chunkSize >>> 0);
  if (!ENCODINGS.includes(r.encoding)) throw new TypeError(`marcato: encoding is 'auto', 'marc8' or 'utf8', not ${JSON.stringify(r.encoding)}`);
  if (r.format !== undefined && !FORMATS.includes(r.format)) {
    throw new TypeError(`marcato: format is 'iso2709', 'marcxml', 'json', 'jsonl' or 'mrk', not ${JSON.stringify(r.format)}`);
  }
  r.threads = r.threads === true ? (platform?.cpus?.() ?? 4) : Math.max(0, r.threads >>> 0);
  return r;
}

// A wasm reader with the options `o`, keeping only the records that match
// o.filter (and validating them with o.validate, against o.schema): {h,
// q, v} (q 0 without a filter, v null without validation).
function openReader(o, format) {
  const q = o.filter == null ? 0 : queryCompile(filterText(o.filter));
  let h = 0;
  try {
    h = readerNew(o, format);
    if (q) readerSetQuery(h, q);
    return { h, q, v: o.validate ? readerValidation(h, o) : null };
  } catch (e) {
    readerFree(h);
    if (q) queryFree(q);
    throw e;
  }
}

function closeReader(r) {
  readerFree(r.h);
  if (r.q) queryFree(r.q);
  r.v?.release();
}

// ------------------------------------------------------------------
// Decoders: what the drive loop runs
// ------------------------------------------------------------------
// feed(piece) -> false when there is no room now; take() -> a batch
// ({records, status, error}) or null when none is ready; finish(); done()
// -> true once the last batch was taken; mark() and wait(mark) -> a
// Promise that settles when waiting may have ended; close(completed).

/** The single-threaded wasm reader. */
class Decoder {
  constructor(o, format, firstSmall) {
    this.r = openReader(o, format);
    this.h = this.r.h;
    this.o = o;
    // The first batch is small: the first record comes sooner.
    this.size = firstSmall ? Math.min(16, o.batchSize) : o.batchSize;
    this.starved = true; // the last batch said: no more without input
    this.ended = false;
  }
  mark() { return 0; }
  feed(piece) {
    readerFeed(this.h, piece);
    this.starved = false;
    return true;
  }
  take() {
    if (this.starved) return null;
    const b = decodeBatch(readerNext(this.h, this.size, this.o.batchBytes));
    this.size = this.o.batchSize;
    if (b.status !== L.status.OK) { // NEED_MORE or END
      this.starved = true;
      this.ended = b.status === L.status.END;
    }
    return b;
  }
  finish() {
    readerFinish(this.h);
    this.starved = false;
  }
  done() { return this.ended; }
  wait() { throw new Error('marcato: the reader wants input after its end'); }
  close() { closeReader(this.r); }
}

/** Parse-only: the records are counted in wasm, no batch is made. */
class Counter {
  constructor(o, format) {
    this.r = openReader(o, format);
    this.h = this.r.h;
    this.finished = false;
    this.counted = 0;
  }
  mark() { return 0; }
  feed(piece) {
    readerFeed(this.h, piece);
    readerCount(this.h);
    return true;
  }
  take() { return null; }
  finish() {
    readerFinish(this.h);
    readerCount(this.h);
    this.finished = true;
  }
  done() { return this.finished; }
  wait() { throw new Error('marcato: the counter wants input after its end'); }
  close() {
    this.counted = readerCounted(this.h);
    closeReader(this.r);
  }
}

// ------------------------------------------------------------------
// The drive loop
// ------------------------------------------------------------------

const NEED = Symbol('input');

// Input in, batches out: a generator that yields NEED for the next chunk
// of input (given back through next(chunk), null at the end), an array of
// records, or a Promise to await before going on (the threaded reader had
// no room for input and no batch ready). Each chunk is fed in pieces of
// at most `chunkSize` bytes; a batch's error is thrown after its records.
function* drive(dec, chunkSize) {
  for (let bytes; (bytes = yield NEED) !== null;) {
    for (let pos = 0; pos < bytes.length; pos += chunkSize) {
      const piece = pos === 0 && bytes.length <= chunkSize ? bytes : bytes.subarray(pos, pos + chunkSize);
      for (;;) {
        const seen = dec.mark();
        if (dec.feed(piece)) break;
        let got = false;
        for (let b; (b = dec.take()) !== null;) {
          got = true;
          if (b.records.length) yield b.records;
          if (b.error) throw b.error;
        }
        if (!got) yield dec.wait(seen);
      }
      for (let b; (b = dec.take()) !== null;) {
        if (b.records.length) yield b.records;
        if (b.error) throw b.error;
      }
    }
  }
  dec.finish();
  for (;;) {
    const seen = dec.mark();
    let got = false;
    for (let b; (b = dec.take()) !== null;) {
      got = true;
      if (b.records.length) yield b.records;
      if (b.error) throw b.error;
    }
    if (dec.done()) return;
    if (!got) yield dec.wait(seen);
  }
}

// An iterator dropped without return() (a loop left by a lost reference,
// not by break) is suspended for good: its finally never runs. When the
// garbage collector takes it, this frees its wasm reader and closes its
// source, which it keeps in `held` ({dec, input, closed}) and not in
// itself, so that they do not keep it alive.
const abandoned = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry((held) => release(held)) : null;

function release(held) {
  if (held.closed) return;
  held.closed = true;
  try {
    held.dec?.close(false);
    Promise.resolve(held.input?.close()).catch(() => {});
  } catch { /* nothing more to free */ }
}

// A generator made by `make(held)`, registered with `abandoned`.
function watched(make) {
  const held = { dec: null, input: null, closed: false };
  const g = make(held);
  abandoned?.register(g, held, held);
  return g;
}

// The drive loop over an async source, with the decoder `open` makes for
// the options and the input's format. Leaving early (break, throw) frees
// the decoder and closes the source; so does the garbage collector when
// the iterator is dropped (`held`, see watched()).
async function* pump(source, opts, open, held) {
  await init();
  const o = options(opts);
  const input = held.input = await startInput(source, o);
  let dec = null, completed = false;
  try {
    dec = held.dec = await open(o, input.format);
    const g = drive(dec, o.chunkSize);
    for (let r = g.next(); !r.done;) {
      const v = r.value;
      if (v === NEED) {
        const c = await input.chunks.next();
        r = g.next(c.done ? null : c.value);
      } else if (Array.isArray(v)) {
        yield v;
        r = g.next();
      } else {
        await v;
        r = g.next();
      }
    }
    completed = true;
  } finally {
    held.closed = true;
    abandoned?.unregister(held);
    if (dec) await dec.close(completed);
    await input.chunks.return();
    await input.close();
  }
}

// ------------------------------------------------------------------
// The API
// ------------------------------------------------------------------

/** Batches of records (arrays) from `source`: the fastest way to read;
 * records() is built on it. */
export function batches(source, opts) {
  return watched((held) => pump(source, opts, async (o, format) =>
    (o.threads > 1 && format === 'iso2709' && await threadsReady(o.threads)
      ? new ThreadedDecoder(o) : new Decoder(o, format, true)), held));
}

/** The records of `source`, one at a time:
 *   for await (const rec of records('file.mrc')) { ... }
 * Leaving the loop early (break, throw) frees the wasm reader. */
export function records(source, opts) {
  // An async generator here (yield per record) costs about a tenth of the
  // reading time: this iterator answers from the current batch with an
  // already-resolved Promise and only awaits wasm when the batch is used up.
  const it = batches(source, opts);
  let batch = [], i = 0, done = false, pending = null;
  async function pull() {
    try {
      for (;;) {
        const r = await it.next();
        if (r.done) { done = true; return { value: undefined, done: true }; }
        if (r.value.length) {
          batch = r.value;
          const value = batch[0];
          batch[0] = undefined;
          i = 1;
          return { value, done: false };
        }
      }
    } catch (e) {
      done = true;
      batch = [];
      throw e;
    } finally {
      pending = null;
    }
  }
  const end = async (value) => {
    done = true;
    batch = [];
    await it.return();
    return { value, done: true };
  };
  const iter = {
    [Symbol.asyncIterator]() { return iter; },
    next() {
      // Calls made before the last one settled wait their turn.
      if (pending) return pending.then(() => iter.next(), () => iter.next());
      if (i < batch.length) {
        // Records already handed out are not kept alive by the batch: fewer
        // live objects for each young-generation GC to copy.
        const value = batch[i];
        batch[i++] = undefined;
        return Promise.resolve({ value, done: false });
      }
      if (done) return Promise.resolve({ value: undefined, done: true });
      return (pending = pull());
    },
    return(value) { return end(value); },
    async throw(err) { await end(); throw err; },
  };
  return iter;
}

/** Records of bytes already in memory, synchronously (after init()). */
export function recordsSync(bytes, opts) {
  return watched((held) => syncRecords(bytes, opts, held));
}

function* syncRecords(bytes, opts, held) {
  requireReady();
  const o = options(opts);
  const input = asBytes(bytes);
  const dec = held.dec = new Decoder(o, o.format ?? sniffFormat(input), false);
  try {
    const g = drive(dec, o.chunkSize);
    let fed = false;
    for (let r = g.next(); !r.done;) {
      const v = r.value;
      if (v === NEED) {
        r = g.next(fed ? null : input);
        fed = true;
      } else if (Array.isArray(v)) {
        // As in records(): a record handed out is not kept alive by its
        // batch, so young-generation GCs copy fewer objects.
        for (let i = 0; i < v.length; i++) {
          const rec = v[i];
          v[i] = undefined;
          yield rec;
        }
        r = g.next();
      } else {
        throw new Error('marcato: recordsSync cannot wait'); // only threaded decoders wait
      }
    }
  } finally {
    held.closed = true;
    abandoned?.unregister(held);
    dec.close();
  }
}

/** Count the records of `source` without building JS objects (parsing
 * still runs fully in wasm). Strict mode counts records with problems too. */
export async function count(source, opts) {
  let counter = null;
  // eslint-disable-next-line no-unused-vars
  for await (const _ of pump(source, opts, (o, format) => (counter = new Counter(o, format)), { closed: false }));
  return counter.counted;
}
