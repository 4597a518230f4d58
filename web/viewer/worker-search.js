// The worker's search: stream the open file again through the package's
// filter (the core's query language, matched in wasm: records that do not
// match never become JS objects, and the answer is the one `marcato filter`
// gives) and post the numbers of the records that match (and, with
// diagOnly, have diagnostics).
import * as marcato from '../src/browser.js';
import { MSG, send } from './protocol.js';
import { current, scanAll } from './worker-read.js';
import { looksStructured, lowerOperators, matchesPlain, plainTerms } from './worker-plain.js';

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
  // The query language first (AND/OR/NOT accepted in capitals); what it
  // cannot read and does not look like it is searched as plain words.
  let q = null, q2 = null, terms = null;
  const structured = lowerOperators(text);
  try {
    q = marcato.compileQuery(structured);
    // Accented letters typed precomposed find decomposed records too (and
    // the other way round): a second pass with the other form, unless the
    // query negates (a union would not be its meaning).
    const other = structured.normalize('NFC') === structured ? structured.normalize('NFD') : structured.normalize('NFC');
    if (other !== structured && !/\bnot\b/.test(structured)) q2 = marcato.compileQuery(other);
  } catch (e) {
    if (looksStructured(text)) {
      post(MSG.FILTER_DONE, { reqId, error: e.message });
      return;
    }
    terms = plainTerms(text);
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
  const mode = terms ? 'words' : q2 ? 'either form' : 'query';
  try {
    let finished;
    if (terms) {
      finished = await scanAll(d, (batch) => {
        for (const rec of batch) if (matchesPlain(rec, terms) && (!diagOnly || d.diags.has(rec.index) || rec.diagnostics.length)) buf.push(rec.index);
      }, (scanned, bytes) => {
        flush();
        post(MSG.FILTER_PROGRESS, { reqId, scanned, bytes, size: d.size });
      }, my);
    } else {
      // With two passes the matches are merged at the end (ascending).
      const both = q2 ? new Set() : null;
      for (const query of q2 ? [q, q2] : [q]) {
        finished = await scanAll(d, (batch) => {
          for (const rec of batch) {
            const i = rec.index;
            if (diagOnly && !d.diags.has(i) && !rec.diagnostics.length) continue;
            if (both) both.add(i);
            else buf.push(i);
          }
        }, (scanned, bytes) => {
          if (!both) flush();
          post(MSG.FILTER_PROGRESS, { reqId, scanned, bytes, size: d.size });
        }, my, { filter: query });
        if (!finished) return;
      }
      if (both) buf = [...both].sort((a, b) => a - b);
    }
    if (!finished) return;
    flush();
    post(MSG.FILTER_DONE, { reqId, count: total, ms: performance.now() - t0, mode });
  } catch (e) {
    flush();
    post(MSG.FILTER_DONE, { reqId, count: total, error: e.message });
  } finally {
    q?.free();
    q2?.free();
  }
}
