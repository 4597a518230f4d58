// Records as JS objects over a batch's bytes: Record, ControlField,
// DataField and their diagnostics. A batch is one copy of the flat buffer
// the glue writes (wasm/module/glue.h describes it); everything is
// decoded from it on first use, at the offsets the layout publishes (`L`
// of wasm.js). This module calls no wasm export: the writers are in
// write.js.

import { L } from './wasm.js';
import { diagAt } from './diagnostic.js';
import { MarcError } from './errors.js';
import { writeRecord, writeChanges, hasWriter, marc8Flag } from './write.js';
import { platform } from './platform.js';
import { selectValues } from './spec.js';

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
// The rare path (a tag that is not three digits, new or seen) run before
// the first batch is decoded (bindLayout): with no type feedback for it,
// the first such tag read would deoptimize the optimized fields getter
// (tagAt is inlined there) and V8 would compile it again, a cost every
// script run once pays. V8 allocates a function's feedback vector only
// after some calls: 64 distinct tags.
function primeTagAt() {
  for (let i = 0, t = Uint8Array.of(0x4c, 0x44, 0x41); i < 64; i++) {
    t[2] = 0x41 + (i & 15);
    t[1] = 0x41 + (i >> 4);
    tagAt(t, 0);
    tagAt(t, 0);
  }
  TAGS.clear();
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

// Word indexes and byte offsets of the layout, bound with the first batch.
let bound = null;
let R, F, FB, D, FSIZE, S_CODE, S_AT, S_LEN, SSIZE_W, DSIZE_W, R_LEADER, REC_BUILT, REC_ASCII, REC_TEXT_IN_BYTES;
function bindLayout() {
  primeTagAt();
  bound = L;
  R = L.rec.w;
  R_LEADER = L.rec.leader;
  F = L.field.w;
  FB = L.field; // byte offsets (tag, ind1, ind2, control, ascii)
  S_CODE = L.sub.w.code;
  S_AT = L.sub.w.at;
  S_LEN = L.sub.w.len;
  D = L.diag.w;
  REC_BUILT = L.recFlags.built;
  REC_ASCII = L.recFlags.ascii;
  REC_TEXT_IN_BYTES = L.recFlags.textInBytes;
  FSIZE = L.field.sizeof;
  SSIZE_W = L.sub.sizeof >> 2;
  DSIZE_W = L.diag.sizeof >> 2;
}

const EMPTY = Object.freeze([]);
// Record.create's leader when none is given: a new ('n') language
// material ('a') monograph ('m') in Unicode ('a'); lengths and base
// address are the writers' to fill in.
const DEFAULT_LEADER = '00000nam a2200000 i 4500';

function checkLeader(v) {
  if (typeof v !== 'string' || v.length !== 24 || /[^\0-\xff]/.test(v)) {
    throw new TypeError(`marcato: a leader is 24 characters U+0000-U+00FF, not ${JSON.stringify(v)}`);
  }
  return v;
}
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

/** A control field (tag 00X): `new ControlField('001', 'ocm123')`. */
export class ControlField {
  constructor(tag, value = '') {
    this.tag = checkTag(tag);
    this.value = value;
  }
  get isControl() { return true; }
  toJSON() { return { [this.tag]: this.value }; }
}

function checkTag(tag) {
  if (typeof tag !== 'string' || tag.length !== 3) {
    throw new TypeError(`marcato: a tag has three characters, not ${JSON.stringify(tag)}`);
  }
  return tag;
}

/** A data field: indicators and subfields (built on first use from
 * offsets computed in wasm). */
export class DataField {
  // Users: new DataField(tag, ind1, ind2, subfields). Record's fields
  // getter: new DataField(record, tag, ind1, ind2, field word), the
  // subfields then read from the batch on first use. One constructor
  // (both shapes give objects of one hidden class).
  constructor(a, b = ' ', c = ' ', d = [], fw = 0) {
    if (typeof a === 'string') {
      this.tag = checkTag(a);
      this.ind1 = b;
      this.ind2 = c;
      this._rec = null;
      this._fw = 0;
      this._s = undefined;
      this.subfields = d;
    } else {
      this.tag = b;
      this.ind1 = c;
      this.ind2 = d;
      this._rec = a;
      this._fw = fw;
      this._s = undefined;
    }
  }
  /** Replace the subfields ({code, value} objects, or [code, value] pairs). */
  set subfields(list) {
    if (!Array.isArray(list)) throw new TypeError('marcato: subfields are an array of {code, value}');
    this._s = list.map(toSubfield);
  }
  get subfields() {
    if (this._s !== undefined) return this._s;
    const rec = this._rec, u32 = rec._batch.u32, text = rec._text;
    const n = u32[this._fw + F.nsub];
    const out = new Array(n);
    let sw = rec._subw + u32[this._fw + F.sub] * SSIZE_W;
    for (let k = 0; k < n; k++, sw += SSIZE_W) {
      const code = u32[sw + S_CODE];
      const at = u32[sw + S_AT];
      if (code > 0xffff) { // a code outside the BMP: a surrogate pair
        out[k] = { code: text.substring(at, at + 2), value: text.substring(at + 2, at + 2 + u32[sw + S_LEN]) };
      } else if (code) {
        out[k] = { code: text[at], value: text.substring(at + 1, at + 1 + u32[sw + S_LEN]) };
      } else {
        out[k] = { code: '', value: text.substring(at, at + u32[sw + S_LEN]) };
      }
    }
    this._s = out;
    return out;
  }
  get isControl() { return false; }
  /** Append subfield `code` (one character) with `value`; returns the field. */
  addSubfield(code, value) {
    this.subfields.push(toSubfield({ code, value }));
    return this;
  }
  /** Remove the subfield at index `which`, or every subfield whose code is
   * `which` (a string); returns the field. */
  removeSubfield(which) {
    const s = this.subfields;
    if (typeof which === 'number') {
      if (!(which >= 0 && which < s.length)) throw new RangeError(`marcato: no subfield ${which} (of ${s.length})`);
      s.splice(which, 1);
    } else {
      for (let k = s.length - 1; k >= 0; k--) if (s[k].code === which) s.splice(k, 1);
    }
    return this;
  }
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
      if (u32[sw + S_CODE] === c) {
        const at = u32[sw + S_AT] + width;
        return rec._text.substring(at, at + u32[sw + S_LEN]);
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


/** One record, read from a batch or built in JS (`Record.create({leader,
 * fields})`, `new Record(...)`). A record read is decoded on first use
 * from the batch's bytes (one copy per batch, shared by its records). */
export class Record {
  constructor(batch, base) {
    if (batch instanceof Batch) {
      this._batch = batch;
      this._b = base; // byte offset of the record block in the batch
      this._w = base >> 2;
      this._subw = (base + batch.u32[this._w + R.subs]) >> 2;
      this._leader = undefined;
      this._fields = undefined;
      this._t = undefined;
      // Set once `fields` or the leader is handed out or set: only such
      // records can differ from what was read (see _edited).
      this._maybe = false;
      return;
    }
    const init = batch ?? {};
    this._batch = null; // built in JS: always written from what it holds
    this._b = 0;
    this._w = 0;
    this._subw = 0;
    this._leader = checkLeader(init.leader ?? DEFAULT_LEADER);
    this._fields = Array.from(init.fields ?? [], toField);
    this._t = '';
    this._maybe = true;
  }

  /** A record from a leader (default: a new Unicode bibliographic record,
   * lengths left to the writers) and fields (Field objects or plain
   * {tag, value} / {tag, ind1, ind2, subfields}). */
  static create(init) { return new Record(init); }

  /** Append `field`; returns the record. */
  addField(field) {
    this.fields.push(toField(field));
    return this;
  }
  /** Insert `field` before index `i` (0..fields.length); returns the record. */
  insertField(i, field) {
    const fs = this.fields;
    if (!(Number.isInteger(i) && i >= 0 && i <= fs.length)) throw new RangeError(`marcato: cannot insert at ${i} (of ${fs.length} fields)`);
    fs.splice(i, 0, toField(field));
    return this;
  }
  /** Remove the field at index `which`, or the field `which`; returns it
   * (undefined when the field is not in the record). */
  removeField(which) {
    const fs = this.fields, i = this._at(which);
    return i < 0 ? undefined : fs.splice(i, 1)[0];
  }
  /** Put `field` in the place of the field at index `which` or of the
   * field `which`; returns the record. */
  replaceField(which, field) {
    const fs = this.fields, i = this._at(which);
    if (i < 0) throw new RangeError('marcato: the field to replace is not in the record');
    fs[i] = toField(field);
    return this;
  }
  _at(which) {
    const fs = this.fields;
    if (typeof which === 'number') {
      if (!(Number.isInteger(which) && which >= 0 && which < fs.length)) throw new RangeError(`marcato: no field ${which} (of ${fs.length})`);
      return which;
    }
    return fs.indexOf(which);
  }

  /** Does the record hold anything other than what was read? (Built
   * records: always.) The writers then write it from its fields (the
   * table writer) instead of handing wasm its original block. Cheap for
   * records whose fields and leader were never handed out; the others
   * are compared with the batch, value by value. */
  _edited() {
    if (!this._maybe) return false;
    const b = this._batch;
    if (b === null) return true;
    if (this._leader !== undefined) {
      const a = this._b + R_LEADER;
      for (let i = 0; i < 24; i++) if (this._leader.charCodeAt(i) !== b.u8[a + i]) return true;
    }
    const fs = this._fields;
    if (fs === undefined) return false;
    const u8 = b.u8, u32 = b.u32, w = this._w;
    const n = u32[w + R.nfields];
    if (fs.length !== n) return true;
    let fb = this._b + u32[w + R.fields];
    for (let i = 0; i < n; i++, fb += FSIZE) {
      const f = fs[i], fw = fb >> 2;
      if (f.tag !== tagAt(u8, fb + FB.tag) || f.isControl !== !!u8[fb + FB.control]) return true;
      if (f.isControl) {
        const v = f.value;
        if (typeof v !== 'string') return true;
        if (this._t === undefined && u8[fb + FB.ascii]) {
          // An ASCII value against its bytes: no UTF-8 decode of the record.
          const a = this._b + u32[w + R.bytes] + u32[fw + F.off];
          if (v.length !== u32[fw + F.len]) return true;
          for (let k = 0; k < v.length; k++) if (v.charCodeAt(k) !== u8[a + k]) return true;
        } else if (v.length !== u32[fw + F.slen] || !this._text.startsWith(v, u32[fw + F.soff])) {
          return true;
        }
      } else if (f.ind1 !== CHARS[u8[fb + FB.ind1]] || f.ind2 !== CHARS[u8[fb + FB.ind2]]) {
        return true;
      } else if (!(f._rec === this && f._fw === fw && f._s === undefined) && this._subsDiffer(f.subfields, fw)) {
        return true;
      }
    }
    return false;
  }

  // Do `subs` differ from the subfields read for the field at word `fw`?
  _subsDiffer(subs, fw) {
    const u32 = this._batch.u32, text = this._text;
    const n = u32[fw + F.nsub];
    if (subs.length !== n) return true;
    let sw = this._subw + u32[fw + F.sub] * SSIZE_W;
    for (let k = 0; k < n; k++, sw += SSIZE_W) {
      const c = u32[sw + S_CODE], at = u32[sw + S_AT], width = c > 0xffff ? 2 : c ? 1 : 0;
      const s = subs[k], v = s.value, code = s.code;
      // Compared in place (startsWith at an offset): no substrings made.
      if (typeof v !== 'string' || typeof code !== 'string' || code.length !== width ||
          v.length !== u32[sw + S_LEN] || (width && code !== text[at] && code !== text.substring(at, at + width)) ||
          v !== text.substring(at + width, at + width + v.length)) return true;
    }
    return false;
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

  /** The 24 leader characters; settable (24 characters, U+0000-U+00FF). */
  set leader(v) {
    if (this._batch !== null) this._maybe = true;
    this._leader = checkLeader(v);
  }
  get leader() {
    if (this._leader === undefined) {
      const a = this._b + R_LEADER;
      const b = this._batch;
      // One native call in Node (latin1Slice) instead of 24 concatenations.
      this._leader = b.latin1 ? b.latin1(a, a + 24) : latin1(b.u8, a, a + 24);
    }
    return this._leader;
  }

  /** 0-based index of the record in its input (0 for a record built in JS). */
  get index() {
    const u = this._batch?.u32;
    return u ? u[this._w + R.index_lo] + u[this._w + R.index_hi] * TWO32 : 0;
  }
  /** Absolute byte offset of the record's first byte in its input (0 for
   * a record built in JS). */
  get offset() {
    const u = this._batch?.u32;
    return u ? u[this._w + R.offset_lo] + u[this._w + R.offset_hi] * TWO32 : 0;
  }
  /** The record's length in its input as the reader framed it: its bytes
   * as read are input[offset, offset + rawLength) (ISO 2709; 0 for a
   * record built in JS). */
  get rawLength() { return this._batch ? this._batch.u32[this._w + R.raw_length] : 0; }
  /** The ISO 2709 bytes: as read (a view), or for records converted to
   * UTF-8, read from a text format, edited or built, written anew. */
  get bytes() {
    if (this._edited()) return this.toISO2709();
    const u32 = this._batch.u32;
    if (u32[this._w + R.flags] & REC_BUILT) return this.toISO2709();
    const a = this._b + u32[this._w + R.bytes];
    return this._batch.u8.subarray(a, a + u32[this._w + R.nbytes]);
  }

  /** The fields, in order: an array to edit in place (push, splice...) or
   * replace; the writers write what it holds. */
  set fields(list) {
    if (!Array.isArray(list)) throw new TypeError('marcato: fields are an array');
    if (this._batch !== null) this.fields; // (bound to the batch first: _edited compares with it)
    this._fields = list.map(toField);
  }
  get fields() {
    if (this._fields !== undefined) return this._fields;
    this._maybe = true; // the array and its fields can be changed from now on
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
   * MARC-8 conversion problems (codes such as "MARC8_UNMAPPED"), then
   * what a writer changed to write it (its last write in each format). */
  get diagnostics() {
    const written = writeChanges(this);
    if (this._batch === null) return written.length ? written : EMPTY;
    const u32 = this._batch.u32, w = this._w;
    const n = u32[w + R.ndiags];
    if (!n) return written.length ? written : EMPTY;
    const out = new Array(n);
    for (let i = 0, dw = (this._b + u32[w + R.diags]) >> 2; i < n; i++, dw += DSIZE_W) {
      out[i] = diagAt(this._batch.u8, u32, dw, this._b);
    }
    return written.length ? out.concat(written) : out;
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
  toMRK() { return utf8.decode(writeRecord(this, 'mrk')); }

  /** ISO 2709 bytes (directory and lengths recomputed); `encoding`
   * 'marc8' converts the text to MARC-8 (leader/09 blank; what MARC-8
   * lacks is written "&#xXXXX;" and reported in `diagnostics`). */
  toISO2709({ encoding = 'utf8' } = {}) {
    return writeRecord(this, 'iso2709', { marc8: marc8Flag('iso2709', encoding) });
  }

  /** MARCXML; a TypeError when the build has no MARCXML writer (init()'s
   * `formats` says which it has), as writer('marcxml') throws. */
  toMARCXML() {
    if (!hasWriter('marcxml')) throw new TypeError('marcato: no MARCXML writer in this build (see init().formats)');
    return utf8.decode(writeRecord(this, 'marcxml'));
  }

  /** The values a MARCspec (text, or a Spec from compileSpec) references
   * in this record as it is now, as strings in record order: what
   * `marcato select` writes for it. A bad spec throws MarcError (code
   * 'SPEC_SYNTAX'). */
  select(spec) { return selectValues(this, spec); }

  // The block the block writer needs (records not _edited()).
  _block() {
    const u32 = this._batch.u32;
    return this._batch.u8.subarray(this._b, this._b + u32[this._w + R.size]);
  }
}

function toSubfield(s) {
  if (Array.isArray(s)) s = { code: s[0], value: s[1] };
  if (s === null || typeof s !== 'object' || typeof s.code !== 'string' || typeof s.value !== 'string') {
    throw new TypeError('marcato: a subfield is {code: string, value: string}');
  }
  return s;
}

/** A field given to a Record's methods: a ControlField or DataField, or
 * a plain {tag, value} / {tag, ind1, ind2, subfields}. */
function toField(f) {
  if (f instanceof ControlField || f instanceof DataField) return f;
  if (f === null || typeof f !== 'object') throw new TypeError('marcato: a field is a ControlField, a DataField or {tag, ...}');
  if (f.subfields !== undefined) return new DataField(f.tag, f.ind1 ?? ' ', f.ind2 ?? ' ', f.subfields);
  return new ControlField(f.tag, f.value ?? '');
}

/** The records of a batch taken from wasm ({bytes, count, status, errAt,
 * fatal}: see wasm.js) and the error that ended it, if any. */
export function decodeBatch(raw) {
  let records = EMPTY, error = null;
  if (raw.bytes) {
    if (bound !== L) bindLayout();
    const batch = new Batch(raw.bytes);
    const u32 = batch.u32;
    records = new Array(raw.count);
    let at = u32[L.batch.w.first];
    for (let i = 0; i < raw.count; i++) {
      records[i] = new Record(batch, at);
      at += u32[(at >> 2) + R.size];
    }
    if (raw.errAt) {
      const d = diagAt(batch.u8, u32, raw.errAt >> 2, raw.errAt);
      // Counted from 1 in the message, as the CLI counts (`record` stays the index).
      error = new MarcError(`record ${d.record + 1} at byte ${d.offset}: ${d.code}: ${d.message}`, d);
    }
  }
  if (raw.fatal) error = new Error(`marcato: ${raw.fatal}`);
  return { records, status: raw.status, error };
}
