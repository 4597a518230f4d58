// marcato viewer: the page. Reading happens in the worker (worker.js); this
// module starts it, opens files (picker, drag and drop), follows the reading
// and switches tabs. The other concerns have their own modules: state.js,
// channel.js and protocol.js (messages), list.js, search.js,
// record-view.js, stats-view.js, export.js, columns.js, labels.js (MARC 21
// names).
import { $, el, fmt, fmtBytes, message, plural, progress } from './dom.js';
import { MSG } from './protocol.js';
import { on, onWorkerError, post } from './channel.js';
import { formatLabel, loadLabels, setLeaderLabels } from './labels.js';
import { addSummaries, cursor, doc, engine, filter, resetDoc } from './state.js';
import { render, reset, update } from './list.js';
import { clearRecord, redrawRecord, refreshRecordCount, showRecord } from './record-view.js';
import { followPermalink } from './permalink.js';
import { loadFixedFields } from './fixed-fields.js';
import { forgetDraft } from './editor.js';
import { chooseExportFormat } from './export.js';
import { offerReopen, rememberDrop, usePicker } from './recent.js';
import { forgetSearch, runPendingSearch } from './search.js';
import { clearStats, renderStats } from './stats-view.js';
import { offerFormats } from './export.js';
import { resetColumns, showColumns } from './columns.js';
import { loadSchemaLabels } from './schema-labels.js';

// The threaded reader only when asked for (?threads=1, on a
// crossOriginIsolated page): measured on 2 cores (test/bench.mjs, README)
// it read 202 MB in 39.6 s against 30.4 s single-threaded, showed the
// first row after 1433 ms against 624 ms, with more long tasks (126
// against 99); the issue's 1 GB run: 21.2 s against 13.6 s.
const wantThreads = new URLSearchParams(location.search).get('threads') === '1';

// ------------------------------------------------------------------
// The worker
// ------------------------------------------------------------------

onWorkerError((e) => {
  message(`The reader failed to start: ${e.message || 'worker error'}.`, 'error');
  engine.errors.push(e.message || 'worker error');
});

on(MSG.READY, ({ caps }) => {
  engine.caps = caps;
  $('engine').replaceChildren(
    el('span', null, `marcato ${caps.version}`),
    el('span', { class: 'chip' + (caps.threads ? ' on' : ''), title: caps.crossOriginIsolated ? 'crossOriginIsolated' : 'not crossOriginIsolated: single-threaded build' },
      caps.threads ? 'threads' : 'single-threaded'),
    el('span', { class: 'chip' + (caps.marc8 ? ' on' : ''), title: 'MARC-8 to UTF-8 conversion' }, caps.marc8 ? 'MARC-8 → UTF-8' : 'no MARC-8 conversion'),
  );
  for (const o of $('format-select').options) {
    if (o.value !== 'auto' && !caps.readers.includes(o.value)) o.textContent += ' (not in this build)';
  }
  offerFormats(caps.writers);
});

// ------------------------------------------------------------------
// Opening and reading a file
// ------------------------------------------------------------------

let notMarc = ''; // why the open file does not look like MARC, or ''

function openFile(file) {
  if (!file) return;
  notMarc = '';
  resetDoc(file);
  forgetSearch();
  forgetDraft();
  message('');
  $('welcome').hidden = true;
  $('workspace').hidden = false;
  $('progress-wrap').hidden = false;
  progress(0, 'Starting…');
  $('file-info').textContent = `${file.name || 'unnamed'} · ${fmtBytes(file.size)}`;
  clearRecord('Select a record in the list (arrow keys, Enter).');
  clearStats();
  resetColumns();
  reset();
  post(MSG.OPEN, { file, format: $('format-select').value, id: doc.fileId });
}

on(MSG.OPENED, (m) => {
  if (m.id !== doc.fileId) return;
  doc.format = m.format;
  $('file-info').textContent = `${m.name || 'unnamed'} · ${fmtBytes(m.size)} · ${formatLabel(m.format)}`;
  chooseExportFormat(m.format);
  notMarc = m.notMarc ?? '';
  if (notMarc) message(`${notMarc} What follows is what a lenient reader makes of it.`, 'warn');
});

on(MSG.BATCH, (m) => {
  if (m.id !== doc.fileId) return;
  const first = addSummaries(m);
  if (first) {
    doc.timings.firstRecordMs = performance.now() - doc.timings.start;
    if (cursor.active < 0) cursor.active = 0;
  }
  if (!filter.view) update();
  if (first) {
    render();
    doc.timings.firstRowMs = performance.now() - doc.timings.start;
    if (!followPermalink()) showRecord(0);
  } else followPermalink();
  refreshRecordCount();
});

on(MSG.PROGRESS, (m) => {
  if (m.id !== doc.fileId) return;
  if (m.firstMs >= 0) doc.timings.workerFirstMs = m.firstMs;
  progress(m.size ? m.bytes / m.size : 0,
    `${plural(m.records, 'record')} · ${fmtBytes(m.bytes)} of ${fmtBytes(m.size)} · ${(m.ms / 1000).toFixed(1)} s`);
});

on(MSG.DONE, (m) => {
  if (m.id !== doc.fileId) return;
  doc.loading = false;
  doc.done = true;
  doc.timings.totalMs = performance.now() - doc.timings.start;
  doc.timings.workerMs = m.ms;
  doc.stats = m.stats;
  doc.threadsUsed = !!m.threadsUsed;
  doc.total = m.records;
  const rate = m.ms > 0 ? m.bytes / (m.ms / 1000) : 0;
  progress(1, `${plural(m.records, 'record')} · ${fmtBytes(m.bytes)} in ${(m.ms / 1000).toFixed(2)} s (${fmtBytes(rate)}/s)`);
  if (!m.records) message(`${notMarc ? `${notMarc} ` : ''}No MARC records were found in this file.`, 'warn');
  update();
  followPermalink();
  refreshRecordCount();
  renderStats();
  runPendingSearch();
  if (!$('panel-columns').hidden) showColumns();
});

on(MSG.ERROR, (m) => {
  if (m.id !== undefined && m.id !== doc.fileId) return;
  engine.errors.push(m.message);
  if (m.fatal) {
    doc.loading = false;
    $('progress-wrap').hidden = true;
  }
  message(m.message, m.fatal ? 'error' : 'warn');
});

// ------------------------------------------------------------------
// Tabs, picker, drag and drop, start-up
// ------------------------------------------------------------------

const TABS = ['records', 'stats', 'columns'];
function selectTab(which) {
  for (const name of TABS) {
    const on = name === which;
    $(`tab-${name}`).setAttribute('aria-selected', String(on));
    $(`tab-${name}`).tabIndex = on ? 0 : -1;
    $(`panel-${name}`).hidden = !on;
  }
  if (which === 'records') update();
  if (which === 'columns' && doc.done) showColumns();
}
for (const name of TABS) $(`tab-${name}`).addEventListener('click', () => selectTab(name));
document.querySelector('.tabs').addEventListener('keydown', (e) => {
  if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
    const at = TABS.findIndex((n) => $(`tab-${n}`).getAttribute('aria-selected') === 'true');
    const next = TABS[(at + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length];
    selectTab(next);
    $(`tab-${next}`).focus();
    e.preventDefault();
  }
});

$('file-input').addEventListener('change', (e) => {
  const f = e.target.files?.[0];
  if (f) openFile(f);
  e.target.value = '';
});

let dragDepth = 0;
window.addEventListener('dragenter', (e) => {
  if (![...(e.dataTransfer?.types ?? [])].includes('Files')) return;
  dragDepth++;
  $('drop-overlay').hidden = false;
  e.preventDefault();
});
window.addEventListener('dragleave', () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (!dragDepth) $('drop-overlay').hidden = true;
});
window.addEventListener('dragover', (e) => e.preventDefault());
window.addEventListener('drop', (e) => {
  e.preventDefault();
  dragDepth = 0;
  $('drop-overlay').hidden = true;
  const f = e.dataTransfer?.files?.[0];
  if (f) {
    rememberDrop(e.dataTransfer);
    openFile(f);
  }
});
usePicker(openFile);
offerReopen(openFile);

// Names arrive on their own time: draw again what shows them.
// The leader's names come with the fixed fields' table (the schema's).
const fixedFields = loadFixedFields().then((t) => setLeaderLabels(t.LDR), (e) => message(`Leader and 006/007/008 positions could not be loaded: ${e.message}`, 'warn'));
fixedFields.then(redrawRecord);
Promise.all([loadLabels(), loadSchemaLabels(), fixedFields]).then(() => {
  update();
  redrawRecord();
  renderStats();
}, (e) => message(`Field names could not be loaded: ${e.message}`, 'warn'));
post(MSG.INIT, { threads: wantThreads && self.crossOriginIsolated });
