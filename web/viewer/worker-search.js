// The worker's search: stream the open file again through the package's
// filter (the core's query language, matched in wasm: records that do not
// match never become JS objects, and the answer is the one `marcato filter`
// gives) and post the numbers of the records that match (and, with
// diagOnly, have diagnostics).
import * as marcato from '../src/browser.js';
import { MSG, send } from './protocol.js';
import { current, scanAll } from './worker-read.js';

const post = (type, fields, transfer) => send(self, type, fields, transfer);

let token = { cancelled: false };

/** Stop the running search, if any. */
export function cancelSearch() {
  token.cancelled = true;
}

export async function search(reqId, text, diagOnly) {
  cancelSearch();
  const my = token = { cancelled: false };
  const d = current();
  if (!d) return;
  let q; // compiled once here so that a bad query is reported before reading
  try {
    q = marcato.compileQuery(text);
  } catch (e) {
    post(MSG.FILTER_DONE, { reqId, error: e.message });
    return;
  }
  const t0 = performance.now();
  let buf = [];
  let total = 0;
  const flush = () => {
    if (!buf.length) return;
    const a = Uint32Array.from(buf);
    total += a.length;
    post(MSG.FILTER_BATCH, { reqId, indices: a }, [a.buffer]);
    buf = [];
  };
  try {
    const finished = await scanAll(d, (batch) => {
      for (const rec of batch) {
        const i = rec.index;
        if (!diagOnly || d.diags.has(i) || rec.diagnostics.length) buf.push(i);
      }
    }, (scanned, bytes) => {
      flush();
      post(MSG.FILTER_PROGRESS, { reqId, scanned, bytes, size: d.size });
    }, my, { filter: q });
    if (!finished) return;
    flush();
    post(MSG.FILTER_DONE, { reqId, count: total, ms: performance.now() - t0 });
  } catch (e) {
    flush();
    post(MSG.FILTER_DONE, { reqId, count: total, error: e.message });
  } finally {
    q.free();
  }
}
