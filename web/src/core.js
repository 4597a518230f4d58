// marcato: the platform-neutral part of the JS package.
//
// Layers (as in SQLite's wasm build): the marc__wasm_* exports of
// wasm/module/marcato_wasm.c (C never throws), this file's heap glue (one
// HEAPU8.set per input chunk, one slice() and one TextDecoder call per
// batch of records), and the object API (Record, fields, MarcError,
// writers, streams). The Emscripten Module objects stay inside this file.
//
// Two modules: dist/marcato.mjs (single-threaded, always) and, loaded on
// demand by records(source, {threads: N}), dist/marcato-threads.mjs, which
// runs the native pipeline on shared-memory workers when SharedArrayBuffer
// is usable (Node; browsers when crossOriginIsolated). Both produce the
// same batch layout, so records are the same objects either way.
//
// The entry points node.js and browser.js supply how the .wasm files are
// loaded and how a path is read (Node only), then re-export this API.

import MarcatoModule from '../dist/marcato.mjs';

let platform = null;
let ready = null; // the one global init() Promise
let M = null; // the single-threaded Emscripten module
let L = null; // layout, status codes and code names, from C
let writerObj = 0; // the writer scratch object (wasm pointer)
let views = null; // {buffer, u8, u32, i32} over M's memory

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
 * dist/marcato.mjs). */
export function init(options = {}) {
  if (!ready) {
    ready = (async () => {
      if (!platform) throw new Error('marcato: no platform entry loaded');
      const args = await platform.moduleArgs(options);
      const m = await MarcatoModule(args);
      setup(m);
      return {
        version: L.version,
        formats: Object.keys(L.formats),
        inputs: Object.keys(L.inputs),
        marc8: L.marc8,
        threads: threadsSupported(),
      };
    })();
    ready.catch(() => { ready = null; }); // a failed start may be retried
  }
  return ready;
}

function setup(m) {
  M = m;
  L = JSON.parse(cString(M, M._marc__wasm_layout()));
  for (const k of ['batch', 'rec', 'field', 'sub', 'diag', 'result']) {
    const s = L[k];
    // Word indexes of the uint32 members (all 4-byte aligned).
    s.w = {};
    for (const [name, off] of Object.entries(s)) if (name !== 'w') s.w[name] = off >> 2;
  }
  L.statusName = Object.fromEntries(Object.entries(L.status).map(([k, v]) => [v, k]));
  writerObj = M._marc__wasm_writer_new();
  if (!writerObj) throw new Error('marcato: out of memory');
  bindLayout();
  if (L.formats.marcxml !== undefined) {
    Record.prototype.toMARCXML = function toMARCXML() {
      return utf8.decode(writeRecord(this, L.formats.marcxml, 0));
    };
  }
}

function heapOf(mod, cache) {
  const buf = mod.memoryBuffer();
  if (!cache.v || cache.v.buffer !== buf) {
    cache.v = { buffer: buf, u8: new Uint8Array(buf), u32: new Uint32Array(buf), i32: new Int32Array(buf) };
  }
  return cache.v;
}
const mainCache = { v: null };
function heap() { return heapOf(M, mainCache); }

function cString(mod, ptr) {
  const u8 = new Uint8Array(mod.memoryBuffer());
  let end = ptr;
  while (u8[end]) end++;
  return utf8.decode(u8.slice(ptr, end)); // a copy: TextDecoder refuses shared memory
}

function requireReady() {
  if (!M) throw new Error('marcato: call `await init()` first');
}

/** Counters of the wasm side, for tests and leak checks: C heap bytes in
 * use, glue objects alive (readers, writers) and wasm memory size; with
 * `threads`, the same for the threaded module (null when not loaded). */
export function memoryStats({ threads = false } = {}) {
  requireReady();
  const m = threads ? T : M;
  if (!m) return null;
  return {
    heapUsed: m._marc__wasm_heap_used() >>> 0,
    liveObjects: m._marc__wasm_live_allocations(),
    wasmMemory: m.memoryBuffer().byteLength,
  };
}

// ------------------------------------------------------------------
// Text helpers
// ------------------------------------------------------------------

// ignoreBOM: a byte order mark in the data is a character like any other
// (the UTF-16 offsets computed in wasm count it); by default TextDecoder
// drops one at the start of a record's text.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const CHARS = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i));
const TAGS = new Map();

function latin1(u8, start, end) {
  let s = '';
  for (let i = start; i < end; i++) s += CHARS[u8[i]];
  return s;
}

// Tags of three digits (nearly all) from an array, the others from a Map.
const DIGIT_TAGS = new Array(1000).fill(undefined);
function tagAt(u8, p) {
  const d0 = u8[p] - 48, d1 = u8[p + 1] - 48, d2 = u8[p + 2] - 48;
  if (d0 >= 0 && d0 < 10 && d1 >= 0 && d1 < 10 && d2 >= 0 && d2 < 10) {
    const i = d0 * 100 + d1 * 10 + d2;
    return DIGIT_TAGS[i] ?? (DIGIT_TAGS[i] = String.fromCharCode(u8[p], u8[p + 1], u8[p + 2]));
  }
  const k = (u8[p] << 16) | (u8[p + 1] << 8) | u8[p + 2];
  let t = TAGS.get(k);
  if (t === undefined) {
    t = CHARS[u8[p]] + CHARS[u8[p + 1]] + CHARS[u8[p + 2]];
    TAGS.set(k, t);
  }
  return t;
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
let R, F, FB, S, D, FSIZE, SSIZE_W, DSIZE_W, R_LEADER, REC_BUILT, REC_ASCII, REC_TEXT_IN_BYTES;
function bindLayout() {
  R = L.rec.w;
  R_LEADER = L.rec.leader;
  F = L.field.w;
  FB = L.field; // byte offsets (tag, ind1, ind2, control, ascii)
  S = L.sub.w;
  D = L.diag.w;
  REC_BUILT = L.recFlags.built;
  REC_ASCII = L.recFlags.ascii;
  REC_TEXT_IN_BYTES = L.recFlags.textInBytes;
  FSIZE = L.field.sizeof;
  SSIZE_W = L.sub.sizeof >> 2;
  DSIZE_W = L.diag.sizeof >> 2;
}

const EMPTY = Object.freeze([]);
const TWO32 = 4294967296;

// One batch as JS holds it: its bytes (a private copy) shared by its
// records, and where its text starts. Each record decodes its own text on
// first use: many small strings cost far less than one per batch (V8 puts
// a string of megabytes in its large-object space), and records whose
// fields are never read cost nothing.
class Batch {
  constructor(u8) {
    this.u8 = u8;
    this.u32 = new Uint32Array(u8.buffer, u8.byteOffset, u8.byteLength >> 2);
    this.text = this.u32[L.batch.w.text];
    this.latin1 = platform.latin1Text?.(u8) ?? null;
  }
}

/** A control field (tag 00X). */
export class ControlField {
  constructor(tag, value) {
    this.tag = tag;
    this.value = value;
  }
  get isControl() { return true; }
  toJSON() { return { [this.tag]: this.value }; }
}

/** A data field: indicators and subfields (built on first use from
 * offsets computed in wasm). */
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
    if (this._s !== undefined) return this._s;
    const rec = this._rec, u32 = rec._batch.u32, text = rec._text;
    const n = u32[this._fw + F.nsub];
    const out = new Array(n);
    let sw = rec._subw + u32[this._fw + F.sub] * SSIZE_W;
    for (let k = 0; k < n; k++, sw += SSIZE_W) {
      const code = u32[sw];
      const at = u32[sw + 1];
      if (code > 0xffff) { // a code outside the BMP: a surrogate pair
        out[k] = { code: text.substring(at, at + 2), value: text.substring(at + 2, at + 2 + u32[sw + 2]) };
      } else if (code) {
        out[k] = { code: text[at], value: text.substring(at + 1, at + 1 + u32[sw + 2]) };
      } else {
        out[k] = { code: '', value: text.substring(at, at + u32[sw + 2]) };
      }
    }
    this._s = out;
    return out;
  }
  get isControl() { return false; }
  /** The first subfield `code`'s value, or undefined. */
  subfield(code) {
    if (this._s !== undefined) {
      for (const s of this._s) if (s.code === code) return s.value;
      return undefined;
    }
    // Scan the offsets: no objects for the subfields not asked for.
    const rec = this._rec, u32 = rec._batch.u32;
    const c = code.codePointAt(0);
    const width = c > 0xffff ? 2 : 1;
    if (!(c > 0) || code.length !== width) return undefined;
    const n = u32[this._fw + F.nsub];
    let sw = rec._subw + u32[this._fw + F.sub] * SSIZE_W;
    for (let k = 0; k < n; k++, sw += SSIZE_W) {
      if (u32[sw] === c) {
        const at = u32[sw + 1] + width;
        return rec._text.substring(at, at + u32[sw + 2]);
      }
    }
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
  constructor(batch, base) {
    this._batch = batch;
    this._b = base; // byte offset of the record block in the batch
    this._w = base >> 2;
    this._subw = (base + batch.u32[this._w + R.subs]) >> 2;
    this._leader = undefined;
    this._fields = undefined;
    this._t = undefined;
  }

  // The record's text: every field's data, decoded once; field values and
  // subfields are substrings of it at offsets computed in wasm.
  get _text() {
    if (this._t !== undefined) return this._t;
    const b = this._batch, u32 = b.u32, w = this._w, flags = u32[w + R.flags];
    // Mostly the fields' own bytes (terminators and indicators between
    // them decode as themselves), else a copy in the batch text.
    const a = u32[w + R.text_off] +
      (flags & REC_TEXT_IN_BYTES ? this._b + u32[w + R.bytes] : b.text);
    const n = u32[w + R.text_len];
    // ASCII text (flagged by wasm) has a faster decoder in Node.
    this._t = !n ? '' : b.latin1 && (flags & REC_ASCII) ? b.latin1(a, a + n)
      : utf8.decode(b.u8.subarray(a, a + n));
    return this._t;
  }

  /** The 24 leader characters. */
  get leader() {
    if (this._leader === undefined) {
      const a = this._b + R_LEADER;
      const b = this._batch;
      // One native call in Node (latin1Slice) instead of 24 concatenations.
      this._leader = b.latin1 ? b.latin1(a, a + 24) : latin1(b.u8, a, a + 24);
    }
    return this._leader;
  }

  /** 0-based index of the record in its input. */
  get index() { const u = this._batch.u32; return u[this._w + R.index_lo] + u[this._w + R.index_hi] * TWO32; }
  /** Absolute byte offset of the record's first byte in its input. */
  get offset() { const u = this._batch.u32; return u[this._w + R.offset_lo] + u[this._w + R.offset_hi] * TWO32; }
  /** The ISO 2709 bytes: as read (a view), or for records converted to
   * UTF-8 or read from a text format, written anew. */
  get bytes() {
    const u32 = this._batch.u32;
    if (u32[this._w + R.flags] & REC_BUILT) return this.toISO2709();
    const a = this._b + u32[this._w + R.bytes];
    return this._batch.u8.subarray(a, a + u32[this._w + R.nbytes]);
  }

  get fields() {
    if (this._fields !== undefined) return this._fields;
    const b = this._batch, u8 = b.u8, u32 = b.u32, w = this._w;
    const n = u32[w + R.nfields];
    const out = new Array(n);
    // Control field values come from the text, decoded once per record,
    // but in a record that is not all ASCII they (ASCII nearly always)
    // are sliced from one latin1 run of their own bytes in Node: the
    // record's UTF-8 decode then waits until a data field's subfields are
    // read, and a record whose subfields are never read skips it.
    const fromBytes = b.latin1 !== null && !(u32[w + R.flags] & REC_ASCII);
    const base = this._b + u32[w + R.bytes];
    let run, runAt = 0, runEnd = 0; // latin1 of bytes [runAt, runEnd)
    let fb = this._b + u32[w + R.fields];
    for (let i = 0; i < n; i++, fb += FSIZE) {
      const tag = tagAt(u8, fb + FB.tag);
      const fw = fb >> 2;
      if (!u8[fb + FB.control]) {
        out[i] = new DataField(this, tag, CHARS[u8[fb + FB.ind1]], CHARS[u8[fb + FB.ind2]], fw);
      } else if (fromBytes && u8[fb + FB.ascii] && this._t === undefined) {
        const a = base + u32[fw + F.off], e = a + u32[fw + F.len];
        if (a < runAt || e > runEnd) {
          // The run: this field and the ASCII control fields after it.
          runAt = a;
          runEnd = e;
          for (let g = fb + FSIZE, k = i + 1; k < n && u8[g + FB.control] && u8[g + FB.ascii]; k++, g += FSIZE) {
            const ga = base + u32[(g >> 2) + F.off];
            if (ga < runAt) runAt = ga;
            runEnd = Math.max(runEnd, ga + u32[(g >> 2) + F.len]);
          }
          run = b.latin1(runAt, runEnd);
        }
        out[i] = new ControlField(tag, run.substring(a - runAt, e - runAt));
      } else {
        const s = u32[fw + F.soff];
        out[i] = new ControlField(tag, this._text.substring(s, s + u32[fw + F.slen]));
      }
    }
    this._fields = out;
    return out;
  }

  /** Problems found while reading this record (lenient mode), with
   * MARC-8 conversion problems (codes such as "MARC8_UNMAPPED"). */
  get diagnostics() {
    const u32 = this._batch.u32, w = this._w;
    const n = u32[w + R.ndiags];
    if (!n) return EMPTY;
    const out = new Array(n);
    for (let i = 0, dw = (this._b + u32[w + R.diags]) >> 2; i < n; i++, dw += DSIZE_W) {
      out[i] = diagAt(this._batch.u8, u32, dw, this._b);
    }
    return out;
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

  // The block and the bytes the writer needs.
  _block() {
    const u32 = this._batch.u32;
    return this._batch.u8.subarray(this._b, this._b + u32[this._w + R.size]);
  }
}

function codeName(c) {
  if (c >= L.csBase) return L.csCodes[c - L.csBase] ?? 'UNKNOWN';
  return L.codes[c] ?? 'UNKNOWN';
}

function diagAt(u8, u32, dw, blockBase) {
  const m = blockBase + u32[dw + D.msg];
  const tag = latin1(u8, dw * 4 + L.diag.tag, dw * 4 + L.diag.tag + 3).replace(/\0+$/, '');
  return {
    code: codeName(u32[dw + D.code]),
    message: utf8.decode(u8.subarray(m, m + u32[dw + D.msg_len])),
    offset: u32[dw + D.offset_lo] + u32[dw + D.offset_hi] * TWO32,
    record: u32[dw + D.record_lo] + u32[dw + D.record_hi] * TWO32,
    tag,
  };
}

function resultBytes(r, what) {
  const { u8, u32, i32 } = heap();
  const rw = r >> 2, W = L.result.w;
  const status = i32[rw + W.status];
  if (status !== L.status.OK) {
    const code = L.codes[u32[rw + W.err_code]] ?? 'NONE';
    throw new MarcError(`marcato: cannot write ${what.name}: ` +
      cString(M, M._marc__wasm_status_str(status)) + (code !== 'NONE' ? ` (${code})` : ''), {
      code, offset: what.offset ?? 0, record: what.index ?? 0,
      tag: latin1(u8, r + L.result.err_tag, r + L.result.err_tag + 3).replace(/\0+$/, ''),
      status: L.statusName[status],
    });
  }
  const d = u32[rw + W.data];
  return u8.slice(d, d + u32[rw + W.len]);
}

function writeRecord(rec, fmt, flags) {
  requireReady();
  const blk = rec._block();
  const p = M._marc__wasm_writer_input(writerObj, blk.length);
  if (!p) throw new Error('marcato: out of memory');
  heap().u8.set(blk, p);
  const r = M._marc__wasm_write(writerObj, fmt, flags);
  return resultBytes(r, { name: `record ${rec.index}`, offset: rec.offset, index: rec.index });
}

// ------------------------------------------------------------------
// Writers for many records
// ------------------------------------------------------------------

const XML_IN_COLLECTION = 1, XML_DECLARATION = 2;

/** A writer of many records in one format: 'iso2709', 'mrk', 'marcxml'
 * (a <collection>), 'json' (an array) or 'jsonl'. Each call returns the
 * bytes to append:
 *   const w = writer('marcxml'); out.write(w.begin());
 *   for (const r of recs) out.write(w.write(r)); out.write(w.end()); */
export function writer(format = 'iso2709', { declaration = true } = {}) {
  requireReady();
  const fmt = L.formats[format];
  if (fmt === undefined) throw new TypeError(`marcato: no '${format}' writer in this build (${Object.keys(L.formats).join(', ')})`);
  let n = 0, begun = false, ended = false;
  const frame = (part, flags) => resultBytes(M._marc__wasm_write_frame(writerObj, fmt, part, flags), { name: format });
  const api = {
    format,
    /** What goes before the first record (empty for most formats). */
    begin() {
      if (begun) return new Uint8Array(0);
      begun = true;
      return frame(0, declaration ? XML_DECLARATION : 0);
    },
    /** One record (with what goes before it: begin() if not called yet,
     * a separator). */
    write(rec) {
      if (ended) throw new Error('marcato: writer already ended');
      const head = begun ? null : api.begin();
      const sep = n && format === 'json' ? frame(1, 0) : null;
      const body = writeRecord(rec, fmt, format === 'marcxml' ? XML_IN_COLLECTION : 0);
      n++;
      return head || sep ? concatBytes([head, sep, body]) : body;
    },
    /** What goes after the last record. */
    end() {
      const head = begun ? null : api.begin();
      ended = true;
      const tail = frame(2, 0);
      return head ? concatBytes([head, tail]) : tail;
    },
    get count() { return n; },
  };
  return api;
}

function concatBytes(parts) {
  parts = parts.filter(Boolean);
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

// ------------------------------------------------------------------
// Reading
// ------------------------------------------------------------------

const DEFAULTS = {
  strict: false, maxRecord: 0, maxDiagnostics: 0,
  batchSize: 256, batchBytes: 1 << 20, chunkSize: 1 << 20,
  format: undefined, encoding: 'auto', nfc: false, threads: 0,
};
const ENCODINGS = { auto: 0, marc8: 1, utf8: 2 };

function options(o) {
  const r = { ...DEFAULTS, ...(o || {}) };
  r.batchSize = Math.max(1, r.batchSize >>> 0);
  r.chunkSize = Math.max(1, r.chunkSize >>> 0);
  if (!(r.encoding in ENCODINGS)) throw new TypeError(`marcato: encoding is 'auto', 'marc8' or 'utf8', not ${JSON.stringify(r.encoding)}`);
  if (r.format !== undefined && !['iso2709', 'marcxml', 'json', 'jsonl', 'mrk'].includes(r.format)) {
    throw new TypeError(`marcato: format is 'iso2709', 'marcxml', 'json', 'jsonl' or 'mrk', not ${JSON.stringify(r.format)}`);
  }
  r.threads = r.threads === true ? (platform?.cpus?.() ?? 4) : Math.max(0, r.threads >>> 0);
  return r;
}

// The encoding argument of the C reader: the MARC-8 converter only when the
// build has it (else the bytes are read as UTF-8).
function encodingArg(o) { return L.marc8 ? ENCODINGS[o.encoding] : -1; }

/** Guess the format from the first bytes: '<' MARCXML, '{' or '[' JSON,
 * "=LDR" MARCMaker, else ISO 2709. */
export function sniffFormat(bytes) {
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  const c = bytes[i];
  if (c === 0x3c) return 'marcxml';
  if (c === 0x7b || c === 0x5b) return 'json';
  if (c === 0x3d && bytes[i + 1] === 0x4c && bytes[i + 2] === 0x44 && bytes[i + 3] === 0x52) return 'mrk';
  return 'iso2709';
}

function inputCode(format) {
  const k = format === 'jsonl' ? 'json' : format;
  const c = L.inputs[k];
  if (c === undefined) throw new TypeError(`marcato: this build cannot read '${format}' (it reads ${Object.keys(L.inputs).join(', ')})`);
  return c;
}

function newReader(o, format) {
  const h = M._marc__wasm_reader_new(o.strict ? 1 : 0, o.maxRecord >>> 0, o.maxDiagnostics >>> 0,
    inputCode(format), encodingArg(o), o.nfc ? 1 : 0);
  if (!h) throw new Error('marcato: out of memory');
  return h;
}

// One batch: the records decoded from one batch buffer at `ptr` of the
// module `mod` (copied out once).
function readBatch(mod, ptr, cache) {
  const { u32: heapU32, u8: heapU8 } = heapOf(mod, cache);
  const bw = ptr >> 2, B = L.batch.w;
  const status = heapU32[bw + B.status] | 0;
  const count = heapU32[bw + B.count];
  const size = heapU32[bw + B.size];
  let records = EMPTY, error = null;
  if (count || heapU32[bw + B.err]) {
    const batch = new Batch(heapU8.slice(ptr, ptr + size)); // the one copy
    const u32 = batch.u32;
    records = new Array(count);
    let at = u32[B.first];
    for (let i = 0; i < count; i++) {
      records[i] = new Record(batch, at);
      at += u32[(at >> 2) + R.size];
    }
    const e = u32[B.err];
    if (status === L.status.E_INVALID && e) {
      const d = diagAt(batch.u8, u32, e >> 2, e);
      error = new MarcError(`record ${d.record} at byte ${d.offset}: ${d.code}: ${d.message}`, d);
    }
  }
  if (status === L.status.E_NOMEM) error = new Error('marcato: out of memory');
  else if (status < 0 && !error) error = new Error(`marcato: ${cString(mod, mod._marc__wasm_status_str(status))}`);
  return { records, status, error };
}

function nextBatch(h, o) {
  const ptr = M._marc__wasm_next_batch(h, o.batchSize, o.batchBytes);
  if (!ptr) throw new Error('marcato: out of memory');
  return readBatch(M, ptr, mainCache);
}

function feed(h, piece) {
  const p = M._marc__wasm_reader_buffer(h, piece.length);
  if (!p) throw new Error('marcato: out of memory');
  heap().u8.set(piece, p);
  const s = M._marc__wasm_reader_commit(h, piece.length);
  if (s !== L.status.OK) throw new Error(`marcato: cannot read input (${L.statusName[s]})`);
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
async function startInput(source, o) {
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

/** Batches of records (arrays) from `source`: the fastest way to read;
 * records() is built on it. */
export async function* batches(source, opts) {
  await init();
  const o = options(opts);
  const input = await startInput(source, o);
  if (o.threads > 1 && input.format === 'iso2709' && await threadsReady(o.threads)) {
    yield* threadedBatches(input, o);
    return;
  }
  let h = 0;
  try {
    h = newReader(o, input.format);
    let first = true;
    for await (const bytes of input.chunks) {
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
    await input.close();
  }
}

/** The records of `source`, one at a time:
 *   for await (const rec of records('file.mrc')) { ... }
 * Leaving the loop early (break, throw) frees the wasm reader. */
export function records(source, opts) {
  // An async generator here (yield per record) costs about a tenth of the
  // reading time: this iterator answers from the current batch with an
  // already-resolved Promise and only awaits wasm when the batch is used up.
  const it = batches(source, opts);
  let batch = EMPTY, i = 0, done = false, pending = null;
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
      batch = EMPTY;
      throw e;
    } finally {
      pending = null;
    }
  }
  const end = async (value) => {
    done = true;
    batch = EMPTY;
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
export function* recordsSync(bytes, opts) {
  requireReady();
  const o = options(opts);
  const input = asBytes(bytes);
  const h = newReader(o, o.format ?? sniffFormat(input));
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
        // As in records(): a record handed out is not kept alive by its
        // batch, so young-generation GCs copy fewer objects.
        const recs = b.records;
        for (let i = 0; i < recs.length; i++) {
          const r = recs[i];
          recs[i] = undefined;
          yield r;
        }
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
  const input = await startInput(source, o);
  let h = 0;
  try {
    h = newReader(o, input.format);
    for await (const bytes of input.chunks) {
      for (let pos = 0; pos < bytes.length; pos += o.chunkSize) {
        feed(h, bytes.subarray(pos, pos + o.chunkSize));
        const s = M._marc__wasm_count(h);
        if (s < 0) throw new Error(`marcato: ${cString(M, M._marc__wasm_status_str(s))}`);
      }
    }
    M._marc__wasm_reader_finish(h);
    const s = M._marc__wasm_count(h);
    if (s < 0) throw new Error(`marcato: ${cString(M, M._marc__wasm_status_str(s))}`);
    return M._marc__wasm_counted(h);
  } finally {
    M._marc__wasm_reader_free(h);
    await input.close();
  }
}

// ------------------------------------------------------------------
// Threads: the native pipeline on shared-memory workers
// ------------------------------------------------------------------

let T = null; // the threaded module, once loaded
let tLoading = null;
let tFailed = null; // why the threaded module cannot be used
let tPool = 0;
const tCache = { v: null };

/** Can records(source, {threads}) use workers here? (SharedArrayBuffer
 * and, in browsers, a crossOriginIsolated page.) */
export function threadsSupported() {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return false;
  if (typeof globalThis.crossOriginIsolated === 'boolean' && !globalThis.crossOriginIsolated) return false;
  return !!platform?.threadsModuleArgs;
}

// `threads` counts the calling thread, which builds the JS objects while
// the workers decode: on 2 cores, 1 worker beside it reads real-all.mrc
// with every subfield in 26 ms, 2 workers (3 busy threads) in 29 ms.
function workersFor(threads) { return Math.max(1, threads - 1); }

// Load the threaded module once (false when it cannot be used: the caller
// falls back to the single-threaded module).
async function threadsReady(threads) {
  if (tFailed || !threadsSupported()) return false;
  if (!tLoading) {
    tLoading = (async () => {
      try {
        const { default: factory } = await import('../dist/marcato-threads.mjs');
        tPool = Math.max(workersFor(threads) + 2, 4);
        const args = await platform.threadsModuleArgs({});
        args.marcatoPoolSize = tPool;
        T = await factory(args);
        unrefWorkers();
        return true;
      } catch (e) {
        tFailed = e;
        return false;
      }
    })();
  }
  return tLoading;
}

// Node: pool workers must not keep the process alive once reading ends.
function unrefWorkers() {
  const P = T?.PThread;
  if (!P) return;
  for (const w of [...P.unusedWorkers, ...P.runningWorkers]) w.unref?.();
}

/** Stop the threaded module's workers (they are started again when
 * needed). Node exits without it; call it to free the memory. */
export function terminateThreads() {
  if (T?.PThread) T.PThread.terminateAllThreads();
}

/** Why the threaded module is not used, or null. */
export function threadsError() { return tFailed; }

// Wait until the run's state counter moves from `seen` (a batch is ready,
// input room freed, the run ended). Atomics.waitAsync does not keep Node's
// event loop alive (the pool workers are unref'd), so a timer does; the
// timeout also covers a missed wake-up.
function waitState(i32, idx, seen) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 20);
    if (typeof Atomics.waitAsync === 'function') {
      const r = Atomics.waitAsync(i32, idx, seen, 20);
      if (!r.async) { clearTimeout(timer); resolve(); return; }
      r.value.then(() => { clearTimeout(timer); resolve(); });
    }
  });
}

async function* threadedBatches(input, o) {
  const run = T._marc__wasm_mt_new(workersFor(o.threads), o.strict ? 1 : 0, encodingArg(o), o.nfc ? 1 : 0,
    o.batchSize >>> 0, 0, o.maxRecord >>> 0, o.maxDiagnostics >>> 0);
  if (!run) throw new Error('marcato: cannot start the pipeline threads');
  unrefWorkers();
  const stateAt = T._marc__wasm_mt_state(run) >> 2;
  const state = () => Atomics.load(heapOf(T, tCache).i32, stateAt);
  let finished = false;
  // Ready batches, taken without waiting.
  function* drain() {
    for (;;) {
      const p = T._marc__wasm_mt_take(run);
      if (!p) return;
      yield readBatch(T, p, tCache);
    }
  }
  try {
    for await (const bytes of input.chunks) {
      for (let pos = 0; pos < bytes.length; pos += o.chunkSize) {
        const piece = bytes.subarray(pos, pos + o.chunkSize);
        for (;;) {
          const seen = state();
          const p = T._marc__wasm_mt_input(run, piece.length);
          if (p) {
            heapOf(T, tCache).u8.set(piece, p);
            T._marc__wasm_mt_commit(run);
            break;
          }
          let got = false;
          for (const b of drain()) {
            got = true;
            if (b.records.length) yield b.records;
            if (b.error) throw b.error;
          }
          if (!got) await waitState(heapOf(T, tCache).i32, stateAt, seen);
        }
        for (const b of drain()) {
          if (b.records.length) yield b.records;
          if (b.error) throw b.error;
        }
      }
    }
    T._marc__wasm_mt_finish(run);
    for (;;) {
      const seen = state();
      let got = false;
      for (const b of drain()) {
        got = true;
        if (b.records.length) yield b.records;
        if (b.error) throw b.error;
      }
      const done = T._marc__wasm_mt_done(run);
      if (done === 2) throw new Error('marcato: out of memory');
      if (done) break;
      if (!got) await waitState(heapOf(T, tCache).i32, stateAt, seen);
    }
    finished = true;
  } finally {
    if (!finished) T._marc__wasm_mt_cancel(run);
    while (!T._marc__wasm_mt_finished(run)) {
      const seen = state();
      T._marc__wasm_mt_take(run); // unblock a sink waiting for room
      if (!T._marc__wasm_mt_finished(run)) await waitState(heapOf(T, tCache).i32, stateAt, seen);
    }
    T._marc__wasm_mt_free(run);
    unrefWorkers();
    await input.close();
  }
}

// ------------------------------------------------------------------
// Web streams
// ------------------------------------------------------------------

/** A TransformStream-shaped pair for pipeThrough: bytes in, records out.
 *   for await (const rec of file.stream().pipeThrough(new MarcDecoderStream())) ...
 * Takes the options of records(). */
export class MarcDecoderStream {
  constructor(opts) {
    const pass = new TransformStream();
    this.writable = pass.writable;
    let it = null;
    this.readable = new ReadableStream({
      async pull(controller) {
        it ??= records(pass.readable, opts);
        const r = await it.next();
        if (r.done) controller.close();
        else controller.enqueue(r.value);
      },
      async cancel() { await it?.return(); },
    }, { highWaterMark: 0 });
  }
}

/** Records in, bytes out, in one format (see writer()):
 *   recordStream.pipeThrough(new MarcEncoderStream('marcxml')) */
export class MarcEncoderStream extends TransformStream {
  constructor(format = 'iso2709', opts) {
    let w;
    super({
      async start() { await init(); w = writer(format, opts); },
      transform(rec, controller) { controller.enqueue(w.write(rec)); },
      flush(controller) { const tail = w.end(); if (tail.length) controller.enqueue(tail); },
    });
  }
}
