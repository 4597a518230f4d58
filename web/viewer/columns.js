// The columns view: the user types MARCspecs (one an input, added and
// removed), sees a table of the open file's records a page at a time (the
// worker computes each page: worker-columns.js) and exports the whole
// table as CSV, the bytes `marcato select -t csv` writes for those specs.
// Values are shown as text nodes (dom.js), never as markup.
import { $, download, el, fmt, message, progress } from './dom.js';
import { MSG } from './protocol.js';
import { on, request } from './channel.js';
import { doc } from './state.js';
import { onScanProgress } from './search.js';

const PAGE = 100; // rows a page
const JOIN = '|'; // as the worker joins a spec's values

/** What the view shows (read by nothing else; tests read the table). */
export const columns = { specs: [], start: 0, rows: [], total: 0, req: 0, busy: false };

function specInput(value) {
  const input = el('input', { type: 'text', class: 'spec', spellcheck: 'false', 'aria-label': 'MARCspec', value });
  const remove = el('button', { type: 'button', class: 'button ghost', title: 'Remove this column', 'aria-label': 'Remove this column' }, '×');
  const item = el('li', null, input, remove);
  remove.addEventListener('click', () => {
    item.remove();
    if (!$('column-specs').children.length) addSpec('');
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      show(0);
    }
  });
  return item;
}

function addSpec(value) {
  const item = specInput(value);
  $('column-specs').append(item);
  return item.querySelector('input');
}

// The specs typed, empty inputs left out.
function typed() {
  return [...$('column-specs').querySelectorAll('input')].map((i) => i.value.trim()).filter(Boolean);
}

// Point at the input of a spec that did not compile.
function blame(r) {
  const inputs = [...$('column-specs').querySelectorAll('input')].filter((i) => i.value.trim());
  for (const i of inputs) i.removeAttribute('aria-invalid');
  if (r.specIndex >= 0 && inputs[r.specIndex]) {
    inputs[r.specIndex].setAttribute('aria-invalid', 'true');
    inputs[r.specIndex].focus();
  }
  message(r.error, 'error');
}

function render() {
  const head = el('tr', null, el('th', { scope: 'col' }, 'record'),
    ...columns.specs.map((s) => el('th', { scope: 'col' }, s)));
  const body = columns.rows.map((r) => el('tr', null, el('td', { class: 'num' }, String(r.index + 1)),
    ...r.cells.map((values) => el('td', null, values.join(JOIN)))));
  $('columns-table').replaceChildren(el('thead', null, head), el('tbody', null, ...body));
  const last = columns.start + columns.rows.length;
  $('columns-range').textContent = columns.rows.length
    ? `records ${fmt(columns.start + 1)}–${fmt(last)} of ${fmt(columns.total)}` : 'no records';
  $('columns-prev').disabled = columns.start === 0;
  $('columns-next').disabled = last >= columns.total;
}

async function show(start) {
  const specs = typed();
  if (!specs.length || !doc.total) return;
  const req = ++columns.req;
  columns.busy = true;
  try {
    const r = await request(MSG.COLUMNS, { specs, start, limit: PAGE });
    if (req !== columns.req) return; // a newer request answers
    if (r.error) {
      blame(r);
      return;
    }
    blame({ specIndex: -1, error: '' });
    Object.assign(columns, { specs, start, rows: r.rows, total: r.total });
    render();
  } finally {
    if (req === columns.req) columns.busy = false;
  }
}

async function exportCsv() {
  const specs = typed();
  if (!specs.length || !doc.total) return;
  if (!doc.done) {
    message('The file is still being read; export when it finishes.', 'warn');
    return;
  }
  const button = $('columns-export');
  button.disabled = true;
  message(`Computing ${specs.length} columns for ${fmt(doc.total)} records…`);
  try {
    const r = await request(MSG.COLUMNS_CSV, { specs });
    if (r.error) {
      blame(r);
      return;
    }
    const base = (doc.file?.name || 'records').replace(/\.[^.]+$/, '');
    download(r.blob, `${base}-columns.csv`);
    progress(1, `${fmt(r.count)} rows in ${(r.ms / 1000).toFixed(1)} s`);
    message(`Exported ${fmt(r.count)} rows of ${specs.length} columns.`);
  } finally {
    button.disabled = false;
  }
}

/** Forget the table (a new file was opened); the specs stay. */
export function resetColumns() {
  columns.req++;
  Object.assign(columns, { start: 0, rows: [], total: 0, busy: false });
  $('columns-table').replaceChildren();
  $('columns-range').textContent = '';
}

/** Draw the first page when the tab is shown and nothing is drawn yet. */
export function showColumns() {
  if (!columns.rows.length) show(0);
}

on(MSG.COLUMNS_PROGRESS, onScanProgress);
$('columns-form').addEventListener('submit', (e) => {
  e.preventDefault();
  show(0);
});
$('columns-add').addEventListener('click', () => addSpec('').focus());
$('columns-prev').addEventListener('click', () => show(Math.max(0, columns.start - PAGE)));
$('columns-next').addEventListener('click', () => show(columns.start + PAGE));
$('columns-export').addEventListener('click', exportCsv);
for (const s of ['001', '245$a', '650$a']) addSpec(s);
