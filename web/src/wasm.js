// The one module that talks to the wasm modules: it loads them, reads the
// layout the glue publishes (marc__wasm_layout(): struct offsets, flags,
// status codes, formats, diagnostic names) and is the only caller of the
// marc__wasm_* exports, of the heap views and of Emscripten's Module
// objects. The other modules get plain JS values from here (a batch's
// bytes copied out, a writer's output) and read the layout through `L`.
//
// Two modules: dist/marcato.mjs (single-threaded, always) and, loaded on
// demand, dist/marcato-threads.mjs (the native pipeline on shared-memory
// workers). Both produce the same batch layout.

import MarcatoModule from '../dist/marcato.mjs';
import { MarcError } from './errors.js';
import { diagAt } from './diagnostic.js';
import { tableSize, fillTable } from './table.js';

/** The layout of the loaded module (null before init()), with `w` (word
 * indexes of the uint32 members) added to each struct description. */
export let L = null;
let M = null; // the single-threaded Emscripten module
let writerObj = 0; // the writer scratch object (wasm pointer)
const mainCache = { v: null };

// ignoreBOM: a byte order mark in the data is a character like any other.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const utf8enc = new TextEncoder();
const oom = () => new Error('marcato: out of memory');

function heapOf(mod, cache) {
  const buf = mod.memoryBuffer();
  if (!cache.v || cache.v.buffer !== buf) {
    cache.v = { buffer: buf, u8: new Uint8Array(buf), u32: new Uint32Array(buf), i32: new Int32Array(buf) };
  }
  return cache.v;
}

function cString(mod, ptr) {
  const u8 = new Uint8Array(mod.memoryBuffer());
  let end = ptr;
  while (u8[end]) end++;
  return utf8.decode(u8.slice(ptr, end)); // a copy: TextDecoder refuses shared memory
}

function statusText(mod, s) { return cString(mod, mod._marc__wasm_status_str(s)); }

// ------------------------------------------------------------------
// Start-up
// ------------------------------------------------------------------

/** Instantiate dist/marcato.mjs with the platform's Module arguments and
 * read its layout. */
export async function loadMain(args) {
  const m = await MarcatoModule(args);
  const layout = JSON.parse(cString(m, m._marc__wasm_layout()));
  for (const k of ['batch', 'rec', 'field', 'sub', 'diag', 'result']) {
    const s = layout[k];
    // Word indexes of the uint32 members (all 4-byte aligned).
    s.w = {};
    for (const [name, off] of Object.entries(s)) if (name !== 'w') s.w[name] = off >> 2;
  }
  layout.statusName = Object.fromEntries(Object.entries(layout.status).map(([k, v]) => [v, k]));
  M = m;
  L = layout;
  writerObj = M._marc__wasm_writer_new();
  if (!writerObj) throw oom();
  return L;
}

export function isLoaded() { return M !== null; }

export function requireReady() {
  if (!M) throw new Error('marcato: call `await init()` first');
}

/** C heap bytes in use, glue objects alive and wasm memory size of one
 * module (null when it is not loaded). */
export function heapStats(threads) {
  const m = threads ? T : M;
  if (!m) return null;
  return {
    heapUsed: m._marc__wasm_heap_used() >>> 0,
    liveObjects: m._marc__wasm_live_allocations(),
    wasmMemory: m.memoryBuffer().byteLength,
  };
}

// ------------------------------------------------------------------
// Batches
// ------------------------------------------------------------------

// A batch at `ptr` of module `mod`, copied out once: {bytes (null when it
// holds no record and no error block), count, status, errAt (offset of
// the strict-mode error block, 0 if none), fatal (an error message for a
// failed call, or null)}.
function takeBatch(mod, ptr, cache) {
  const { u32, u8 } = heapOf(mod, cache);
  const bw = ptr >> 2, B = L.batch.w, S = L.status;
  const status = u32[bw + B.status] | 0;
  const count = u32[bw + B.count];
  const err = u32[bw + B.err];
  const bytes = count || err ? u8.slice(ptr, ptr + u32[bw + B.size]) : null; // the one copy
  const errAt = status === S.E_INVALID && bytes ? err : 0;
  let fatal = null;
  if (status === S.E_NOMEM) fatal = 'out of memory';
  else if (status < 0 && !errAt) fatal = statusText(mod, status);
  return { bytes, count, status, errAt, fatal };
}

// The encoding argument of the C readers: the MARC-8 converter only when
// the build has it (else the bytes are read as UTF-8).
function encodingArg(o) { return L.marc8 ? L.encodings[o.encoding] : L.encodings.asRead; }

function inputCode(format) {
  const c = L.inputs[format];
  if (c === undefined) throw new TypeError(`marcato: this build cannot read '${format}' (it reads ${Object.keys(L.inputs).join(', ')})`);
  return c;
}

/** The format of input that starts with `bytes`, by the core's one rule
 * (marc_sniff): its name. The first MiB is plenty (JSON Lines needs its
 * first line and the start of the next). */
export function sniff(bytes) {
  const head = bytes.subarray(0, 1 << 20);
  const p = M._marc__wasm_alloc(head.length);
  if (!p) throw oom();
  heapOf(M, mainCache).u8.set(head, p);
  const f = M._marc__wasm_sniff(p, head.length);
  M._marc__wasm_free(p);
  for (const [name, code] of Object.entries(L.inputs)) if (code === f) return name;
  throw new Error(`marcato: the core sniffed a format this build cannot read (${f})`);
}

// ------------------------------------------------------------------
// The single-threaded reader
// ------------------------------------------------------------------

/** A reader of `format` with the options of records() (a handle). */
export function readerNew(o, format) {
  const h = M._marc__wasm_reader_new(o.strict ? 1 : 0, o.maxRecord >>> 0, o.maxDiagnostics >>> 0,
    inputCode(format), encodingArg(o), o.nfc ? 1 : 0);
  if (!h) throw oom();
  return h;
}

/** Copy a piece of input into the reader. */
export function readerFeed(h, piece) {
  const p = M._marc__wasm_reader_buffer(h, piece.length);
  if (!p) throw oom();
  heapOf(M, mainCache).u8.set(piece, p);
  const s = M._marc__wasm_reader_commit(h, piece.length);
  if (s !== L.status.OK) throw new Error(`marcato: cannot read input (${L.statusName[s]})`);
}

/** The next batch of at most `records` records / about `bytes` bytes. */
export function readerNext(h, records, bytes) {
  const ptr = M._marc__wasm_next_batch(h, records, bytes);
  if (!ptr) throw oom();
  return takeBatch(M, ptr, mainCache);
}

export function readerFinish(h) { M._marc__wasm_reader_finish(h); }
export function readerFree(h) { M._marc__wasm_reader_free(h); }

/** Parse the records available now without building anything. */
export function readerCount(h) {
  const s = M._marc__wasm_count(h);
  if (s < 0) throw new Error(`marcato: ${statusText(M, s)}`);
}
export function readerCounted(h) { return M._marc__wasm_counted(h); }

/** Drop the records that do not match the compiled query `q` (from
 * queryCompile, which must outlive the reader). */
export function readerSetQuery(h, q) {
  const s = M._marc__wasm_reader_set_query(h, q);
  if (s !== L.status.OK) throw new Error(`marcato: cannot filter: ${statusText(M, s)}`);
}

/** Check each record read against MARC 21 rules: the problems become
 * its diagnostics (strict mode: the first one throws). */
export function readerSetValidate(h) {
  const s = M._marc__wasm_reader_set_validate(h, 1);
  if (s !== L.status.OK) throw new Error(`marcato: cannot validate: ${statusText(M, s)}`);
}

// ------------------------------------------------------------------
// Queries
// ------------------------------------------------------------------

/** Compile a query (the language of `marcato filter`): a handle to free
 * with queryFree. A syntax error throws MarcError: `offset` is where it
 * is in `text` (a string index), `code` 'QUERY_SYNTAX'. */
export function queryCompile(text) { return compileIn(M, mainCache, text); }
export function queryFree(q) { M._marc__wasm_query_free(q); }

/** queryCompile and queryFree for the threaded module's runs. */
export function tQueryCompile(text) { return compileIn(T, tCache, text); }
export function tQueryFree(q) { T._marc__wasm_query_free(q); }

function compileIn(mod, cache, text) {
  if (typeof text !== 'string') throw new TypeError(`marcato: a query is a string, not ${typeof text}`);
  const bytes = utf8enc.encode(text);
  const p = mod._marc__wasm_alloc(bytes.length);
  if (!p) throw oom();
  heapOf(mod, cache).u8.set(bytes, p);
  const q = mod._marc__wasm_query_compile(p, bytes.length);
  mod._marc__wasm_free(p);
  if (!q) throw oom();
  const { i32, u32 } = heapOf(mod, cache);
  const status = i32[(q + L.query.status) >> 2];
  if (status === L.status.OK) return q;
  const message = cString(mod, q + L.query.message);
  const position = u32[(q + L.query.position) >> 2]; // a byte offset, from 0
  mod._marc__wasm_query_free(q);
  if (status === L.status.E_NOMEM) throw oom();
  // The core counts bytes of UTF-8; JS users index the string. The
  // message counts from 1, as `marcato filter` says it.
  const at = utf8.decode(bytes.subarray(0, Math.min(position, bytes.length))).length;
  throw new MarcError(`marcato: query: ${message} at position ${at + 1}`, {
    code: 'QUERY_SYNTAX', offset: at, status: L.statusName[status] ?? 'E_INVALID',
  });
}

/** Does the record block match the compiled query `q`? */
export function queryMatch(q, block) {
  const p = M._marc__wasm_writer_input(writerObj, block.length);
  if (!p) throw oom();
  heapOf(M, mainCache).u8.set(block, p);
  const r = M._marc__wasm_query_match(q, writerObj, 0);
  if (r < 0) throw new Error(`marcato: cannot match: ${statusText(M, r)}`);
  return r === 1;
}

/** Does the record JS holds (a leader string and Field objects, see
 * putTable) match the compiled query `q`? */
export function queryMatchTable(q, leader, fields) {
  putTable(leader, fields);
  const r = M._marc__wasm_query_match(q, writerObj, 1);
  if (r < 0) throw new Error(`marcato: cannot match: ${r === L.status.E_ARG ? 'a field cannot be written' : statusText(M, r)}`);
  return r === 1;
}

// ------------------------------------------------------------------
// MARCspecs (spec.c)
// ------------------------------------------------------------------

/** Compile a MARCspec (`traject`: accept traject's shorthand too): a
 * handle to free with specFree. A syntax error throws MarcError: `offset`
 * is where it is in `text` (a string index), `code` 'SPEC_SYNTAX', the
 * message worded as `marcato select` words it. */
export function specCompile(text, traject) {
  if (typeof text !== 'string') throw new TypeError(`marcato: a spec is a string, not ${typeof text}`);
  const bytes = utf8enc.encode(text);
  const p = M._marc__wasm_alloc(bytes.length);
  if (!p) throw oom();
  heapOf(M, mainCache).u8.set(bytes, p);
  const s = M._marc__wasm_spec_compile(p, bytes.length, traject ? L.spec.traject : 0);
  M._marc__wasm_free(p);
  if (!s) throw oom();
  const { i32, u32 } = heapOf(M, mainCache);
  const status = i32[(s + L.spec.status) >> 2];
  if (status === L.status.OK) return s;
  const message = cString(M, s + L.spec.message);
  const position = u32[(s + L.spec.position) >> 2]; // a byte offset, from 0
  M._marc__wasm_spec_free(s);
  if (status === L.status.E_NOMEM) throw oom();
  const at = utf8.decode(bytes.subarray(0, Math.min(position, bytes.length))).length;
  throw new MarcError(`marcato: spec '${text}': position ${at}: ${message}`, {
    code: 'SPEC_SYNTAX', offset: at, status: L.statusName[status] ?? 'E_INVALID',
  });
}
export function specFree(s) { M._marc__wasm_spec_free(s); }

/** The values (strings, in record order) the compiled spec `s`
 * references in the record block. */
export function specValues(s, block) {
  const p = M._marc__wasm_writer_input(writerObj, block.length);
  if (!p) throw oom();
  heapOf(M, mainCache).u8.set(block, p);
  return takeSpecValues(s, M._marc__wasm_spec_eval(s, writerObj, 0));
}

/** The same for a record JS holds as a leader string and Field objects
 * (an edited or built record, see putTable). */
export function specValuesTable(s, leader, fields) {
  putTable(leader, fields);
  return takeSpecValues(s, M._marc__wasm_spec_eval(s, writerObj, 1));
}

// The `n` values marc__wasm_spec_eval left in `s`, as strings.
function takeSpecValues(s, n) {
  if (n < 0) throw new Error(`marcato: cannot evaluate the spec: ${n === L.status.E_ARG ? 'a field cannot be written' : statusText(M, n)}`);
  const out = new Array(n);
  if (n === 0) return out;
  const { u8, u32 } = heapOf(M, mainCache); // after the call: memory may have grown
  const pw = u32[(s + L.spec.values) >> 2] >> 2, d = u32[(s + L.spec.data) >> 2];
  for (let i = 0; i < n; i++) {
    const off = d + u32[pw + 2 * i];
    out[i] = utf8.decode(u8.subarray(off, off + u32[pw + 2 * i + 1]));
  }
  return out;
}

// ------------------------------------------------------------------
// Writers
// ------------------------------------------------------------------

function resultBytes(r, what) {
  const { u8, u32, i32 } = heapOf(M, mainCache);
  const rw = r >> 2, W = L.result.w;
  const status = i32[rw + W.status];
  if (status !== L.status.OK) {
    const code = L.codes[u32[rw + W.err_code]] ?? 'NONE';
    const t = r + L.result.err_tag;
    const tag = String.fromCharCode(u8[t], u8[t + 1], u8[t + 2]).replace(/\0+$/, '');
    throw new MarcError(`marcato: cannot write ${what.name}: ` +
      statusText(M, status) + (code !== 'NONE' ? ` (${code})` : ''), {
      code, offset: what.offset ?? 0, record: what.index ?? 0, tag,
      status: L.statusName[status],
    });
  }
  if (what.changes) readChanges(u8, u32, u32[rw + W.changes], u32[rw + W.changes_len], what);
  const d = u32[rw + W.data];
  return u8.slice(d, d + u32[rw + W.len]);
}

// What a write changed to keep its output valid (marc_write_changes),
// glue_append_error entries, pushed to what.changes as diagnostics of the
// record written (its index and offset: the glue parsed a copy).
function readChanges(u8, u32, at, len, what) {
  for (let p = at, end = at + len; p < end;) {
    const d = diagAt(u8, u32, p >> 2, p);
    what.changes.push({ ...d, offset: what.offset ?? 0, record: what.index ?? 0 });
    p += (L.diag.sizeof + u32[(p >> 2) + L.diag.w.msg_len] + 7) & ~7;
  }
}

/** The writers of this build ('iso2709', 'mrk'...). */
export function writeFormats() { return Object.keys(L.formats); }

/** A record block (as a batch holds it) written in `format`; `flags`
 * names the core's write flags to set ({inCollection: true, notFirst:
 * true}). Throws MarcError when the format cannot hold the record. */
export function writeBlock(block, format, flags, what) {
  const p = M._marc__wasm_writer_input(writerObj, block.length);
  if (!p) throw oom();
  heapOf(M, mainCache).u8.set(block, p);
  return resultBytes(M._marc__wasm_write(writerObj, L.formats[format], writeFlags(flags)), what);
}

/** A record as JS holds it (the `leader` string, `fields` as record.js
 * makes them: {isControl, tag, value} or {isControl, tag, ind1, ind2,
 * subfields: [{code, value}]}) written in `format` as writeBlock does a
 * block: built by the core's record builder from a field table
 * (marc__wasm_write_table), so what JS changed is what is written. */
export function writeTable(leader, fields, format, flags, what) {
  putTable(leader, fields);
  return resultBytes(M._marc__wasm_write_table(writerObj, L.formats[format], writeFlags(flags)), what);
}

// The field table of a record JS holds (table.js lays it out) in the
// writer's input area.
function putTable(leader, fields) {
  const at = tableSize(L, fields);
  const p = M._marc__wasm_writer_input(writerObj, at.size);
  if (!p) throw oom();
  const { u8, u32 } = heapOf(M, mainCache);
  fillTable(L, u8, u32, p, leader, fields, at);
}

/** What goes before ('begin') or after ('end') the records of a stream in
 * `format` (`flags` as writeBlock's: {xmlDeclaration: true}). */
export function writeFrame(format, part, flags) {
  return resultBytes(M._marc__wasm_write_frame(writerObj, L.formats[format], L.frame[part], writeFlags(flags)),
    { name: format });
}

function writeFlags(flags) {
  let f = 0;
  if (flags) for (const k of Object.keys(flags)) if (flags[k]) f |= L.writeFlags[k];
  return f;
}

// ------------------------------------------------------------------
// The threaded module: the native pipeline on shared-memory workers
// ------------------------------------------------------------------

let T = null; // the threaded module, once loaded
const tCache = { v: null };

/** Instantiate dist/marcato-threads.mjs (`poolSize` pthread workers). */
export async function loadThreads(args, poolSize) {
  const { default: factory } = await import('../dist/marcato-threads.mjs');
  args.marcatoPoolSize = poolSize;
  T = await factory(args);
  unrefWorkers();
}

// Node: pool workers must not keep the process alive once reading ends.
function unrefWorkers() {
  const P = T?.PThread;
  if (!P) return;
  for (const w of [...P.unusedWorkers, ...P.runningWorkers]) w.unref?.();
}

/** Stop the threaded module's workers (started again when needed). */
export function terminateThreadWorkers() {
  if (T?.PThread) T.PThread.terminateAllThreads();
}

/** One run of the pipeline: input pieces in, batches out (see threads.js). */
export class PipelineRun {
  /** A run with `workers` workers and the options of records(); `query`
   * a compiled query of the threaded module (tQueryCompile) or 0. */
  constructor(workers, o, query) {
    this.run = T._marc__wasm_mt_new(workers, o.strict ? 1 : 0, encodingArg(o), o.nfc ? 1 : 0,
      o.batchSize >>> 0, 0, o.maxRecord >>> 0, o.maxDiagnostics >>> 0);
    if (!this.run) throw new Error('marcato: cannot start the pipeline threads');
    unrefWorkers();
    this.stateAt = T._marc__wasm_mt_state(this.run) >> 2;
    let s = query ? T._marc__wasm_mt_set_query(this.run, query) : L.status.OK;
    if (s === L.status.OK && o.validate) s = T._marc__wasm_mt_set_validate(this.run, 1);
    if (s !== L.status.OK) { // (a bad argument: cannot happen)
      this.close(true);
      throw new Error(`marcato: cannot start the pipeline: ${statusText(T, s)}`);
    }
  }

  /** The run's state counter: it moves when a batch is ready, input room
   * is freed or the run ends. */
  state() { return Atomics.load(heapOf(T, tCache).i32, this.stateAt); }

  /** Wait until the state moves from `seen`. Atomics.waitAsync does not
   * keep Node's event loop alive (the pool workers are unref'd), so a
   * timer does; the timeout also covers a missed wake-up. */
  wait(seen) {
    const i32 = heapOf(T, tCache).i32, idx = this.stateAt;
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, 20);
      if (typeof Atomics.waitAsync === 'function') {
        const r = Atomics.waitAsync(i32, idx, seen, 20);
        if (!r.async) { clearTimeout(timer); resolve(); return; }
        r.value.then(() => { clearTimeout(timer); resolve(); });
      }
    });
  }

  /** Queue a piece of input; false when the input queue is full. */
  input(piece) {
    const p = T._marc__wasm_mt_input(this.run, piece.length);
    if (!p) return false;
    heapOf(T, tCache).u8.set(piece, p);
    T._marc__wasm_mt_commit(this.run);
    return true;
  }

  /** The next batch in input order, or null when none is ready. */
  take() {
    const p = T._marc__wasm_mt_take(this.run);
    return p ? takeBatch(T, p, tCache) : null;
  }

  finish() { T._marc__wasm_mt_finish(this.run); }

  /** True once the run ended and every batch was taken. */
  done() {
    const d = T._marc__wasm_mt_done(this.run);
    if (d === L.mtDone.failed) throw oom();
    return d === L.mtDone.done;
  }

  /** Stop early, wait for the threads, free the run. */
  async close(cancel) {
    if (cancel) T._marc__wasm_mt_cancel(this.run);
    while (!T._marc__wasm_mt_finished(this.run)) {
      const seen = this.state();
      T._marc__wasm_mt_take(this.run); // unblock a sink waiting for room
      if (!T._marc__wasm_mt_finished(this.run)) await this.wait(seen);
    }
    T._marc__wasm_mt_free(this.run);
    unrefWorkers();
  }
}

// ------------------------------------------------------------------
// Avram schemas and validation (schema.c)
// ------------------------------------------------------------------

/** A schema handle in the single-threaded module (`threads`: the
 * threaded one): source {builtin: 'bibliographic'|'authority'|'holdings'}
 * (never freed) or {json: text}. One that does not load throws MarcError
 * (code 'SCHEMA_INVALID', the message naming the JSON Pointer). */
export function schemaOpen(source, threads) {
  const mod = threads ? T : M, cache = threads ? tCache : mainCache;
  if (!L.avram) throw new Error('marcato: this build has no Avram schema validation (it was built without cJSON)');
  let s;
  if (source.builtin !== undefined) {
    s = mod._marc__wasm_schema_builtin(L.builtinSchemas[source.builtin] ?? -1);
    if (!s) throw new TypeError(`marcato: no built-in schema '${source.builtin}'`);
  } else {
    const bytes = utf8enc.encode(source.json);
    const p = mod._marc__wasm_alloc(bytes.length);
    if (!p && bytes.length) throw oom();
    heapOf(mod, cache).u8.set(bytes, p);
    s = mod._marc__wasm_schema_load(p, bytes.length);
    mod._marc__wasm_free(p);
    if (!s) throw oom();
  }
  const status = heapOf(mod, cache).i32[(s + L.schema.status) >> 2];
  if (status === L.status.OK) return s;
  const message = cString(mod, s + L.schema.message);
  mod._marc__wasm_schema_free(s);
  if (status === L.status.E_NOMEM) throw oom();
  throw new MarcError(`marcato: not a valid Avram schema: ${message}`, { code: 'SCHEMA_INVALID', status: L.statusName[status] ?? 'E_INVALID' });
}
/** Free a schema handle of either module (built-in ones stay). */
export function schemaFree(s, threads) { (threads ? T : M)._marc__wasm_schema_free(s); }
/** The JSON text of a built-in schema ('bibliographic'...), as the core
 * embeds it. */
export function schemaBuiltinJSON(name) {
  const k = L.builtinSchemas[name] ?? -1;
  const p = M._marc__wasm_schema_builtin_json(k), n = M._marc__wasm_schema_builtin_json_len(k);
  if (!p) throw new TypeError(`marcato: no built-in schema '${name}'`);
  return utf8.decode(heapOf(M, mainCache).u8.subarray(p, p + n));
}
/** A schema's title ('' for none) and whether it is partial. */
export function schemaInfo(s) {
  return { title: cString(M, M._marc__wasm_schema_title(s)), partial: M._marc__wasm_schema_partial(s) === 1 };
}

/** Validate each record a reader (a handle) or a PipelineRun reads: the
 * structure checks, then the schema `v` says ({mode, handle (of that
 * module), enable, disable}: validate.js). */
export function setSchema(reader, v) {
  const run = reader instanceof PipelineRun, mod = run ? T : M;
  const s = run ? T._marc__wasm_mt_set_schema(reader.run, v.mode, v.handle, v.enable, v.disable)
    : M._marc__wasm_reader_set_schema(reader, v.mode, v.handle, v.enable, v.disable);
  if (s !== L.status.OK) throw new Error(`marcato: cannot validate: ${statusText(mod, s)}`);
}

/** Validate one record as `v` says: a block as a batch holds it, or
 * (`fields` given) a leader string and Field objects (see putTable).
 * Returns a raw batch of that record, its diagnostics the problems. */
export function validateRecord(v, block, leader, fields) {
  if (fields) putTable(leader, fields);
  else {
    const p = M._marc__wasm_writer_input(writerObj, block.length);
    if (!p) throw oom();
    heapOf(M, mainCache).u8.set(block, p);
  }
  const b = M._marc__wasm_validate_schema(writerObj, fields ? 1 : 0, v.mode, v.handle, v.enable, v.disable);
  if (!b) throw oom();
  const raw = takeBatch(M, b, mainCache);
  if (raw.status === L.status.END) return raw;
  throw new Error(`marcato: cannot validate: ${raw.status === L.status.E_ARG ? 'a field cannot be written' : statusText(M, raw.status)}`);
}
