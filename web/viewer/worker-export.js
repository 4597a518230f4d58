// The worker's export: the records wanted, as edited in the viewer, written
// a piece at a time to a sink (worker-sink.js: a chosen file, a private
// file to download, or a Blob grown in parts), so memory stays bounded
// however big the file.
//
// ISO 2709 from ISO 2709 keeps the original encoding unless the user asks
// to convert: a record not edited is copied byte for byte from the file
// (MARC-8 stays MARC-8, as `marcato filter` does); an edited record is
// written by the package's writer in the encoding the file had for it
// (leader/09 blank: MARC-8, what MARC-8 lacks as "&#xXXXX;" and counted).
// Every other case uses the package's writer() for the format.
import * as marcato from '../src/browser.js';
import { MSG, send } from './protocol.js';
import { FORMATS } from './labels.js';
import { current, readOne, scanAll } from './worker-read.js';
import { editedRecord } from './worker-edits.js';
import { openSink } from './worker-sink.js';

const FEW = 5000; // up to this many records are re-read by byte range
const SLICE = 4 << 20;

/** Write records of the open file. `o`: {format, indices (null: all),
 * convert (ISO 2709: MARC-8 to UTF-8), handle (a FileSystemFileHandle or
 * null)}. Resolves to the REPLY fields {file?, saved?, sink, count,
 * bytes, failed, firstError, edited, converted, ms} or {error}. */
export async function exportRecords(reqId, o) {
  const d = current();
  if (!d) return { error: 'no file is open' };
  const t0 = performance.now();
  let w;
  try {
    w = marcato.writer(o.format);
  } catch (e) {
    return { error: e.message };
  }
  let sink;
  try {
    sink = await openSink(o.handle ?? null, FORMATS[o.format]?.mime ?? 'application/octet-stream');
  } catch (e) {
    return { error: `cannot write the file: ${e.message}` };
  }
  // edited: records written as edited; converted: edited MARC-8 records
  // written as UTF-8 (a build without MARC-8 tables); unrepresentable:
  // characters MARC-8 lacks in edited records written as MARC-8.
  const r = { count: 0, failed: 0, firstError: '', edited: 0, converted: 0, unrepresentable: 0 };
  const progress = (scanned, bytes) => send(self, MSG.EXPORT_PROGRESS, { reqId, scanned, bytes, size: d.size });
  const add = async (rec, index) => {
    const edited = editedRecord(index);
    if (edited) r.edited++;
    try {
      await sink.write(w.write(edited ?? rec));
      r.count++;
    } catch (e) {
      r.failed++;
      if (!r.firstError) r.firstError = `record ${index + 1}: ${e.message}`;
    }
  };
  try {
    if (o.format === 'iso2709' && d.format === 'iso2709' && !o.convert) {
      await copyRaw(d, o.indices, sink, w, r, progress);
    } else if (o.indices && (d.format === 'iso2709' || d.kept) && (o.indices.length <= FEW || d.format !== 'iso2709')) {
      for (const i of o.indices) {
        const { rec } = await readOne(d, i);
        if (rec || editedRecord(i)) await add(rec, i);
        else r.failed++;
      }
    } else {
      const want = o.indices ? new Uint8Array(d.count) : null;
      if (want) for (const i of o.indices) want[i] = 1;
      // Batches are handed over synchronously: gather their bytes, write
      // them after each batch.
      const pending = [];
      await scanAll(d, (batch) => {
        for (const rec of batch) if (!want || want[rec.index]) pending.push([rec, rec.index]);
      }, progress, { cancelled: false }, undefined, async () => {
        for (const [rec, i] of pending.splice(0)) await add(rec, i);
      });
      for (const [rec, i] of pending.splice(0)) await add(rec, i);
    }
    await sink.write(w.end());
  } catch (e) {
    await sink.abort();
    return { error: e.message };
  }
  const out = await sink.close();
  return { ...r, ...out, sink: sink.kind, bytes: sink.bytes, ms: performance.now() - t0 };
}

/** The length a record's leader states, when its bytes end as ISO 2709
 * says (record terminator); else -1. */
function statedLength(buf, at) {
  if (at + 24 > buf.length) return -1;
  let n = 0;
  for (let k = 0; k < 5; k++) {
    const c = buf[at + k] - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  if (n < 24 || at + n > buf.length || buf[at + n - 1] !== 0x1d) return -1;
  return n;
}

// The records `indices` (all when null) copied from the file as they are,
// edited records written by the package. A record whose bytes do not end
// where its leader says (damaged) is written by the package from what it
// read, as an edited one.
async function copyRaw(d, indices, sink, w, r, progress) {
  let buf = new Uint8Array(0), bufAt = 0; // file bytes [bufAt, bufAt + buf.length)
  let last = 0;
  const need = async (from, to) => {
    if (from >= bufAt && to <= bufAt + buf.length) return;
    const keep = from >= bufAt && from < bufAt + buf.length ? buf.subarray(from - bufAt) : new Uint8Array(0);
    const end = Math.min(d.size, Math.max(to, from + SLICE));
    const more = new Uint8Array(await d.file.slice(from + keep.length, end).arrayBuffer());
    const next = new Uint8Array(keep.length + more.length);
    next.set(keep);
    next.set(more, keep.length);
    buf = next;
    bufAt = from;
  };
  // Edited records the file has in MARC-8 are written in MARC-8 (when
  // the build has the tables).
  let marc8 = null;
  try { marc8 = marcato.writer('iso2709', { encoding: 'marc8' }); } catch { /* UTF-8 then */ }
  const n = indices ? indices.length : d.count;
  for (let k = 0; k < n; k++) {
    const i = indices ? indices[k] : k;
    const at = d.offsets[i];
    const edited = editedRecord(i);
    await need(at, Math.min(d.size, at + 24));
    let len = statedLength(buf, at - bufAt);
    if (len < 0) len = await lengthAfterReading(at);
    if (!edited && len > 0) {
      await sink.write(buf.subarray(at - bufAt, at - bufAt + len));
      r.count++;
    } else {
      const rec = edited ?? (await readOne(d, i)).rec;
      const wasMarc8 = buf[at - bufAt + 9] === 0x20 || rec?.leader[9] === ' ';
      if (edited) {
        r.edited++;
        if (wasMarc8 && !marc8) r.converted++;
      }
      try {
        if (!rec) throw new Error('could not be read again');
        if (wasMarc8 && marc8) {
          await sink.write(marc8.write(rec));
          r.unrepresentable += rec.diagnostics.filter((x) => x.code === 'MARC8_UNREPRESENTABLE').length;
        } else await sink.write(w.write(rec));
        r.count++;
      } catch (e) {
        r.failed++;
        if (!r.firstError) r.firstError = `record ${i + 1}: ${e.message}`;
      }
    }
    const now = performance.now();
    if (now - last > 100) {
      progress(k + 1, at);
      last = now;
    }
  }

  async function lengthAfterReading(at) {
    // The whole stated length must be in the buffer.
    const digits = String.fromCharCode(...buf.subarray(at - bufAt, at - bufAt + 5));
    const n = /^[0-9]{5}$/.test(digits) ? Number(digits) : 0;
    if (n < 24 || at + n > d.size) return -1;
    await need(at, at + n);
    return statedLength(buf, at - bufAt);
  }
}
