// The search box: a query (the language of marcato's `filter`) and "with
// diagnostics only". The worker streams the file again and posts matching
// record numbers in batches; the list shows them as they come.
import { $, fmt, fmtBytes, message, progress } from './dom.js';
import { MSG } from './protocol.js';
import { on, post } from './channel.js';
import { cursor, doc, filter, recordAt, rowCount } from './state.js';
import { reset, update } from './list.js';
import { clearRecord, scheduleShow } from './record-view.js';

let pending = null; // a search asked for while the file is still being read

function setView(view) {
  filter.view = view;
  cursor.active = rowCount() ? 0 : -1;
  reset();
  if (cursor.active === 0) scheduleShow(recordAt(0));
}

/** Search the open file; an empty query and no diagOnly show every record. */
export function runSearch(query, diagOnly) {
  post(MSG.CANCEL_FILTER);
  const req = ++filter.req;
  message('');
  if (!query && !diagOnly) {
    setView(null);
    return;
  }
  if (!query) {
    // The summaries know each record's diagnostics count: no need to read again.
    const out = [];
    for (let i = 0; i < doc.total; i++) if (doc.ndiag[i]) out.push(i);
    setView({ indices: Uint32Array.from(out), length: out.length, done: doc.done, query: '', diagOnly: true, req });
    progress(null, `${fmt(out.length)} of ${fmt(doc.total)} records have diagnostics`);
    if (!doc.done) message('Showing records with diagnostics read so far; filter again when reading finishes for all.');
    return;
  }
  if (!doc.done) {
    pending = { query, diagOnly };
    message('The query runs when the file has been read.');
    return;
  }
  setView({ indices: new Uint32Array(1024), length: 0, done: false, query, diagOnly, req, t0: performance.now() });
  post(MSG.FILTER, { reqId: req, query, diagOnly });
}

/** The file has been read: run the search asked for meanwhile. */
export function runPendingSearch() {
  if (!pending) return;
  const p = pending;
  pending = null;
  runSearch(p.query, p.diagOnly);
}

/** Show the records whose summaries satisfy `pred(index)` (a statistics
 * bar clicked): `label` says which in the progress line. */
export function showSubset(label, pred) {
  post(MSG.CANCEL_FILTER);
  const req = ++filter.req;
  const out = [];
  for (let i = 0; i < doc.total; i++) if (pred(i)) out.push(i);
  $('query').value = '';
  $('diag-only').checked = false;
  setView({ indices: Uint32Array.from(out), length: out.length, done: doc.done, query: '', label, diagOnly: false, req });
  progress(null, `${fmt(out.length)} of ${fmt(doc.total)} records: ${label}`);
  message(`Showing ${label}. Clear shows every record.`);
}

/** A new file: forget a search asked for on the previous one. */
export function forgetSearch() {
  pending = null;
  $('query').value = '';
  $('diag-only').checked = false;
}

on(MSG.FILTER_BATCH, (m) => {
  const v = filter.view;
  if (!v || v.req !== m.reqId) return;
  const need = v.length + m.indices.length;
  if (need > v.indices.length) {
    let cap = v.indices.length;
    while (cap < need) cap *= 2;
    const a = new Uint32Array(cap);
    a.set(v.indices.subarray(0, v.length));
    v.indices = a;
  }
  v.indices.set(m.indices, v.length);
  const wasEmpty = v.length === 0;
  v.length = need;
  update();
  if (wasEmpty && need) {
    cursor.active = 0;
    scheduleShow(v.indices[0]);
  }
});

/** Progress of a search or an export (the worker streams the file again). */
export function onScanProgress(m) {
  const what = m.reqId && filter.view && filter.view.req === m.reqId ? 'Searching' : 'Working';
  progress(m.size ? m.bytes / m.size : 0, `${what}: ${fmt(m.scanned)} records · ${fmtBytes(m.bytes)} of ${fmtBytes(m.size)}`);
}
on(MSG.FILTER_PROGRESS, onScanProgress);

on(MSG.FILTER_DONE, (m) => {
  const v = filter.view;
  if (!v || v.req !== m.reqId) return;
  if (m.error) {
    message(m.error, 'error');
    if (v.length === 0) {
      filter.view = null;
      reset();
    }
    return;
  }
  v.done = true;
  v.ms = m.ms;
  const how = m.mode === 'words' ? ' (plain words: the whole record, accents and case ignored)'
    : m.mode === 'either form' ? ' (accented letters matched composed or decomposed)' : '';
  progress(1, `${fmt(v.length)} of ${fmt(doc.total)} records match${how} · ${(m.ms / 1000).toFixed(2)} s`);
  update();
  if (!v.length) {
    // The filter compares MARC-8 records as their bytes: accented letters
    // in a query find them only as plain words.
    const hint = /[^\x00-\x7f]/.test(v.query) && m.mode !== 'words' ? ' With accented letters, plain words (no tags) find MARC-8 records too.' : '';
    message(`No record matches this query.${hint}`, 'warn');
    clearRecord('No record matches.');
  }
});

const current = () => [$('query').value.trim(), $('diag-only').checked];
$('query-form').addEventListener('submit', (e) => {
  e.preventDefault();
  runSearch(...current());
});
$('diag-only').addEventListener('change', () => runSearch(...current()));
$('query-clear').addEventListener('click', () => {
  $('query').value = '';
  $('diag-only').checked = false;
  runSearch('', false);
});
