// The worker's export: the package's writer for the format, fed with the
// records wanted (re-read one by one when few, else by streaming the file
// again), into one Blob.
import * as marcato from '../src/browser.js';
import { MSG, send } from './protocol.js';
import { FORMATS } from './labels.js';
import { current, readOne, scanAll } from './worker-read.js';

const FEW = 5000; // up to this many records are re-read by byte range

/** Write the records `indices` (all when null) of the open file in
 * `format`; resolves to the REPLY fields {blob, count, failed, firstError}
 * or {error}. */
export async function exportRecords(reqId, format, indices) {
  const d = current();
  if (!d) return { error: 'no file is open' };
  const t0 = performance.now();
  const parts = [];
  let n = 0, failed = 0, firstError = '';
  let w;
  try {
    w = marcato.writer(format);
  } catch (e) {
    return { error: e.message };
  }
  const add = (rec) => {
    try {
      parts.push(w.write(rec));
      n++;
    } catch (e) {
      failed++;
      if (!firstError) firstError = `record ${rec.index + 1}: ${e.message}`;
    }
  };
  try {
    const byRange = d.format === 'iso2709' || d.kept;
    if (indices && byRange && (indices.length <= FEW || d.format !== 'iso2709')) {
      for (const i of indices) {
        const { rec } = await readOne(d, i);
        if (rec) add(rec);
        else failed++;
      }
    } else {
      let want = null;
      if (indices) {
        want = new Uint8Array(d.count);
        for (const i of indices) want[i] = 1;
      }
      await scanAll(d, (batch) => {
        for (const rec of batch) if (!want || want[rec.index]) add(rec);
      }, (scanned, bytes) => {
        send(self, MSG.EXPORT_PROGRESS, { reqId, scanned, bytes, size: d.size });
      }, { cancelled: false });
    }
  } catch (e) {
    return { error: e.message };
  }
  parts.push(w.end());
  const blob = new Blob(parts, { type: FORMATS[format]?.mime ?? 'application/octet-stream' });
  return { blob, count: n, failed, firstError, ms: performance.now() - t0 };
}
