// marcato viewer: the page. Parsing runs in worker.js; this file keeps
// compact per-record summaries, draws a virtualized list, the record view,
// statistics (inline SVG) and exports.
//
// Safety: record content is text, never markup. Everything below builds
// the DOM with createElement/textContent; nothing assigns innerHTML.

const $ = (id) => document.getElementById(id);
const ROW_H = 28;
const MAX_SCROLL_PX = 8_000_000; // past this the scrollbar maps rows proportionally
const NF = new Intl.NumberFormat('en');
const fmt = (n) => NF.format(n);

const params = new URLSearchParams(location.search);
const wantThreads = params.get('threads') !== '0';

let FIELDS = null; // data/fields.json
let LEADER = null; // data/leader.json

// ------------------------------------------------------------------
// State
// ------------------------------------------------------------------

const S = {
  caps: null,
  file: null,
  fileId: 0,
  format: '',
  loading: false,
  done: false,
  total: 0, // records known
  cap: 0,
  types: new Uint8Array(0),
  levels: new Uint8Array(0),
  encs: new Uint8Array(0),
  ndiag: new Uint16Array(0),
  ids: [],
  titles: [],
  view: null, // null: all records; else {indices: Uint32Array, length, done, query}
  active: -1, // position in the view
  selected: new Set(), // record indices
  anchor: -1,
  stats: null,
  timings: { start: 0, firstRecordMs: -1, firstRowMs: -1, totalMs: -1, workerFirstMs: -1, workerMs: -1 },
  reqId: 0,
  shown: -1, // record index shown in the record pane
  recordView: 'fields',
  lastRecord: null,
  filterReq: 0,
  errors: [],
};
window.__viewer = S; // for tests and the curious

// ------------------------------------------------------------------
// DOM helpers
// ------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function message(text, kind = '') {
  const m = $('message');
  if (!text) {
    m.hidden = true;
    m.className = 'message';
    m.textContent = '';
    return;
  }
  m.hidden = false;
  m.className = 'message ' + kind;
  m.textContent = text;
}

// ------------------------------------------------------------------
// Worker
// ------------------------------------------------------------------

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'marcato' });
const pending = new Map(); // reqId -> resolve

worker.onerror = (e) => {
  message(`The reader failed to start: ${e.message || 'worker error'}.`, 'error');
  S.errors.push(e.message || 'worker error');
};

worker.onmessage = (ev) => {
  const m = ev.data;
  switch (m.type) {
    case 'ready': onReady(m.caps); break;
    case 'opened': onOpened(m); break;
    case 'batch': if (m.start >= 0) onBatch(m); break;
    case 'progress': onProgress(m); break;
    case 'done': onDone(m); break;
    case 'error': onError(m); break;
    case 'filterBatch': onFilterBatch(m); break;
    case 'filterProgress': onFilterProgress(m); break;
    case 'filterDone': onFilterDone(m); break;
    case 'exportProgress': onFilterProgress(m); break;
    case 'record':
    case 'exported': {
      const r = pending.get(m.reqId);
      if (r) {
        pending.delete(m.reqId);
        r(m);
      }
      break;
    }
    default: break;
  }
};

function request(msg) {
  const reqId = ++S.reqId;
  return new Promise((resolve) => {
    pending.set(reqId, resolve);
    worker.postMessage({ ...msg, reqId });
  });
}

function onReady(caps) {
  S.caps = caps;
  const e = $('engine');
  e.replaceChildren(
    el('span', null, `marcato ${caps.version}`),
    el('span', { class: 'chip' + (caps.threads ? ' on' : ''), title: caps.crossOriginIsolated ? 'crossOriginIsolated' : 'not crossOriginIsolated: single-threaded build' },
      caps.threads ? 'threads' : 'single-threaded'),
    el('span', { class: 'chip' + (caps.marc8 ? ' on' : ''), title: 'MARC-8 to UTF-8 conversion' }, caps.marc8 ? 'MARC-8 → UTF-8' : 'no MARC-8 conversion'),
  );
  const sel = $('format-select');
  for (const o of sel.options) {
    if (o.value !== 'auto' && !caps.readers.includes(o.value)) o.textContent += ' (not in this build)';
  }
  for (const o of $('export-format').options) {
    if (!caps.writers.includes(o.value)) o.disabled = true;
  }
}

// ------------------------------------------------------------------
// Opening files
// ------------------------------------------------------------------

function openFile(file) {
  if (!file) return;
  S.file = file;
  S.fileId++;
  S.loading = true;
  S.done = false;
  S.total = 0;
  S.cap = 0;
  grow(1024);
  S.ids = [];
  S.titles = [];
  S.view = null;
  S.active = -1;
  S.selected.clear();
  S.anchor = -1;
  S.stats = null;
  S.shown = -1;
  S.lastRecord = null;
  S.errors = [];
  S.timings = { start: performance.now(), firstRecordMs: -1, firstRowMs: -1, totalMs: -1, workerFirstMs: -1, workerMs: -1 };
  $('query').value = '';
  $('diag-only').checked = false;
  message('');
  $('welcome').hidden = true;
  $('workspace').hidden = false;
  $('progress-wrap').hidden = false;
  $('progress').value = 0;
  $('progress-text').textContent = 'Starting…';
  $('file-info').textContent = `${file.name || 'unnamed'} · ${fmtBytes(file.size)}`;
  $('record').replaceChildren(el('p', { class: 'muted empty' }, 'Select a record in the list (arrow keys, Enter).'));
  $('stats').replaceChildren(el('p', { class: 'muted' }, 'Statistics appear when the file has been read.'));
  list.reset();
  worker.postMessage({ type: 'open', file, format: $('format-select').value, id: S.fileId });
}

function grow(need) {
  if (need <= S.cap) return;
  let cap = Math.max(1024, S.cap);
  while (cap < need) cap *= 2;
  const copy = (Ctor, old) => { const a = new Ctor(cap); a.set(old.subarray(0, S.total)); return a; };
  S.types = copy(Uint8Array, S.types);
  S.levels = copy(Uint8Array, S.levels);
  S.encs = copy(Uint8Array, S.encs);
  S.ndiag = copy(Uint16Array, S.ndiag);
  S.cap = cap;
}

function onOpened(m) {
  if (m.id !== S.fileId) return;
  S.format = m.format;
  $('file-info').textContent = `${m.name || 'unnamed'} · ${fmtBytes(m.size)} · ${FORMAT_LABEL[m.format] ?? m.format}`;
}

const FORMAT_LABEL = { iso2709: 'ISO 2709', marcxml: 'MARCXML', json: 'MARC-in-JSON', mrk: 'MARCMaker' };

function onBatch(m) {
  const n = m.ids.length;
  grow(m.start + n);
  S.types.set(m.types, m.start);
  S.levels.set(m.levels, m.start);
  S.encs.set(m.encs, m.start);
  S.ndiag.set(m.ndiag, m.start);
  for (let i = 0; i < n; i++) {
    S.ids[m.start + i] = m.ids[i];
    S.titles[m.start + i] = m.titles[i];
  }
  const firstBatch = S.total === 0;
  S.total = Math.max(S.total, m.start + n);
  if (firstBatch && n) {
    S.timings.firstRecordMs = performance.now() - S.timings.start;
    if (S.active < 0) S.active = 0;
  }
  if (!S.view) list.update();
  if (firstBatch && n) {
    list.renderNow();
    S.timings.firstRowMs = performance.now() - S.timings.start;
    showRecord(0);
  }
}

function onProgress(m) {
  if (m.id !== S.fileId) return;
  const frac = m.size ? m.bytes / m.size : 0;
  $('progress').value = frac;
  if (m.firstMs >= 0) S.timings.workerFirstMs = m.firstMs;
  $('progress-text').textContent = `${fmt(m.records)} records · ${fmtBytes(m.bytes)} of ${fmtBytes(m.size)} · ${(m.ms / 1000).toFixed(1)} s`;
}

function onDone(m) {
  if (m.id !== S.fileId) return;
  S.loading = false;
  S.done = true;
  S.timings.totalMs = performance.now() - S.timings.start;
  S.timings.workerMs = m.ms;
  S.stats = m.stats;
  S.threadsUsed = !!m.threadsUsed;
  S.total = m.records;
  $('progress').value = 1;
  const rate = m.ms > 0 ? m.bytes / (m.ms / 1000) : 0;
  $('progress-text').textContent = `${fmt(m.records)} records · ${fmtBytes(m.bytes)} in ${(m.ms / 1000).toFixed(2)} s (${fmtBytes(rate)}/s)`;
  if (!m.records) message('No MARC records were found in this file.', 'warn');
  list.update();
  renderStats();
  if (pendingFilter) {
    const f = pendingFilter;
    pendingFilter = null;
    runFilter(f.query, f.diagOnly);
  }
}

function onError(m) {
  S.errors.push(m.message);
  if (m.fatal) {
    S.loading = false;
    $('progress-wrap').hidden = true;
  }
  message(m.message, m.fatal ? 'error' : 'warn');
}

function fmtBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

// ------------------------------------------------------------------
// Virtualized list
// ------------------------------------------------------------------

const list = (() => {
  const box = $('list');
  const spacer = $('list-spacer');
  let rows = []; // pool of row elements
  let raf = 0;
  let scaled = false;
  let spacerPx = 0;

  const count = () => (S.view ? S.view.length : S.total);
  const recAt = (pos) => (S.view ? S.view.indices[pos] : pos);

  function geometry() {
    const n = count();
    const vh = box.clientHeight || 400;
    const total = n * ROW_H;
    scaled = total > MAX_SCROLL_PX;
    spacerPx = scaled ? MAX_SCROLL_PX : total;
    return { n, vh };
  }

  function firstExact(vh, n) {
    if (!scaled) return box.scrollTop / ROW_H;
    const frac = box.scrollTop / Math.max(1, spacerPx - vh);
    return frac * Math.max(0, n - vh / ROW_H);
  }

  function update() {
    const { n } = geometry();
    spacer.style.height = `${spacerPx}px`;
    box.setAttribute('aria-rowcount', String(n));
    $('list-count').textContent = S.view
      ? `${fmt(n)} of ${fmt(S.total)} records match${S.view.done ? '' : ' (searching…)'}` + (S.selected.size ? ` · ${fmt(S.selected.size)} selected` : '')
      : `${fmt(S.total)} records${S.loading ? ' (reading…)' : ''}` + (S.selected.size ? ` · ${fmt(S.selected.size)} selected` : '');
    schedule();
  }

  function schedule() {
    if (!raf) raf = requestAnimationFrame(() => { raf = 0; render(); });
  }

  function row(i) {
    while (rows.length <= i) {
      const r = el('div', { class: 'row', role: 'option' },
        el('span', { class: 'c-num' }), el('span', { class: 'c-id' }), el('span', { class: 'c-title' }),
        el('span', { class: 'c-type' }), el('span', { class: 'c-diag' }));
      r.id = `row-${rows.length}`;
      box.append(r);
      rows.push(r);
    }
    return rows[i];
  }

  function render() {
    const { n, vh } = geometry();
    const fe = firstExact(vh, n);
    const first = Math.max(0, Math.floor(fe));
    const visible = Math.ceil(vh / ROW_H) + 2;
    const last = Math.min(n, first + visible);
    let used = 0;
    let activeRowId = '';
    for (let pos = first; pos < last; pos++, used++) {
      const idx = recAt(pos);
      const r = row(used);
      r.hidden = false;
      const top = scaled ? box.scrollTop + (pos - fe) * ROW_H : pos * ROW_H;
      r.style.transform = `translateY(${top}px)`;
      r.dataset.pos = String(pos);
      r.setAttribute('aria-posinset', String(pos + 1));
      r.setAttribute('aria-setsize', String(n));
      r.setAttribute('aria-selected', S.selected.has(idx) ? 'true' : 'false');
      r.classList.toggle('active', pos === S.active);
      if (pos === S.active) activeRowId = r.id;
      const [cNum, cId, cTitle, cType, cDiag] = r.children;
      cNum.textContent = fmt(idx + 1);
      cId.textContent = S.ids[idx] ?? '';
      const title = S.titles[idx] ?? '';
      cTitle.textContent = title || '—';
      const t = String.fromCharCode(S.types[idx] || 32);
      cType.textContent = t;
      cType.title = LEADER?.recordTypes?.[t] ?? 'Unknown record type';
      const nd = S.ndiag[idx];
      if (nd) {
        const b = cDiag.firstChild && cDiag.firstChild.nodeType === 1 ? cDiag.firstChild : el('span', { class: 'badge' });
        b.textContent = nd > 99 ? '99+' : String(nd);
        b.title = `${nd} diagnostic${nd === 1 ? '' : 's'}`;
        if (cDiag.firstChild !== b) cDiag.replaceChildren(b);
      } else cDiag.replaceChildren();
      r.setAttribute('aria-label', `Record ${idx + 1}: ${title || 'untitled'}${nd ? `, ${nd} diagnostics` : ''}`);
    }
    for (let i = used; i < rows.length; i++) rows[i].hidden = true;
    if (activeRowId) box.setAttribute('aria-activedescendant', activeRowId);
    else box.removeAttribute('aria-activedescendant');
  }

  function scrollToPos(pos) {
    const { n, vh } = geometry();
    if (pos < 0 || pos >= n) return;
    if (!scaled) {
      const top = pos * ROW_H;
      if (top < box.scrollTop) box.scrollTop = top;
      else if (top + ROW_H > box.scrollTop + vh) box.scrollTop = top + ROW_H - vh;
    } else {
      const fe = firstExact(vh, n);
      const rowsVisible = vh / ROW_H;
      if (pos < fe || pos + 1 > fe + rowsVisible) {
        const target = Math.max(0, pos - rowsVisible / 2);
        box.scrollTop = (target / Math.max(1, n - rowsVisible)) * (spacerPx - vh);
      }
    }
    schedule();
  }

  function reset() {
    box.scrollTop = 0;
    update();
  }

  box.addEventListener('scroll', schedule, { passive: true });
  window.addEventListener('resize', schedule);

  return { update, schedule, renderNow: render, scrollToPos, reset, count, recAt };
})();

function setActive(pos, { open = true, extend = false } = {}) {
  const n = list.count();
  if (!n) return;
  pos = Math.max(0, Math.min(n - 1, pos));
  S.active = pos;
  if (extend && S.anchor >= 0) {
    S.selected.clear();
    const [a, b] = S.anchor < pos ? [S.anchor, pos] : [pos, S.anchor];
    for (let p = a; p <= b; p++) S.selected.add(list.recAt(p));
  }
  list.scrollToPos(pos);
  list.update();
  if (open) scheduleShow(list.recAt(pos));
}

let showTimer = 0;
function scheduleShow(idx) {
  clearTimeout(showTimer);
  showTimer = setTimeout(() => showRecord(idx), 60);
}

const listBox = $('list');
listBox.addEventListener('keydown', (e) => {
  const n = list.count();
  if (!n) return;
  const page = Math.max(1, Math.floor(listBox.clientHeight / ROW_H) - 1);
  const cur = S.active < 0 ? 0 : S.active;
  let handled = true;
  switch (e.key) {
    case 'ArrowDown': setActive(cur + 1, { extend: e.shiftKey }); break;
    case 'ArrowUp': setActive(cur - 1, { extend: e.shiftKey }); break;
    case 'PageDown': setActive(cur + page, { extend: e.shiftKey }); break;
    case 'PageUp': setActive(cur - page, { extend: e.shiftKey }); break;
    case 'Home': setActive(0, { extend: e.shiftKey }); break;
    case 'End': setActive(n - 1, { extend: e.shiftKey }); break;
    case 'Enter':
      showRecord(list.recAt(cur)).then(() => $('record').focus());
      break;
    case ' ': {
      const idx = list.recAt(cur);
      if (S.selected.has(idx)) S.selected.delete(idx);
      else S.selected.add(idx);
      S.anchor = cur;
      list.update();
      break;
    }
    case 'a':
      if (e.ctrlKey || e.metaKey) {
        if (list.count() <= 1_000_000) for (let p = 0; p < list.count(); p++) S.selected.add(list.recAt(p));
        list.update();
      } else handled = false;
      break;
    case 'Escape':
      S.selected.clear();
      list.update();
      break;
    default: handled = false;
  }
  if (handled) e.preventDefault();
  if (!e.shiftKey && ['ArrowDown', 'ArrowUp', 'PageDown', 'PageUp', 'Home', 'End'].includes(e.key)) S.anchor = S.active;
});

listBox.addEventListener('click', (e) => {
  const r = e.target.closest('.row');
  if (!r) return;
  const pos = Number(r.dataset.pos);
  const idx = list.recAt(pos);
  if (e.ctrlKey || e.metaKey) {
    if (S.selected.has(idx)) S.selected.delete(idx);
    else S.selected.add(idx);
    S.anchor = pos;
    setActive(pos);
  } else if (e.shiftKey) {
    setActive(pos, { extend: true });
  } else {
    S.anchor = pos;
    setActive(pos);
  }
  listBox.focus({ preventScroll: true });
});

$('jump').addEventListener('change', () => jumpTo($('jump').value));
$('jump').addEventListener('keydown', (e) => {
  if (e.key === 'Enter') {
    e.preventDefault();
    jumpTo($('jump').value);
  }
});

function jumpTo(v) {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > S.total) {
    message(`There is no record ${v}: records are numbered 1 to ${fmt(S.total)}.`, 'warn');
    return;
  }
  message('');
  let pos = n - 1;
  if (S.view) {
    // Position of record n-1 in the filtered view (binary search: ascending).
    const a = S.view.indices;
    let lo = 0, hi = S.view.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (a[mid] < n - 1) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= S.view.length || a[lo] !== n - 1) {
      message(`Record ${fmt(n)} is not in the filtered set; showing it anyway.`, 'warn');
      showRecord(n - 1);
      return;
    }
    pos = lo;
  }
  S.anchor = pos;
  setActive(pos);
  listBox.focus();
}

// ------------------------------------------------------------------
// Filtering
// ------------------------------------------------------------------

let pendingFilter = null;

$('query-form').addEventListener('submit', (e) => {
  e.preventDefault();
  runFilter($('query').value.trim(), $('diag-only').checked);
});
$('diag-only').addEventListener('change', () => runFilter($('query').value.trim(), $('diag-only').checked));
$('query-clear').addEventListener('click', () => {
  $('query').value = '';
  $('diag-only').checked = false;
  runFilter('', false);
});

function setView(view) {
  S.view = view;
  S.active = list.count() ? 0 : -1;
  list.reset();
  if (S.active === 0) scheduleShow(list.recAt(0));
}

function runFilter(query, diagOnly) {
  worker.postMessage({ type: 'cancelFilter' });
  S.filterReq++;
  message('');
  if (!query && !diagOnly) {
    setView(null);
    return;
  }
  if (!query) {
    // The summaries know the diagnostics count: no need to read again.
    const out = [];
    for (let i = 0; i < S.total; i++) if (S.ndiag[i]) out.push(i);
    setView({ indices: Uint32Array.from(out), length: out.length, done: S.done, query: '', diagOnly: true });
    $('progress-text').textContent = `${fmt(out.length)} of ${fmt(S.total)} records have diagnostics`;
    if (!S.done) message('Showing records with diagnostics read so far; filter again when reading finishes for all.');
    return;
  }
  if (!S.done) {
    pendingFilter = { query, diagOnly };
    message('The query runs when the file has been read.');
    return;
  }
  setView({ indices: new Uint32Array(1024), length: 0, done: false, query, diagOnly, req: S.filterReq, t0: performance.now() });
  worker.postMessage({ type: 'filter', reqId: S.filterReq, query, diagOnly });
}

function onFilterBatch(m) {
  const v = S.view;
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
  list.update();
  if (wasEmpty && need) {
    S.active = 0;
    scheduleShow(v.indices[0]);
  }
}

function onFilterProgress(m) {
  const frac = m.size ? m.bytes / m.size : 0;
  $('progress').value = frac;
  $('progress-text').textContent = `${m.reqId && S.view && S.view.req === m.reqId ? 'Searching' : 'Working'}: ${fmt(m.scanned)} records · ${fmtBytes(m.bytes)} of ${fmtBytes(m.size)}`;
}

function onFilterDone(m) {
  const v = S.view;
  if (!v || v.req !== m.reqId) return;
  if (m.error) {
    message(m.error, 'error');
    if (v.length === 0) {
      S.view = null;
      list.reset();
    }
    return;
  }
  v.done = true;
  v.ms = m.ms;
  $('progress').value = 1;
  $('progress-text').textContent = `${fmt(v.length)} of ${fmt(S.total)} records match · ${(m.ms / 1000).toFixed(2)} s`;
  list.update();
  if (!v.length) {
    message('No record matches this query.', 'warn');
    $('record').replaceChildren(el('p', { class: 'muted empty' }, 'No record matches.'));
  }
}

// ------------------------------------------------------------------
// Record view
// ------------------------------------------------------------------

function kindOf(type) {
  if (type === 'z') return 'authority';
  if ('uvxy'.includes(type) && type) return 'holdings';
  return 'bibliographic';
}

function fieldName(tag, kind) {
  if (!FIELDS) return '';
  const byKind = FIELDS[kind] ?? FIELDS.bibliographic;
  if (byKind[tag]) return byKind[tag];
  if (FIELDS.bibliographic[tag] && kind !== 'bibliographic') return FIELDS.bibliographic[tag];
  for (const [p, name] of Object.entries(FIELDS.patterns ?? {})) {
    let ok = true;
    for (let i = 0; i < 3; i++) if (p[i] !== 'X' && p[i] !== tag[i]) ok = false;
    if (ok) return name;
  }
  return '';
}

function subfieldName(tag, code, kind) {
  const s = FIELDS?.subfields;
  if (!s) return '';
  return s[kind]?.[tag]?.[code] ?? s.bibliographic?.[tag]?.[code] ?? s.common?.[code] ?? '';
}

// Show control characters and blanks visibly but as text.
function visible(s) {
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

async function showRecord(idx) {
  if (idx < 0 || idx >= S.total) return;
  const fileId = S.fileId;
  S.shown = idx;
  const m = await request({ type: 'record', index: idx });
  if (fileId !== S.fileId || S.shown !== idx) return;
  if (m.error) {
    $('record').replaceChildren(el('p', { class: 'errors' }, `Record ${idx + 1} could not be shown: ${m.error}`));
    return;
  }
  S.lastRecord = m.view;
  renderRecord(m.view);
}

const VIEWS = [
  ['fields', 'Fields'], ['mrk', 'MRK'], ['xml', 'MARCXML'], ['json', 'MARC-in-JSON'], ['raw', 'Raw ISO 2709'], ['diags', 'Diagnostics'],
];

function renderRecord(v) {
  const pane = $('record');
  const type = v.leader[6] ?? ' ';
  const kind = kindOf(type);
  const title = S.titles[v.index] || '(no title)';
  // The record's own leader/09 (the package converts MARC-8 and sets 'a').
  const l09 = v.format === 'iso2709' && v.raw.length > 9 ? String.fromCharCode(v.raw[9]) : v.leader[9];
  const enc = l09 === 'a' ? 'UTF-8' : l09 === ' ' ? `MARC-8${S.caps?.marc8 ? ' (converted to Unicode)' : ' (not converted: this build has no MARC-8 conversion)'}` : `leader/09 = '${l09}'`;
  const head = el('header', { class: 'rec-head' },
    el('h2', { id: 'record-title' }, title),
    el('div', { class: 'rec-meta' },
      el('span', null, `Record ${fmt(v.index + 1)} of ${fmt(S.total)}`),
      el('span', null, `${LEADER?.recordTypes?.[type] ?? 'Unknown type'} (${kind})`),
      el('span', null, enc),
      el('span', null, `byte offset ${fmt(v.offset)}`),
      el('span', null, `${fmt(v.length)} bytes`)));
  pane.setAttribute('aria-labelledby', 'record-title');
  const tabs = el('div', { class: 'views', role: 'tablist', 'aria-label': 'Record views' });
  const body = el('div', { class: 'view-body', role: 'tabpanel', id: 'record-view', tabindex: '0' });
  for (const [key, label] of VIEWS) {
    const b = el('button', { role: 'tab', 'aria-selected': key === S.recordView ? 'true' : 'false', 'data-view': key, tabindex: key === S.recordView ? '0' : '-1', 'aria-controls': 'record-view' }, label);
    if (key === 'diags') b.append(el('span', { class: v.diagnostics.length ? 'badge count' : 'count muted' }, String(v.diagnostics.length)));
    b.addEventListener('click', () => {
      S.recordView = key;
      renderRecord(v);
      pane.querySelector(`[data-view="${key}"]`)?.focus();
    });
    tabs.append(b);
  }
  tabs.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = VIEWS.findIndex(([k]) => k === S.recordView);
    const j = (i + (e.key === 'ArrowRight' ? 1 : VIEWS.length - 1)) % VIEWS.length;
    S.recordView = VIEWS[j][0];
    renderRecord(v);
    pane.querySelector(`[data-view="${S.recordView}"]`)?.focus();
    e.preventDefault();
  });
  const errs = v.errors.length ? el('p', { class: 'errors' }, v.errors.join(' · ')) : null;
  pane.replaceChildren(head, tabs, errs ?? '', body);
  switch (S.recordView) {
    case 'fields': body.append(fieldsView(v, kind)); break;
    case 'mrk': body.append(textView(v.mrk, `record-${v.index + 1}.mrk`)); break;
    case 'xml': body.append(textView(v.xml || '(this build has no MARCXML writer)', `record-${v.index + 1}.xml`)); break;
    case 'json': body.append(textView(v.json, `record-${v.index + 1}.json`)); break;
    case 'raw': body.append(rawView(v)); break;
    case 'diags': body.append(diagView(v)); break;
    default: break;
  }
}

function textView(text, name) {
  const wrap = el('div');
  const copy = el('button', { class: 'button ghost', type: 'button' }, 'Copy');
  copy.addEventListener('click', () => navigator.clipboard?.writeText(text).then(() => { copy.textContent = 'Copied'; }, () => {}));
  const save = el('button', { class: 'button ghost', type: 'button' }, 'Save');
  save.addEventListener('click', () => download(new Blob([text], { type: 'text/plain;charset=utf-8' }), name));
  wrap.append(el('div', { class: 'view-actions' }, copy, save), el('pre', { class: 'out' }, text));
  return wrap;
}

function positionsTable(value, defs, caption) {
  const t = el('table', { class: 'positions' });
  t.append(el('caption', { class: 'visually-hidden' }, caption));
  t.append(el('thead', null, el('tr', null, el('th', { scope: 'col' }, 'Pos.'), el('th', { scope: 'col' }, 'Value'), el('th', { scope: 'col' }, 'Element'), el('th', { scope: 'col' }, 'Meaning'))));
  const tb = el('tbody');
  for (const d of defs) {
    const [a, b] = d.pos;
    const val = value.slice(a, b + 1);
    let meaning = '';
    let unknown = false;
    if (d.values) {
      meaning = d.values[val] ?? '';
      if (!meaning && val.length === 1) { meaning = 'not a defined value'; unknown = true; }
    }
    tb.append(el('tr', null,
      el('td', null, a === b ? String(a).padStart(2, '0') : `${String(a).padStart(2, '0')}-${String(b).padStart(2, '0')}`),
      el('td', { class: 'pv' }, val.replace(/ /g, '␣') || '(missing)'),
      el('td', null, d.name),
      el('td', { class: unknown ? 'unknown' : '' }, meaning)));
  }
  t.append(tb);
  return t;
}

function fieldsView(v, kind) {
  const wrap = el('div');
  const diagTags = new Set(v.diagnostics.map((d) => d.tag).filter(Boolean));
  const defs = LEADER?.[kind] ?? LEADER?.bibliographic ?? [];
  const t = el('table', { class: 'fields' });
  t.append(el('caption', { class: 'visually-hidden' }, 'Fields of the record'));
  t.append(el('thead', null, el('tr', null,
    el('th', { scope: 'col' }, 'Tag'), el('th', { scope: 'col' }, 'Name'), el('th', { scope: 'col', title: 'Indicators' }, 'Ind'), el('th', { scope: 'col' }, 'Data'))));
  const tb = el('tbody');
  const ldr = el('tr', null, el('td', { class: 'tag' }, 'LDR'), el('td', { class: 'fname' }, 'Leader'), el('td', { class: 'ind' }), el('td', { class: 'data' }, v.leader.replace(/ /g, '␣')));
  tb.append(ldr);
  const ldrDetails = el('tr', null, el('td'), el('td', { colspan: '3' },
    el('details', { class: 'leader', open: true }, el('summary', null, 'Leader positions'), positionsTable(v.leader, defs, 'Leader positions'))));
  tb.append(ldrDetails);
  for (const f of v.fields) {
    const name = fieldName(f.tag, kind);
    const tr = el('tr', { class: diagTags.has(f.tag) ? 'has-diag' : '' },
      el('td', { class: 'tag', title: name }, f.tag),
      el('td', { class: 'fname' }, name || (f.tag[0] === '9' ? 'Local field' : '')));
    if (f.control) {
      tr.append(el('td', { class: 'ind' }), el('td', { class: 'data' }, visible(f.value).replace(/ /g, '␣')));
      tb.append(tr);
      if (f.tag === '008' && kind === 'bibliographic' && LEADER?.bibliographic008) {
        tb.append(el('tr', null, el('td'), el('td', { colspan: '3' },
          el('details', { class: 'leader' }, el('summary', null, '008 positions (all materials)'), positionsTable(f.value, LEADER.bibliographic008, '008 positions')))));
      }
      continue;
    }
    const ind = (c) => (c === ' ' ? el('span', { class: 'blank', title: 'blank' }, '␣') : document.createTextNode(visible(c)));
    tr.append(el('td', { class: 'ind', title: `Indicators: '${f.ind1}' '${f.ind2}'` }, ind(f.ind1), ind(f.ind2)));
    const data = el('td', { class: 'data' });
    for (const [code, value] of f.subfields) {
      const sf = el('span', { class: 'sf' });
      if (code !== '') sf.append(el('span', { class: 'sf-code', title: subfieldName(f.tag, code, kind) || `subfield ${code}` }, `$${visible(code)}`));
      sf.append(document.createTextNode(visible(value)));
      data.append(sf, ' ');
    }
    tr.append(data);
    tb.append(tr);
  }
  t.append(tb);
  wrap.append(t);
  return wrap;
}

function hexDump(bytes, base, mark = -1) {
  // Lines of 16 bytes: offset, hex, text; the byte at absolute offset
  // `mark` is highlighted. Built from text nodes and spans only.
  const pre = el('pre', { class: 'out hex' });
  for (let i = 0; i < bytes.length; i += 16) {
    const line = bytes.subarray(i, i + 16);
    pre.append(el('span', { class: 'off' }, (base + i).toString(16).padStart(8, '0') + '  '));
    let hex = '';
    let text = '';
    const flushHex = () => { if (hex) { pre.append(hex); hex = ''; } };
    for (let j = 0; j < 16; j++) {
      if (j < line.length) {
        const h = line[j].toString(16).padStart(2, '0');
        if (base + i + j === mark) {
          flushHex();
          pre.append(el('span', { class: 'hl', title: `byte ${fmt(mark)}` }, h));
          hex += ' ';
        } else hex += h + ' ';
        const c = line[j];
        text += c === 0x1d ? '§' : c === 0x1e ? '¶' : c === 0x1f ? '‡' : c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
      } else hex += '   ';
      if (j === 7) hex += ' ';
    }
    flushHex();
    pre.append(' ' + text + '\n');
  }
  return pre;
}

function rawView(v) {
  const wrap = el('div');
  // Escaped ISO 2709: Latin-1 view of the bytes with the structural
  // characters made visible.
  const pre = el('pre', { class: 'out raw' });
  let s = '';
  const mark = (text, title) => {
    if (s) { pre.append(s); s = ''; }
    pre.append(el('span', { class: 'ctl', title }, text));
  };
  for (const c of v.raw) {
    if (c === 0x1d) { mark('§', 'record terminator 0x1D'); s += '\n'; }
    else if (c === 0x1e) { mark('¶', 'field terminator 0x1E'); s += '\n'; }
    else if (c === 0x1f) mark('‡', 'subfield delimiter 0x1F');
    else if (c < 0x20 || c >= 0x7f) s += `\\x${c.toString(16).padStart(2, '0')}`;
    else s += String.fromCharCode(c);
  }
  if (s) pre.append(s);
  const save = el('button', { class: 'button ghost', type: 'button' }, 'Save bytes');
  save.addEventListener('click', () => download(new Blob([v.raw], { type: 'application/marc' }), `record-${v.index + 1}.mrc`));
  wrap.append(el('div', { class: 'view-actions' }, save),
    el('p', { class: 'muted' }, v.format === 'iso2709'
      ? `The bytes as read from the file (offset ${fmt(v.offset)}): ‡ subfield delimiter (0x1F), ¶ field terminator (0x1E), § record terminator (0x1D), \\xNN other bytes (non-ASCII: MARC-8 or UTF-8 sequences).`
      : 'The record as ISO 2709 bytes built from the input.'),
    pre,
    el('h3', null, 'Hex'),
    hexDump(v.raw.length > 65536 ? v.raw.subarray(0, 65536) : v.raw, v.format === 'iso2709' ? v.offset : 0));
  return wrap;
}

function diagView(v) {
  if (!v.diagnostics.length) return el('p', { class: 'muted' }, 'No diagnostics: the record was read without problems.');
  const ul = el('ul', { class: 'diag-list' });
  for (const d of v.diagnostics) {
    const li = el('li', { class: 'diag' },
      el('div', null, el('span', { class: 'code' }, d.code), ' ', d.message),
      el('div', { class: 'where' }, `record ${fmt(d.record + 1)} · byte offset ${fmt(d.offset)}${d.tag ? ` · field ${d.tag}` : ''}`));
    const hex = el('div', null, el('span', { class: 'muted' }, 'Reading bytes…'));
    li.append(hex);
    ul.append(li);
    if (S.file) {
      const from = Math.max(0, Math.floor(d.offset / 16) * 16 - 32);
      const to = Math.min(S.file.size, from + 96);
      S.file.slice(from, to).arrayBuffer().then((b) => {
        hex.replaceChildren(hexDump(new Uint8Array(b), from, d.offset));
      }, () => hex.replaceChildren('(bytes unavailable)'));
    }
  }
  return ul;
}

// ------------------------------------------------------------------
// Export
// ------------------------------------------------------------------

$('export-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!S.total) return;
  const format = $('export-format').value;
  const scope = $('export-scope').value;
  let indices = null;
  if (scope === 'selected') {
    if (!S.selected.size) {
      message('No records are selected: use Space, Ctrl+click or Shift+click in the list.', 'warn');
      return;
    }
    indices = Uint32Array.from([...S.selected].sort((a, b) => a - b));
  } else if (S.view) {
    if (!S.view.done) {
      message('The search is still running; export when it finishes.', 'warn');
      return;
    }
    indices = S.view.indices.slice(0, S.view.length);
  } else if (!S.done) {
    message('The file is still being read; export when it finishes.', 'warn');
    return;
  }
  const button = $('export-button');
  button.disabled = true;
  message(`Exporting ${indices ? fmt(indices.length) : fmt(S.total)} records…`);
  try {
    const r = await request({ type: 'export', format, indices });
    if (r.error) {
      message(`Export failed: ${r.error}`, 'error');
      return;
    }
    const base = (S.file?.name || 'records').replace(/\.[^.]+$/, '');
    const ext = { iso2709: 'mrc', marcxml: 'xml', json: 'json', mrk: 'mrk' }[format];
    download(r.blob, `${base}-${scope === 'selected' ? 'selected' : S.view ? 'filtered' : 'all'}.${ext}`);
    message(`Exported ${fmt(r.count)} records${r.failed ? `; ${fmt(r.failed)} could not be written (${r.firstError})` : ''}.`, r.failed ? 'warn' : '');
  } finally {
    button.disabled = false;
  }
});

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// ------------------------------------------------------------------
// Statistics (inline SVG, no library)
// ------------------------------------------------------------------

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs ?? {})) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function barChart(items, { title, warn = false, labelWidth = 200, width = 560 } = {}) {
  const max = Math.max(1, ...items.map((i) => i.value));
  const barH = 18, gap = 6, valueW = 70;
  const maxChars = Math.floor((labelWidth - 10) / 6.6);
  const h = items.length * (barH + gap) + 4;
  const s = svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${Math.max(h, 24)}`, width, height: Math.max(h, 24), role: 'img', 'aria-label': title });
  s.append(svg('title', {}, title));
  const plot = width - labelWidth - valueW;
  items.forEach((it, i) => {
    const y = i * (barH + gap) + 2;
    const w = Math.max(1, (it.value / max) * plot);
    const label = it.label.length > maxChars ? it.label.slice(0, maxChars - 1) + '…' : it.label;
    const t = svg('text', { x: labelWidth - 6, y: y + barH - 5, 'text-anchor': 'end' }, label);
    if (it.hint) t.append(svg('title', {}, it.hint));
    s.append(t);
    const r = svg('rect', { class: warn ? 'bar warn' : 'bar', x: labelWidth, y, width: w, height: barH, rx: 3 });
    r.append(svg('title', {}, `${it.hint ?? it.label}: ${fmt(it.value)}`));
    s.append(r);
    s.append(svg('text', { class: 'muted', x: labelWidth + w + 6, y: y + barH - 5 }, fmt(it.value)));
  });
  s.append(svg('line', { class: 'axis', x1: labelWidth, x2: labelWidth, y1: 0, y2: h }));
  return s;
}

function card(title, content, wide = false) {
  return el('section', { class: 'card' + (wide ? ' wide' : ''), 'aria-label': title }, el('h3', null, title), content);
}

function renderStats() {
  const st = S.stats;
  const box = $('stats');
  if (!st) return;
  const t = S.timings;
  const n = S.total;
  const dl = el('dl', { class: 'kv' });
  const kv = (k, v) => dl.append(el('dt', null, k), el('dd', null, v));
  kv('File', `${S.file?.name ?? ''} (${fmtBytes(S.file?.size ?? 0)}, ${FORMAT_LABEL[S.format] ?? S.format})`);
  kv('Records', fmt(n));
  kv('Fields', `${fmt(st.fields)} (${n ? (st.fields / n).toFixed(1) : 0} per record)`);
  kv('Records with diagnostics', `${fmt(st.recordsWithDiags)} (${fmt(st.diagnostics)} diagnostics)`);
  kv('First record shown after', `${t.firstRowMs.toFixed(0)} ms`);
  kv('Read in', `${(t.totalMs / 1000).toFixed(2)} s (${fmtBytes((S.file?.size ?? 0) / Math.max(0.001, t.totalMs / 1000))}/s, ${fmt(Math.round(n / Math.max(0.001, t.totalMs / 1000)))} records/s)`);
  kv('Engine', `marcato ${S.caps?.version ?? ''}, ${S.threadsUsed ? 'threaded build (worker threads)' : 'single-threaded build'}${S.caps?.crossOriginIsolated ? ', crossOriginIsolated' : ', not crossOriginIsolated'}`);
  const RT = LEADER?.recordTypes ?? {};
  const types = Object.entries(st.types).sort((a, b) => b[1] - a[1]).map(([k, v]) => ({ label: `${k === ' ' ? '␣' : k} ${RT[k] ?? 'unknown'}`, value: v }));
  const ENC = { ' ': 'MARC-8 (␣)', a: 'UTF-8 (a)' };
  const encs = Object.entries(st.encodings).sort((a, b) => b[1] - a[1]).map(([k, v]) => ({ label: ENC[k] ?? `invalid '${k}'`, value: v }));
  const fname = (tag) => fieldName(tag, 'bibliographic');
  const tags = Object.entries(st.tags).sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, v]) => ({ label: `${k} ${fname(k)}`, value: v, hint: `${k} ${fname(k)}: in ${fmt(st.tagRecords[k] ?? 0)} records` }));
  const diags = Object.entries(st.diagCodes).sort((a, b) => b[1] - a[1]).map(([k, v]) => ({ label: k, value: v }));
  const EDGES = ['< 500 B', '500 B–1 KB', '1–2 KB', '2–4 KB', '4–8 KB', '8–16 KB', '16–32 KB', '≥ 32 KB'];
  const sizes = st.sizes.map((v, i) => ({ label: EDGES[i], value: v }));
  box.replaceChildren(
    card('Summary', dl),
    card('Record types (leader/06)', barChart(types, { title: 'Record types' })),
    card('Character encodings (leader/09)', barChart(encs, { title: 'Encodings' })),
    card('Diagnostics by code', diags.length ? barChart(diags, { title: 'Diagnostics', warn: true, labelWidth: 220 }) : el('p', { class: 'muted' }, 'No diagnostics.')),
    card('Record sizes', barChart(sizes, { title: 'Record sizes' })),
    card('Most frequent tags (fields)', barChart(tags, { title: 'Tag frequencies', labelWidth: 380, width: 900 }), true),
  );
}

// ------------------------------------------------------------------
// Tabs, drag and drop, start-up
// ------------------------------------------------------------------

function selectTab(which) {
  const rec = which === 'records';
  $('tab-records').setAttribute('aria-selected', String(rec));
  $('tab-stats').setAttribute('aria-selected', String(!rec));
  $('tab-records').tabIndex = rec ? 0 : -1;
  $('tab-stats').tabIndex = rec ? -1 : 0;
  $('panel-records').hidden = !rec;
  $('panel-stats').hidden = rec;
  if (rec) list.update();
}
$('tab-records').addEventListener('click', () => selectTab('records'));
$('tab-stats').addEventListener('click', () => selectTab('stats'));
document.querySelector('.tabs').addEventListener('keydown', (e) => {
  if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
    const toStats = $('tab-records').getAttribute('aria-selected') === 'true';
    selectTab(toStats ? 'stats' : 'records');
    (toStats ? $('tab-stats') : $('tab-records')).focus();
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
  if (f) openFile(f);
});

async function loadData() {
  const [f, l] = await Promise.all([
    fetch(new URL('./data/fields.json', import.meta.url)).then((r) => r.json()),
    fetch(new URL('./data/leader.json', import.meta.url)).then((r) => r.json()),
  ]);
  FIELDS = f;
  LEADER = l;
}

loadData().catch((e) => message(`Field names could not be loaded: ${e.message}`, 'warn'));
worker.postMessage({ type: 'init', threads: wantThreads && self.crossOriginIsolated });
