// The page's state, in one small object per concern. Each is written by one
// module (named below) and read by any; nothing else holds state that two
// modules share. window.__viewer is a read-only view of it for tests.

function newTimings() {
  return { start: performance.now(), firstRecordMs: -1, firstRowMs: -1, totalMs: -1, workerFirstMs: -1, workerMs: -1 };
}

/** What the package can do (the worker's READY); written by app.js. */
export const engine = { caps: null, errors: [] };

/** The open file and compact summaries of its records; written by app.js
 * from the worker's reading messages. Typed arrays grow by doubling. */
export const doc = {
  file: null,
  fileId: 0, // increases with every file opened
  format: '',
  loading: false,
  done: false,
  total: 0, // records known
  cap: 0,
  types: new Uint8Array(0), // leader/06
  levels: new Uint8Array(0), // leader/07
  encs: new Uint8Array(0), // leader/09 as read
  ndiag: new Uint16Array(0), // diagnostics per record
  ids: [], // 001
  titles: [],
  stats: null, // the worker's statistics, when done
  threadsUsed: false,
  timings: newTimings(),
};

/** The records the list shows: null for all, else a search result
 * {indices: Uint32Array (ascending), length, done, query, diagOnly, req};
 * written by search.js. */
export const filter = { view: null, req: 0 };

/** The list's active row (a position in the list) and the selection
 * (record numbers); written by list.js. */
export const cursor = { active: -1, anchor: -1, selected: new Set() };

/** The record pane: which record, which view of it, the last one shown;
 * written by record-view.js. */
export const pane = { shown: -1, tab: 'fields', last: null };

/** The records edited in this file (record numbers); written by editor.js
 * from the worker's answers (the worker holds the edited records). */
export const edits = { indices: new Set() };

/** Forget the previous file: a new one is being opened. */
export function resetDoc(file) {
  Object.assign(doc, {
    file, fileId: doc.fileId + 1, format: '', loading: true, done: false, total: 0, cap: 0,
    types: new Uint8Array(0), levels: new Uint8Array(0), encs: new Uint8Array(0), ndiag: new Uint16Array(0),
    ids: [], titles: [], stats: null, threadsUsed: false, timings: newTimings(),
  });
  grow(1024);
  filter.view = null;
  cursor.active = -1;
  cursor.anchor = -1;
  cursor.selected.clear();
  pane.shown = -1;
  pane.last = null;
  edits.indices = new Set();
  engine.errors = [];
}

function grow(need) {
  if (need <= doc.cap) return;
  let cap = Math.max(1024, doc.cap);
  while (cap < need) cap *= 2;
  const copy = (Ctor, old) => {
    const a = new Ctor(cap);
    a.set(old.subarray(0, doc.total));
    return a;
  };
  doc.types = copy(Uint8Array, doc.types);
  doc.levels = copy(Uint8Array, doc.levels);
  doc.encs = copy(Uint8Array, doc.encs);
  doc.ndiag = copy(Uint16Array, doc.ndiag);
  doc.cap = cap;
}

/** Add the summaries of a BATCH message; returns true for the first. */
export function addSummaries(m) {
  const n = m.ids.length;
  grow(m.start + n);
  doc.types.set(m.types, m.start);
  doc.levels.set(m.levels, m.start);
  doc.encs.set(m.encs, m.start);
  doc.ndiag.set(m.ndiag, m.start);
  for (let i = 0; i < n; i++) {
    doc.ids[m.start + i] = m.ids[i];
    doc.titles[m.start + i] = m.titles[i];
  }
  const first = doc.total === 0 && n > 0;
  doc.total = Math.max(doc.total, m.start + n);
  return first;
}

/** Rows in the list: the search result, or every record. */
export const rowCount = () => (filter.view ? filter.view.length : doc.total);

/** The record number at list position `pos`. */
export const recordAt = (pos) => (filter.view ? filter.view.indices[pos] : pos);

// For tests and the curious: the names the page has always shown them by.
window.__viewer = Object.freeze({
  get caps() { return engine.caps; },
  get errors() { return engine.errors; },
  get file() { return doc.file; },
  get fileId() { return doc.fileId; },
  get format() { return doc.format; },
  get loading() { return doc.loading; },
  get done() { return doc.done; },
  get total() { return doc.total; },
  get types() { return doc.types; },
  get ndiag() { return doc.ndiag; },
  get ids() { return doc.ids; },
  get titles() { return doc.titles; },
  get stats() { return doc.stats; },
  get timings() { return doc.timings; },
  get threadsUsed() { return doc.threadsUsed; },
  get view() { return filter.view; },
  get active() { return cursor.active; },
  get selected() { return cursor.selected; },
  get shown() { return pane.shown; },
  get lastRecord() { return pane.last; },
  get edited() { return edits.indices; },
});
