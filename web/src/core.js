// marcato: the platform-neutral part of the JS package.
//
// Layers (as in SQLite's wasm build): the marc__wasm_* exports of
// wasm/module/marcato_wasm.c (C never throws), this file's heap glue (one
// HEAPU8.set per input chunk, one slice() per batch of records), and the
// object API (Record, fields, MarcError). The Emscripten Module object
// stays inside this file.
//
// The entry points node.js and browser.js supply how the .wasm is loaded
// and how a path is read (Node only), then re-export this API.

import MarcatoModule from '../dist/marcato.js';

let platform = null;
let ready = null; // the one global init() Promise
let M = null; // the Emscripten module
let L = null; // layout, status codes and code names, from C
let writer = 0; // the writer scratch object (wasm pointer)
let views = null; // {buffer, u8, u32, i32} over the current wasm memory

/** @internal Called once by the entry module (node.js / browser.js). */
export function _setPlatform(p) {
  platform = p;
}

// ------------------------------------------------------------------
// Errors
// ------------------------------------------------------------------

/** A problem in the input (strict mode) or a record a writer cannot
 * encode. `code` is a stable name such as "LENGTH_MISMATCH". */
export class MarcError extends Error {
  constructor(message, { code = 'NONE', offset = 0, record = 0, tag = '',
                         status = 'E_INVALID' } = {}) {
    super(message);
    this.name = 'MarcError';
    this.code = code;
    this.offset = offset;
    this.record = record;
    this.tag = tag;
    this.status = status;
  }
}

// ------------------------------------------------------------------
// Start-up
// ------------------------------------------------------------------

/** Load and instantiate the wasm module (once; later calls return the
 * same Promise). Options: `wasmBinary` (bytes of marcato.wasm), and in
 * browsers `wasmURL` (where to fetch it, default: beside this package's
 * dist/marcato.js). */
export function init(options = {}) {
  if (!ready) {
    ready = (async () => {
      if (!platform) throw new Error('marcato: no platform entry loaded');
      const args = await platform.moduleArgs(options);
      const m = await MarcatoModule(args);
      setup(m);
      return { version: L.version, formats: Object.keys(L.formats) };
    })();
    ready.catch(() => { ready = null; }); // a failed start may be retried
  }
  return ready;
}

function setup(m) {
  M = m;
  L = JSON.parse(cString(M._marc__wasm_layout()));
  for (const k of ['batch', 'rec', 'field', 'diag', 'result']) {
    const s = L[k];
    // Word indexes of the uint32 members (all 4-byte aligned).
    s.w = {};
    for (const [name, off] of Object.entries(s)) if (name !== 'w') s.w[name] = off >> 2;
  }
  L.statusName = Object.fromEntries(Object.entries(L.status).map(([k, v]) => [v, k]));
  writer = M._marc__wasm_writer_new();
  if (!writer) throw new Error('marcato: out of memory');
  bindLayout();
  if (L.formats.marcxml !== undefined) {
    Record.prototype.toMARCXML = function toMARCXML() {
      return utf8.decode(writeRecord(this, L.formats.marcxml, 0));
    };
  }
}

function heap() {
  const buf = M.HEAPU8.buffer;
  if (!views || views.buffer !== buf) {
    views = { buffer: buf, u8: M.HEAPU8, u32: new Uint32Array(buf), i32: new Int32Array(buf) };
  }
  return views;
}

function cString(ptr) {
  const u8 = heap().u8;
  let end = ptr;
  while (u8[end]) end++;
  return utf8.decode(u8.subarray(ptr, end));
}

function requireReady() {
  if (!M) throw new Error('marcato: call `await init()` first');
}

/** Counters of the wasm side, for tests and leak checks: C heap bytes in
 * use, glue objects alive (readers, writers) and wasm memory size. */
export function memoryStats() {
  requireReady();
  return {
    heapUsed: M._marc__wasm_heap_used() >>> 0,
    liveObjects: M._marc__wasm_live_allocations(),
    wasmMemory: M.HEAPU8.buffer.byteLength,
  };
}

// ------------------------------------------------------------------
// Text helpers
// ------------------------------------------------------------------

const utf8 = new TextDecoder('utf-8');
const CHARS = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i));
const TAGS = new Map();

function latin1(u8, start, end) {
  let s = '';
  for (let i = start; i < end; i++) s += CHARS[u8[i]];
  return s;
}

function tagAt(u8, p) {
  const k = (u8[p] << 16) | (u8[p + 1] << 8) | u8[p + 2];
  let t = TAGS.get(k);
  if (t === undefined) {
    t = CHARS[u8[p]] + CHARS[u8[p + 1]] + CHARS[u8[p + 2]];
    TAGS.set(k, t);
  }
  return t;
}

// Split subfield data (text with 0x1F delimiters) as marc_subfield_next
// does: text before the first delimiter gets code "", a lone trailing
// delimiter is ignored.
function splitSubfields(text) {
  const out = [];
  let i = text.indexOf('\x1f');
  if (i !== 0 && text.length) {
    out.push({ code: '', value: i < 0 ? text : text.slice(0, i) });
  }
  while (i >= 0 && i + 1 < text.length) {
    const j = text.indexOf('\x1f', i + 2);
    out.push({ code: text[i + 1], value: text.slice(i + 2, j < 0 ? text.length : j) });
    i = j;
  }
  return out;
}

const matchers = new Map();
function matcher(pattern) {
  let m = matchers.get(pattern);
  if (m) return m;
  if (typeof pattern !== 'string' || pattern.length !== 3) {
    throw new TypeError(`marcato: a tag pattern has three characters ("245", "6XX", "1.."), not ${JSON.stringify(pattern)}`);
  }
  const wild = [...pattern].map((c) => c === 'X' || c === 'x' || c === '.');
  if (!wild.some(Boolean)) m = (t) => t === pattern;
  else m = (t) => (wild[0] || t[0] === pattern[0]) && (wild[1] || t[1] === pattern[1]) &&
                  (wild[2] || t[2] === pattern[2]);
  if (matchers.size < 1000) matchers.set(pattern, m);
  return m;
}

// ------------------------------------------------------------------
// Records
// ------------------------------------------------------------------

// Word indexes and byte offsets, bound once the layout is known.
let R, F, FB, D, REC_UTF8, FSIZE_W, DSIZE_W, R_LEADER;
function bindLayout() {
  R = L.rec.w;
  R_LEADER = L.rec.leader;
  F = L.field.w;
  FB = L.field; // byte offsets (tag, ind1, ind2, control)
  D = L.diag.w;
  REC_UTF8 = L.recFlags.utf8;
  FSIZE_W = L.field.sizeof >> 2;
  DSIZE_W = L.diag.sizeof >> 2;
}

const EMPTY = Object.freeze([]);
const TWO32 = 4294967296;

/** A control field (tag 00X). */
export class ControlField {
  constructor(rec, tag, fw) {
    this.tag = tag;
    this._rec = rec;
    this._fw = fw;
    this._v = undefined;
  }
  get value() {
    if (this._v === undefined) this._v = this._rec._text(this._fw);
    return this._v;
  }
  get isControl() { return true; }
  toJSON() { return { [this.tag]: this.value }; }
}

/** A data field: indicators and subfields (decoded on first use). */
export class DataField {
  constructor(rec, tag, ind1, ind2, fw) {
    this.tag = tag;
    this.ind1 = ind1;
    this.ind2 = ind2;
    this._rec = rec;
    this._fw = fw;
    this._s = undefined;
  }
  get subfields() {
    if (this._s === undefined) this._s = splitSubfields(this._rec._text(this._fw));
    return this._s;
  }
  get isControl() { return false; }
  /** The first subfield `code`'s value, or undefined. */
  subfield(code) {
    for (const s of this.subfields) if (s.code === code) return s.value;
    return undefined;
  }
  toJSON() {
    const subfields = [];
    for (const s of this.subfields) if (s.code !== '') subfields.push({ [s.code]: s.value });
    return { [this.tag]: { ind1: this.ind1, ind2: this.ind2, subfields } };
  }
}

/** One record, read from a batch. Everything is decoded on first use from
 * the batch's bytes (one copy per batch, shared by its records). */
export class Record {
  constructor(u8, u32, base) {
    this._u8 = u8;
    this._u32 = u32;
    this._b = base; // byte offset of the record block in the batch
    this._w = base >> 2;
    this._leader = undefined;
    this._fields = undefined;
    this._str = undefined;
  }

  /** The 24 leader characters. */
  get leader() {
    if (this._leader === undefined) {
      const a = this._b + R_LEADER;
      this._leader = latin1(this._u8, a, a + 24);
    }
    return this._leader;
  }

  /** 0-based index of the record in its input. */
  get index() { return this._u32[this._w + R.index_lo] + this._u32[this._w + R.index_hi] * TWO32; }
  /** Absolute byte offset of the record's first byte in its input. */
  get offset() { return this._u32[this._w + R.offset_lo] + this._u32[this._w + R.offset_hi] * TWO32; }
  /** The raw ISO 2709 bytes as read (a view; copy it to keep it apart). */
  get bytes() {
    const a = this._b + this._u32[this._w + R.bytes];
    return this._u8.subarray(a, a + this._u32[this._w + R.nbytes]);
  }

  get fields() {
    if (this._fields !== undefined) return this._fields;
    const u8 = this._u8, u32 = this._u32, w = this._w;
    const n = u32[w + R.nfields];
    const out = new Array(n);
    let fb = this._b + u32[w + R.fields];
    for (let i = 0; i < n; i++, fb += FSIZE_W << 2) {
      const tag = tagAt(u8, fb + FB.tag);
      out[i] = u8[fb + FB.control]
        ? new ControlField(this, tag, fb >> 2)
        : new DataField(this, tag, CHARS[u8[fb + FB.ind1]], CHARS[u8[fb + FB.ind2]], fb >> 2);
    }
    this._fields = out;
    return out;
  }

  /** Problems found while reading this record (lenient mode). */
  get diagnostics() {
    const u32 = this._u32, w = this._w;
    const n = u32[w + R.ndiags];
    if (!n) return EMPTY;
    const out = new Array(n);
    for (let i = 0, dw = (this._b + u32[w + R.diags]) >> 2; i < n; i++, dw += DSIZE_W) {
      out[i] = diagAt(this._u8, u32, dw, this._b);
    }
    return out;
  }

  // The text of a field's data (value or subfield data with delimiters).
  _text(fw) {
    const u32 = this._u32, w = this._w;
    if (u32[w + R.flags] & REC_UTF8) {
      if (this._str === undefined) {
        const a = this._b + u32[w + R.bytes];
        this._str = utf8.decode(this._u8.subarray(a, a + u32[w + R.nbytes]));
      }
      const s = u32[fw + F.soff];
      return this._str.substring(s, s + u32[fw + F.slen]);
    }
    const a = this._b + u32[w + R.bytes] + u32[fw + F.off];
    return utf8.decode(this._u8.subarray(a, a + u32[fw + F.len]));
  }

  /** The first field whose tag matches ("245", "6XX", "1.."), or undefined. */
  get(pattern) {
    const m = matcher(pattern);
    for (const f of this.fields) if (m(f.tag)) return f;
    return undefined;
  }

  /** Every field whose tag matches. */
  getAll(pattern) {
    const m = matcher(pattern);
    return this.fields.filter((f) => m(f.tag));
  }

  /** The value of the first subfield `code` in the fields matching `tag`. */
  subfield(tag, code) {
    const m = matcher(tag);
    for (const f of this.fields) {
      if (!f.isControl && m(f.tag)) {
        const v = f.subfield(code);
        if (v !== undefined) return v;
      }
    }
    return undefined;
  }

  /** MARC-in-JSON: {leader, fields: [{"001": "..."}, {"245": {ind1, ind2,
   * subfields: [{"a": "..."}]}}]}. JSON.stringify(record) uses it. */
  toJSON() {
    return { leader: this.leader, fields: this.fields.map((f) => f.toJSON()) };
  }

  /** MARCMaker text (as `marcato dump` writes it), ending in a blank line. */
  toMRK() { return utf8.decode(writeRecord(this, L.formats.mrk, 0)); }

  /** ISO 2709 bytes (directory and lengths recomputed). */
  toISO2709() { return writeRecord(this, L.formats.iso2709, 0); }

  // toMARCXML() is added by setup() when the C writer is in the build.

  _block() {
    return this._u8.subarray(this._b, this._b + this._u32[this._w + R.size]);
  }
}

function diagAt(u8, u32, dw, blockBase) {
  const m = blockBase + u32[dw + D.msg];
  const tag = latin1(u8, dw * 4 + L.diag.tag, dw * 4 + L.diag.tag + 3).replace(/\0+$/, '');
  return {
    code: L.codes[u32[dw + D.code]] ?? 'UNKNOWN',
    message: utf8.decode(u8.subarray(m, m + u32[dw + D.msg_len])),
    offset: u32[dw + D.offset_lo] + u32[dw + D.offset_hi] * TWO32,
    record: u32[dw + D.record_lo] + u32[dw + D.record_hi] * TWO32,
    tag,
  };
}

function writeRecord(rec, fmt, flags) {
  requireReady();
  const blk = rec._block();
  const p = M._marc__wasm_writer_input(writer, blk.length);
  if (!p) throw new Error('marcato: out of memory');
  heap().u8.set(blk, p);
  const r = M._marc__wasm_write(writer, fmt, flags);
  const { u8, u32, i32 } = heap();
  const rw = r >> 2, W = L.result.w;
  const status = i32[rw + W.status];
  if (status !== L.status.OK) {
    const code = L.codes[u32[rw + W.err_code]] ?? 'NONE';
    throw new MarcError(`marcato: cannot write record ${rec.index}: ` +
      cString(M._marc__wasm_status_str(status)) + (code !== 'NONE' ? ` (${code})` : ''), {
      code, offset: rec.offset, record: rec.index,
      tag: latin1(u8, r + L.result.err_tag, r + L.result.err_tag + 3).replace(/\0+$/, ''),
      status: L.statusName[status],
    });
  }
  const d = u32[rw + W.data];
  return u8.slice(d, d + u32[rw + W.len]);
}

// ------------------------------------------------------------------
// Reading
// ------------------------------------------------------------------

const DEFAULTS = {
  strict: false, maxRecord: 0, maxDiagnostics: 0,
  batchSize: 256, batchBytes: 1 << 20, chunkSize: 1 << 20,
};

function options(o) {
  const r = { ...DEFAULTS, ...(o || {}) };
  r.batchSize = Math.max(1, r.batchSize >>> 0);
  r.chunkSize = Math.max(1, r.chunkSize >>> 0);
  return r;
}

// One batch: the records decoded from one marc__wasm_next_batch call.
function nextBatch(h, o) {
  const ptr = M._marc__wasm_next_batch(h, o.batchSize, o.batchBytes);
  if (!ptr) throw new Error('marcato: out of memory');
  const { u8: heapU8, u32: heapU32 } = heap();
  const bw = ptr >> 2, B = L.batch.w;
  const status = heapU32[bw + B.status] | 0;
  const count = heapU32[bw + B.count];
  const size = heapU32[bw + B.size];
  let records = EMPTY, error = null;
  if (count || heapU32[bw + B.err]) {
    const u8 = heapU8.slice(ptr, ptr + size); // the one copy
    const u32 = new Uint32Array(u8.buffer);
    records = new Array(count);
    let at = u32[B.first];
    for (let i = 0; i < count; i++) {
      records[i] = new Record(u8, u32, at);
      at += u32[(at >> 2) + R.size];
    }
    const e = u32[B.err];
    if (status === L.status.E_INVALID && e) {
      const d = diagAt(u8, u32, e >> 2, e);
      error = new MarcError(`record ${d.record} at byte ${d.offset}: ${d.code}: ${d.message}`, d);
    }
  }
  if (status === L.status.E_NOMEM) error = new Error('marcato: out of memory');
  else if (status < 0 && !error) error = new Error(`marcato: ${cString(M._marc__wasm_status_str(status))}`);
  return { records, status, error };
}

function feed(h, piece) {
  const p = M._marc__wasm_reader_buffer(h, piece.length);
  if (!p) throw new Error('marcato: out of memory');
  heap().u8.set(piece, p);
  const s = M._marc__wasm_reader_commit(h, piece.length);
  if (s !== L.status.OK) throw new Error(`marcato: commit failed (${L.statusName[s]})`);
}

function asBytes(chunk) {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new TypeError(`marcato: input chunks must be bytes (Uint8Array), not ${typeof chunk === 'string' ? 'strings (do not set an encoding on the stream)' : typeof chunk}`);
}

// Every source becomes an async iterable of byte chunks.
async function* chunksOf(source, o) {
  if (typeof source === 'string' || (typeof URL !== 'undefined' && source instanceof URL)) {
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

/** Batches of records (arrays) from `source`: the fastest way to read;
 * records() is built on it. */
export async function* batches(source, opts) {
  await init();
  const o = options(opts);
  const h = M._marc__wasm_reader_new(o.strict ? 1 : 0, o.maxRecord >>> 0, o.maxDiagnostics >>> 0);
  if (!h) throw new Error('marcato: out of memory');
  let first = true;
  try {
    for await (const chunk of chunksOf(source, o)) {
      const bytes = asBytes(chunk);
      for (let pos = 0; pos < bytes.length; pos += o.chunkSize) {
        feed(h, pos === 0 && bytes.length <= o.chunkSize ? bytes : bytes.subarray(pos, pos + o.chunkSize));
        for (;;) {
          // The first batch is small: the first record comes sooner.
          const b = nextBatch(h, first ? { ...o, batchSize: Math.min(16, o.batchSize) } : o);
          first = false;
          if (b.records.length) yield b.records;
          if (b.error) throw b.error;
          if (b.status !== L.status.OK) break; // NEED_MORE
        }
      }
    }
    M._marc__wasm_reader_finish(h);
    for (;;) {
      const b = nextBatch(h, o);
      if (b.records.length) yield b.records;
      if (b.error) throw b.error;
      if (b.status === L.status.END) break;
    }
  } finally {
    M._marc__wasm_reader_free(h);
  }
}

/** The records of `source`, one at a time:
 *   for await (const rec of records('file.mrc')) { ... }
 * Leaving the loop early (break, throw) frees the wasm reader. */
export async function* records(source, opts) {
  for await (const batch of batches(source, opts)) {
    for (let i = 0; i < batch.length; i++) yield batch[i];
  }
}

/** Records of bytes already in memory, synchronously (after init()). */
export function* recordsSync(bytes, opts) {
  requireReady();
  const o = options(opts);
  const input = asBytes(bytes);
  const h = M._marc__wasm_reader_new(o.strict ? 1 : 0, o.maxRecord >>> 0, o.maxDiagnostics >>> 0);
  if (!h) throw new Error('marcato: out of memory');
  try {
    let pos = 0, finished = false;
    for (;;) {
      if (pos < input.length) {
        feed(h, input.subarray(pos, pos + o.chunkSize));
        pos += o.chunkSize;
      }
      if (pos >= input.length && !finished) {
        M._marc__wasm_reader_finish(h);
        finished = true;
      }
      for (;;) {
        const b = nextBatch(h, o);
        for (let i = 0; i < b.records.length; i++) yield b.records[i];
        if (b.error) throw b.error;
        if (b.status === L.status.END) return;
        if (b.status !== L.status.OK) break; // NEED_MORE
      }
      if (finished) return;
    }
  } finally {
    M._marc__wasm_reader_free(h);
  }
}

/** Count the records of `source` without building JS objects (parsing
 * still runs fully in wasm). Strict mode counts records with problems too. */
export async function count(source, opts) {
  await init();
  const o = options(opts);
  const h = M._marc__wasm_reader_new(o.strict ? 1 : 0, o.maxRecord >>> 0, o.maxDiagnostics >>> 0);
  if (!h) throw new Error('marcato: out of memory');
  try {
    for await (const chunk of chunksOf(source, o)) {
      const bytes = asBytes(chunk);
      for (let pos = 0; pos < bytes.length; pos += o.chunkSize) {
        feed(h, bytes.subarray(pos, pos + o.chunkSize));
        const s = M._marc__wasm_count(h);
        if (s < 0) throw new Error(`marcato: ${cString(M._marc__wasm_status_str(s))}`);
      }
    }
    M._marc__wasm_reader_finish(h);
    const s = M._marc__wasm_count(h);
    if (s < 0) throw new Error(`marcato: ${cString(M._marc__wasm_status_str(s))}`);
    return M._marc__wasm_counted(h);
  } finally {
    M._marc__wasm_reader_free(h);
  }
}
