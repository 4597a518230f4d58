// The worker's reading: stream the open File through the package, post
// summaries and progress, keep what is needed to find each record again,
// re-read one record for the record view, and stream the file again for
// searches and exports.
//
// Memory (100,000+ records, 1 GB files): per record only its byte offset
// (Float64Array) and its diagnostics (only records that have some, capped)
// stay here; the page keeps the summaries. A viewed record is re-read from
// the File by byte range (Blob.slice). MARCXML, MARC-in-JSON and .mrk have
// no byte ranges a reader can start from: the ISO 2709 bytes of each record
// are kept up to KEEP_BYTES_MAX, past which records are found by streaming.
import * as marcato from '../src/browser.js';
import { MSG, send } from './protocol.js';
import { formatLabel, kindOf } from './labels.js';
import { Batcher, Stats } from './worker-summary.js';
import { clearEdits, editDepth, editedRecord } from './worker-edits.js';
import { notMarcReason } from './sniff.js';
import { problemsOf } from './worker-validate.js';

const SLICE = 4 << 20; // bytes read from the File per step
const POST_EVERY_MS = 100; // summaries are posted at most this often (after the first)
const DIAG_MAX = 200000; // diagnostics kept in total
const KEEP_BYTES_MAX = 512 << 20;
const MAX_RECORD = 99999; // the largest record ISO 2709 can describe

const post = (type, fields, transfer) => send(self, type, fields, transfer);

let gen = 0; // a new open stops the running scan
let doc = null; // the open file: {id, file, format, count, done, offsets, diags, kept, ...}

/** The open file, or null. */
export const current = () => doc;

/** The File from `start` to `end` in big slices, the next read in flight
 * while one is used; `onBytes(pos)` sees progress, `window` (an array)
 * keeps the last few slices. */
async function* fileChunks(file, start, end, onBytes, window) {
  let pos = start;
  let next = pos < end ? file.slice(pos, Math.min(end, pos + SLICE)).arrayBuffer() : null;
  while (next) {
    const buf = new Uint8Array(await next);
    pos += buf.length;
    next = pos < end ? file.slice(pos, Math.min(end, pos + SLICE)).arrayBuffer() : null;
    if (onBytes) onBytes(pos);
    if (window) {
      window.push({ start: pos - buf.length, buf });
      if (window.length > 8) window.shift();
    }
    if (buf.length) yield buf;
  }
}

// Options for streaming the whole file: the threaded build for ISO 2709
// when the page may use it.
function streamOptions(d, extra) {
  const o = { batchSize: 512, format: d.format, ...extra };
  if (d.format === 'iso2709' && d.threads) o.threads = true;
  return o;
}

/** Read `file` (format 'auto' or one of caps.readers), posting OPENED,
 * BATCH, PROGRESS and DONE (or ERROR). */
export async function openFile(file, wanted, id, caps) {
  const my = ++gen;
  // Nothing may be answered from the previous file from now on: a record
  // asked for meanwhile must not come from it (the page numbers records
  // of the new file).
  doc = null;
  clearEdits();
  const t0 = performance.now();
  // The package's sniffFormat sees the first slice, as records() would.
  const head = new Uint8Array(await file.slice(0, SLICE).arrayBuffer());
  if (my !== gen) return;
  const format = wanted && wanted !== 'auto' ? wanted : marcato.sniffFormat(head);
  post(MSG.OPENED, { id, format, size: file.size, name: file.name ?? '', notMarc: notMarcReason(head, format) });
  if (!caps.readers.includes(format)) {
    post(MSG.ERROR, {
      id, fatal: true,
      message: `This build of the marcato package cannot read ${formatLabel(format)} yet (it reads: ${caps.readers.map(formatLabel).join(', ')}). Convert the file to ISO 2709 (marcato convert) or update the package.`,
    });
    return;
  }
  const d = doc = {
    id, file, format, size: file.size, threads: caps.threads, writers: caps.writers, count: 0, done: false,
    offsets: new Float64Array(1024), diags: new Map(), diagKept: 0,
    kept: format === 'iso2709' ? null : [], keptBytes: 0,
  };
  const stats = new Stats();
  const batcher = new Batcher(id);
  let bytesRead = 0, lastPost = 0, firstMs = -1;
  const progress = (now) => post(MSG.PROGRESS, { id, bytes: bytesRead, size: file.size, records: d.count, ms: now - t0, firstMs });
  // The last slices read, to see each record's own leader/09 (the package
  // converts MARC-8 to UTF-8 and sets leader/09 to 'a').
  const window = format === 'iso2709' ? [] : null;
  const rawByte = (at) => {
    for (let k = window.length - 1; k >= 0; k--) {
      const w = window[k];
      if (at >= w.start && at < w.start + w.buf.length) return w.buf[at - w.start];
    }
    return -1;
  };
  try {
    const chunks = fileChunks(file, 0, file.size, (n) => { bytesRead = n; }, window);
    for await (const batch of marcato.batches(chunks, streamOptions(d))) {
      if (my !== gen) return; // superseded: leaving the loop frees the reader
      for (const rec of batch) keep(d, rec, batcher, stats, window ? rawByte(rec.offset + 9) : -1);
      const now = performance.now();
      if (firstMs < 0 && d.count) {
        firstMs = now - t0;
        batcher.flush();
        progress(now);
        lastPost = now;
        await new Promise((r) => setTimeout(r, 0)); // let the page see the first records now
      } else if (now - lastPost >= POST_EVERY_MS) {
        batcher.flush();
        progress(now);
        lastPost = now;
      }
    }
  } catch (e) {
    if (my !== gen) return;
    batcher.flush();
    post(MSG.ERROR, { id, fatal: false, message: `Reading stopped at record ${d.count + 1}: ${e.message}` });
  }
  if (my !== gen) return;
  batcher.flush();
  d.done = true;
  const threadsUsed = format === 'iso2709' && d.threads && !marcato.threadsError();
  post(MSG.DONE, { id, records: d.count, bytes: file.size, ms: performance.now() - t0, firstMs, stats: { ...stats }, format, threadsUsed });
}

// One record read: remember where it is, summarize it, count it.
function keep(d, rec, batcher, stats, rawL09) {
  const i = d.count++;
  if (i >= d.offsets.length) {
    const grown = new Float64Array(d.offsets.length * 2);
    grown.set(d.offsets);
    d.offsets = grown;
  }
  d.offsets[i] = rec.offset;
  if (d.kept) {
    if (d.keptBytes < KEEP_BYTES_MAX) {
      const b = rec.bytes.slice();
      d.kept.push(b);
      d.keptBytes += b.length;
    } else d.kept.push(null);
  }
  const leader = rec.leader;
  const kind = kindOf(leader[6] ?? ' ');
  const l09 = rawL09 >= 0 ? String.fromCharCode(rawL09) : (leader[9] ?? ' ');
  const diags = rec.diagnostics;
  if (diags.length && d.diagKept < DIAG_MAX) {
    d.diags.set(i, diags);
    d.diagKept += diags.length;
  }
  batcher.add(rec, kind, l09, diags.length);
  stats.add(rec, kind, l09, diags);
}

/** Record `index` of `d` again: {rec, raw, start} (rec null if unreadable). */
export async function readOne(d, index) {
  if (d.format === 'iso2709') {
    const start = d.offsets[index];
    // Up to the next record, or (the last one known so far) the largest
    // record ISO 2709 can describe.
    const end = index + 1 < d.count ? d.offsets[index + 1] : Math.min(d.size, start + MAX_RECORD + 1);
    const raw = new Uint8Array(await d.file.slice(start, end).arrayBuffer());
    return { rec: firstRecord(raw), raw, start };
  }
  const kept = d.kept?.[index];
  if (kept) return { rec: firstRecord(kept), raw: kept, start: d.offsets[index] };
  for await (const batch of marcato.batches(fileChunks(d.file, 0, d.size), streamOptions(d))) {
    const rec = batch.find((r) => r.index === index);
    if (rec) return { rec, raw: rec.bytes.slice(), start: rec.offset };
    if (batch.length && batch[batch.length - 1].index > index) break;
  }
  return { rec: null, raw: new Uint8Array(0), start: 0 };
}

function firstRecord(iso2709) {
  const it = marcato.recordsSync(iso2709, { format: 'iso2709' });
  const first = it.next();
  it.return();
  return first.done ? null : first.value;
}

/** A record's fields as plain data for the page. */
export function plainFields(rec) {
  return rec.fields.map((f) => (f.isControl ? { tag: f.tag, control: true, value: f.value }
    : { tag: f.tag, control: false, ind1: f.ind1, ind2: f.ind2, subfields: f.subfields.map((s) => [s.code, s.value]) }));
}

/** Record `index` of another file (to compare with): {view} or {error}. */
export async function recordOfFile(file, index) {
  try {
    for await (const rec of marcato.records(file)) {
      if (rec.index === index) return { view: { index, name: file.name, leader: rec.leader, fields: plainFields(rec), modified: false } };
      if (rec.index > index) break;
    }
  } catch (e) {
    return { error: `${file.name}: ${e.message}` };
  }
  return { error: `${file.name} has no record ${index + 1}` };
}

/** What the record view shows of record `index`: plain data for the page.
 * The edited record when it was edited, unless `original`. */
export async function recordView(d, index, original = false) {
  const read = await readOne(d, index);
  const { raw, start } = read;
  const depth = original ? 0 : editDepth(index);
  const rec = depth ? editedRecord(index) : read.rec;
  const v = {
    id: d.id, index, offset: start, length: raw.length, format: d.format, raw,
    diagnostics: d.diags.get(index) ?? [], problems: [], modified: depth > 0, depth,
    // leader/09 as the file has it: the package converts MARC-8 to UTF-8
    // and then says 'a'.
    leaderAsRead: d.format === 'iso2709' && raw.length >= 24 ? String.fromCharCode(...raw.subarray(0, 24)) : '',
    leader: '', fields: [], mrk: '', originalMrk: '', xml: '', json: '', errors: [],
  };
  if (!rec) {
    v.errors.push('The record could not be read again from its bytes.');
    return v;
  }
  if (read.rec) {
    try { v.originalMrk = read.rec.toMRK(); } catch { v.originalMrk = ''; }
  }
  v.leader = rec.leader;
  v.fields = plainFields(rec);
  // What `marcato validate` finds in the bytes as read, placed at fields
  // and subfields (not for an edited record: its fields are others).
  if (!depth) {
    try { v.problems = problemsOf(raw, d.format === 'iso2709' ? start : 0, v.diagnostics); } catch (e) { v.errors.push(`Validation: ${e.message}`); }
  }
  try { v.mrk = rec.toMRK(); } catch (e) { v.errors.push(`MRK: ${e.message}`); }
  if (d.writers.includes('marcxml')) {
    try { v.xml = rec.toMARCXML(); } catch (e) { v.errors.push(`MARCXML: ${e.message}`); }
  }
  try { v.json = JSON.stringify(rec.toJSON(), null, 2); } catch (e) { v.errors.push(`JSON: ${e.message}`); }
  return v;
}

/** Stream every record of `d` again, batch by batch: `fn(batch)`;
 * `onProgress(records, bytes)` at most every 100 ms. `extra` adds reading
 * options (a filter: batches then hold only the records that match).
 * `after()` (async) runs after each batch. Returns false when stopped by
 * `token.cancelled` or a newer file; the
 * input stops at the next slice, so a search that matches nothing for a
 * long while still stops and still reports progress. */
export async function scanAll(d, fn, onProgress, token, extra, after) {
  let seen = 0, last = 0;
  const stopped = () => token.cancelled || d !== doc;
  const onBytes = (bytes) => {
    const now = performance.now();
    if (onProgress && now - last > 100 && !stopped()) {
      onProgress(seen, bytes);
      last = now;
    }
  };
  async function* slices() {
    for await (const buf of fileChunks(d.file, 0, d.size, onBytes)) {
      if (stopped()) return;
      yield buf;
    }
  }
  for await (const batch of marcato.batches(slices(), streamOptions(d, extra))) {
    if (stopped()) return false;
    if (batch.length) seen = batch[batch.length - 1].index + 1;
    fn(batch);
    if (after) await after();
  }
  return !stopped();
}
