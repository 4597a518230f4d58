// The virtualized record list: a few dozen row elements for any number of
// records (scrolling maps rows proportionally past MAX_SCROLL_PX), the
// active row and the selection, keyboard and mouse, and "go to record N".
import { $, el, fmt, message, plural } from './dom.js';
import { recordTypeName } from './labels.js';
import { cursor, doc, edits, filter, recordAt, rowCount } from './state.js';
import { scheduleShow, showRecord } from './record-view.js';

const ROW_H = 28;
const MAX_SCROLL_PX = 8_000_000; // past this the scrollbar maps rows proportionally

const box = $('list');
const spacer = $('list-spacer');
const rows = [];
let raf = 0;
let scaled = false;
let spacerPx = 0;

function geometry() {
  const n = rowCount();
  const vh = box.clientHeight || 400;
  const total = n * ROW_H;
  scaled = total > MAX_SCROLL_PX;
  spacerPx = scaled ? MAX_SCROLL_PX : total;
  return { n, vh };
}

// The (fractional) list position at the top of the box.
function firstExact(vh, n) {
  if (!scaled) return box.scrollTop / ROW_H;
  const frac = box.scrollTop / Math.max(1, spacerPx - vh);
  return frac * Math.max(0, n - vh / ROW_H);
}

/** Sizes and the count line changed: draw on the next frame. */
export function update() {
  const { n } = geometry();
  spacer.style.height = `${spacerPx}px`;
  const sel = cursor.selected.size ? ` · ${fmt(cursor.selected.size)} selected` : '';
  const v = filter.view;
  const changed = edits.indices.size ? ` · ${plural(edits.indices.size, 'record')} edited` : '';
  // Announced only when settled: while a file is read or searched the
  // count changes ten times a second, and a screen reader would say each.
  $('list-count').setAttribute('aria-live', doc.loading || (v && !v.done) ? 'off' : 'polite');
  $('list-count').textContent = v
    ? `${fmt(n)} of ${plural(doc.total, 'record')} match${v.done ? '' : ' (searching…)'}${sel}${changed}`
    : `${plural(doc.total, 'record')}${doc.loading ? ' (reading…)' : ''}${sel}${changed}`;
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

/** Draw the visible rows now. */
export function render() {
  const { n, vh } = geometry();
  const fe = firstExact(vh, n);
  const first = Math.max(0, Math.floor(fe));
  const last = Math.min(n, first + Math.ceil(vh / ROW_H) + 2);
  let used = 0;
  let activeRowId = '';
  for (let pos = first; pos < last; pos++, used++) {
    const idx = recordAt(pos);
    const r = row(used);
    r.hidden = false;
    const top = scaled ? box.scrollTop + (pos - fe) * ROW_H : pos * ROW_H;
    r.style.transform = `translateY(${top}px)`;
    r.dataset.pos = String(pos);
    r.setAttribute('aria-posinset', String(pos + 1));
    r.setAttribute('aria-setsize', String(n));
    r.setAttribute('aria-selected', cursor.selected.has(idx) ? 'true' : 'false');
    r.classList.toggle('active', pos === cursor.active);
    const edited = edits.indices.has(idx);
    r.classList.toggle('modified', edited);
    if (pos === cursor.active) activeRowId = r.id;
    const [cNum, cId, cTitle, cType, cDiag] = r.children;
    cNum.textContent = fmt(idx + 1);
    cId.textContent = doc.ids[idx] ?? '';
    const title = doc.titles[idx] ?? '';
    cTitle.textContent = title || '—';
    const t = String.fromCharCode(doc.types[idx] || 32);
    cType.textContent = t;
    cType.title = recordTypeName(t) || 'Unknown record type';
    const nd = doc.ndiag[idx];
    if (nd) {
      const b = cDiag.firstChild && cDiag.firstChild.nodeType === 1 ? cDiag.firstChild : el('span', { class: 'badge' });
      b.textContent = nd > 99 ? '99+' : String(nd);
      b.title = `${nd} diagnostic${nd === 1 ? '' : 's'}`;
      if (cDiag.firstChild !== b) cDiag.replaceChildren(b);
    } else cDiag.replaceChildren();
    // The option's name is its text (number, 001, title, type, count);
    // the title of the badge and the marker say the rest.
    r.title = edited ? 'modified (not yet exported)' : '';
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

/** Back to the top (a new file, a new search). */
export function reset() {
  box.scrollTop = 0;
  update();
}

/** Make list position `pos` active (scrolled into view, its record shown
 * unless `open` is false); `extend` selects from the anchor to it. */
export function setActive(pos, { open = true, extend = false } = {}) {
  const n = rowCount();
  if (!n) return;
  pos = Math.max(0, Math.min(n - 1, pos));
  cursor.active = pos;
  if (extend && cursor.anchor >= 0) {
    cursor.selected.clear();
    const [a, b] = cursor.anchor < pos ? [cursor.anchor, pos] : [pos, cursor.anchor];
    for (let p = a; p <= b; p++) cursor.selected.add(recordAt(p));
  }
  scrollToPos(pos);
  update();
  if (open) scheduleShow(recordAt(pos));
}

function toggle(idx) {
  if (cursor.selected.has(idx)) cursor.selected.delete(idx);
  else cursor.selected.add(idx);
}

const MOVES = new Set(['ArrowDown', 'ArrowUp', 'PageDown', 'PageUp', 'Home', 'End']);

box.addEventListener('keydown', (e) => {
  const n = rowCount();
  if (!n) return;
  const page = Math.max(1, Math.floor(box.clientHeight / ROW_H) - 1);
  const cur = cursor.active < 0 ? 0 : cursor.active;
  const extend = e.shiftKey;
  let handled = true;
  switch (e.key) {
    case 'ArrowDown': setActive(cur + 1, { extend }); break;
    case 'ArrowUp': setActive(cur - 1, { extend }); break;
    case 'PageDown': setActive(cur + page, { extend }); break;
    case 'PageUp': setActive(cur - page, { extend }); break;
    case 'Home': setActive(0, { extend }); break;
    case 'End': setActive(n - 1, { extend }); break;
    case 'Enter':
      showRecord(recordAt(cur)).then(() => $('record').focus());
      break;
    case ' ':
      toggle(recordAt(cur));
      cursor.anchor = cur;
      update();
      break;
    case 'a':
      if (e.ctrlKey || e.metaKey) {
        if (n <= 1_000_000) for (let p = 0; p < n; p++) cursor.selected.add(recordAt(p));
        update();
      } else handled = false;
      break;
    case 'Escape':
      cursor.selected.clear();
      update();
      break;
    default: handled = false;
  }
  if (handled) e.preventDefault();
  if (!e.shiftKey && MOVES.has(e.key)) cursor.anchor = cursor.active;
});

box.addEventListener('click', (e) => {
  const r = e.target.closest('.row');
  if (!r) return;
  const pos = Number(r.dataset.pos);
  if (e.ctrlKey || e.metaKey) {
    toggle(recordAt(pos));
    cursor.anchor = pos;
    setActive(pos);
  } else if (e.shiftKey) {
    setActive(pos, { extend: true });
  } else {
    cursor.anchor = pos;
    setActive(pos);
  }
  box.focus({ preventScroll: true });
});

box.addEventListener('scroll', schedule, { passive: true });
window.addEventListener('resize', schedule);

// Go to record N (numbered from 1), in the search result when there is one.
export function jumpTo(v, keepMessage = false) {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > doc.total) {
    message(`There is no record ${v}: records are numbered 1 to ${fmt(doc.total)}.`, 'warn');
    return;
  }
  if (!keepMessage) message('');
  let pos = n - 1;
  const view = filter.view;
  if (view) {
    // Position of record n-1 in the search result (ascending: binary search).
    const a = view.indices;
    let lo = 0, hi = view.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (a[mid] < n - 1) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= view.length || a[lo] !== n - 1) {
      message(`Record ${fmt(n)} is not in the filtered set; showing it anyway.`, 'warn');
      showRecord(n - 1);
      return;
    }
    pos = lo;
  }
  cursor.anchor = pos;
  setActive(pos);
  box.focus();
}

$('jump').addEventListener('change', () => jumpTo($('jump').value));
$('jump-form').addEventListener('submit', (e) => e.preventDefault());
$('jump').addEventListener('keydown', (e) => {
  if (e.key === 'Enter') {
    e.preventDefault();
    jumpTo($('jump').value);
  }
});
