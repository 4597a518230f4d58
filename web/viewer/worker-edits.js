// The worker's edits: records changed in the viewer, kept as the package's
// Record objects parsed from MARCMaker text (the package's MRK reader, so
// the editor's syntax is the one `marcato convert` reads). Every writer of
// the package writes what such a record holds, so exports and "save" write
// the edits with no second encoder in the viewer. Each record keeps its
// history (MRK texts, oldest first) for undo.
import * as marcato from '../src/browser.js';

const utf8 = new TextEncoder();
const MAX_HISTORY = 100;

/** index -> {history: [mrk...], rec} for every record edited in this file. */
let edits = new Map();

/** A new file: forget the edits of the previous one. */
export function clearEdits() {
  edits = new Map();
}

/** The line (from 1) of byte offset `at` in `bytes`. */
function lineOf(bytes, at) {
  let line = 1;
  for (let i = 0; i < at && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Parse MARCMaker text as one record: {rec, problems: [{line, code,
 * message}], fields, records}. `rec` is null when the text holds no record. */
export function parseMrk(text) {
  const bytes = utf8.encode(text.endsWith('\n') ? text : `${text}\n`);
  const recs = [...marcato.recordsSync(bytes, { format: 'mrk' })];
  const problems = [];
  for (const r of recs) {
    for (const d of r.diagnostics) problems.push({ line: lineOf(bytes, d.offset), code: d.code, message: d.message });
  }
  if (recs.length > 1) problems.push({ line: 0, code: 'MORE_THAN_ONE', message: `the text holds ${recs.length} records; edit one record at a time` });
  const rec = recs.length === 1 ? recs[0] : null;
  return { rec, problems, fields: rec ? rec.fields.length : 0, records: recs.length };
}

/** Replace record `index` with the record `text` (MARCMaker) holds.
 * `originalMrk` is the record as read, the history's first entry.
 * Returns {error} or {modified, depth}. */
export function applyEdit(index, text, originalMrk) {
  const p = parseMrk(text);
  if (!p.rec) return { error: p.records ? p.problems.at(-1).message : 'the text holds no record (it starts with =LDR)' };
  let e = edits.get(index);
  if (!e) edits.set(index, (e = { history: [originalMrk], rec: null }));
  const mrk = p.rec.toMRK();
  if (mrk === e.history.at(-1)) return { modified: e.history.length > 1, depth: e.history.length - 1, unchanged: true };
  e.history.push(mrk);
  if (e.history.length > MAX_HISTORY) e.history.splice(1, 1);
  e.rec = p.rec;
  return { modified: true, depth: e.history.length - 1 };
}

/** Undo the last edit of record `index`: {modified, depth}. */
export function undoEdit(index) {
  const e = edits.get(index);
  if (!e || e.history.length < 2) return { modified: false, depth: 0 };
  e.history.pop();
  if (e.history.length === 1) {
    edits.delete(index);
    return { modified: false, depth: 0 };
  }
  e.rec = parseMrk(e.history.at(-1)).rec;
  return { modified: true, depth: e.history.length - 1 };
}

/** The edited record `index`, or undefined when it was not edited. */
export function editedRecord(index) {
  return edits.get(index)?.rec ?? undefined;
}

/** How many edits record `index` has (0: as read). */
export function editDepth(index) {
  const e = edits.get(index);
  return e ? e.history.length - 1 : 0;
}

/** The numbers of the edited records, ascending. */
export function editedIndices() {
  return [...edits.keys()].sort((a, b) => a - b);
}
