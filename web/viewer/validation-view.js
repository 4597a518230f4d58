// The statistics tab's validation card: every record checked against the
// MARC 21 schema of its type (the worker runs the package's validation, as
// `marcato validate --summary` does), the report a cataloger acts on
// (problems by rule and by tag, the most frequent problems with example
// records), a button per problem that shows its records in the list, and
// the records with problems as a download of their bytes as read
// (`marcato validate --reject`). Text only, never markup.
import { $, download, el, fmt, fmtBytes, message, progress } from './dom.js';
import { MSG } from './protocol.js';
import { on, post, request } from './channel.js';
import { cursor, doc, filter, recordAt, rowCount } from './state.js';
import { reset } from './list.js';
import { scheduleShow } from './record-view.js';

const TOP = 25;
let report = null; // {fileId, summary, ms} of the last check
// The last report, read-only, for the end-to-end tests (as window.__viewer).
globalThis.__viewerValidation = () => (report ? structuredClone(report.summary) : null);

on(MSG.VALIDATE_PROGRESS, (m) => {
  progress(m.size ? m.bytes / m.size : 0, `Validating: ${fmt(m.scanned)} records · ${fmtBytes(m.bytes)} of ${fmtBytes(m.size)}`);
});

function table(caption, head, rows) {
  const t = el('table', { class: 'report' });
  t.append(el('caption', { class: 'visually-hidden' }, caption));
  t.append(el('thead', null, el('tr', null, ...head.map((h) => el('th', { scope: 'col' }, h)))));
  const tb = el('tbody');
  for (const r of rows) tb.append(el('tr', null, ...r.map((c) => (c instanceof Node ? el('td', null, c) : el('td', null, String(c))))));
  t.append(tb);
  return t;
}

/** Show the records with problem `p` (a report row) in the list. */
async function showProblem(p) {
  const m = await request(MSG.PROBLEM_RECORDS, { key: p.key });
  if (m.error) {
    message(m.error, 'warn');
    return;
  }
  post(MSG.CANCEL_FILTER);
  filter.view = { indices: m.indices, length: m.indices.length, done: true, query: `${p.rule} ${p.where}`, diagOnly: false, req: ++filter.req, problem: p.key };
  cursor.active = rowCount() ? 0 : -1;
  $('query').value = '';
  reset();
  if (cursor.active === 0) scheduleShow(recordAt(0));
  $('tab-records').click();
  message(`Showing the ${fmt(m.indices.length)} records with ${p.rule} at ${p.where}${m.complete ? '' : ' (the first ones: the report keeps a bounded number)'}. Clear the search to see all records.`);
}

async function exportRejected(button) {
  button.disabled = true;
  const m = await request(MSG.REJECTED, {});
  button.disabled = false;
  if (m.error) {
    message(m.error, 'error');
    return;
  }
  const base = (doc.file?.name || 'records').replace(/\.[^.]*$/, '');
  download(m.blob, `${base}-rejected.mrc`);
  progress(1, `${fmt(m.count)} records with problems exported (${fmtBytes(m.blob.size)})`);
}

function renderReport(box) {
  const s = report.summary;
  const out = [];
  out.push(el('p', { id: 'validation-total' }, `${fmt(s.records)} records, ${fmt(s.with_problems)} with problems (checked in ${(report.ms / 1000).toFixed(2)} s).`));
  out.push(el('p', { class: 'muted' }, 'Schemas: ' + Object.entries(s.schemas).map(([k, v]) => `${k} ${fmt(v)} records`).join('; ') +
    '. Partial rule packs leave fields out: those are not reported as undefined.'));
  const rules = Object.entries(s.rules).sort((a, b) => b[1].problems - a[1].problems);
  out.push(el('h4', null, 'Problems by rule'), table('Problems by rule', ['rule', 'problems', 'records'],
    rules.map(([k, v]) => [k, fmt(v.problems), fmt(v.records)])));
  out.push(el('h4', null, 'Problems by tag (first 20)'), table('Problems by tag', ['tag', 'problems'],
    s.tags.slice(0, 20).map(([t, n]) => [t, fmt(n)])));
  out.push(el('h4', null, `Most frequent problems (first ${TOP})`));
  const rows = s.problems.map((p, i) => {
    const show = el('button', { class: 'button ghost', type: 'button', 'data-problem': String(i) }, 'Show records');
    show.addEventListener('click', () => showProblem(p));
    return [p.rule, p.where, p.label ?? '', fmt(p.count), fmt(p.records), p.examples.join(', '), show];
  });
  const head = ['rule', 'where', 'definition', 'problems', 'records', 'examples', ''];
  out.push(table('Most frequent problems', head, rows.slice(0, TOP)));
  if (rows.length > TOP) {
    out.push(el('details', { id: 'validation-more' }, el('summary', null, `All ${fmt(rows.length)} problems`),
      table('Every problem', head, rows.slice(TOP))));
  }
  const reject = el('button', { class: 'button', type: 'button', id: 'validation-reject' }, 'Export records with problems');
  reject.addEventListener('click', () => exportRejected(reject));
  out.push(el('div', { class: 'view-actions' }, reject,
    el('span', { class: 'muted' }, ' ISO 2709, each record\'s bytes as read (as marcato validate --reject writes them).')));
  box.replaceChildren(...out);
}

async function runCheck(box, button) {
  button.disabled = true;
  box.replaceChildren(el('p', { class: 'muted' }, 'Checking every record…'));
  const fileId = doc.fileId;
  const m = await request(MSG.VALIDATE, {});
  button.disabled = false;
  if (fileId !== doc.fileId) return;
  if (m.error) {
    box.replaceChildren(el('p', { class: 'errors' }, m.error));
    return;
  }
  report = { fileId, summary: m.summary, ms: m.ms };
  progress(1, `${fmt(m.summary.records)} records validated in ${(m.ms / 1000).toFixed(2)} s`);
  renderReport(box);
}

/** The validation card of the statistics tab. */
export function validationCard() {
  const box = el('div', { id: 'validation-report' });
  const button = el('button', { class: 'button', type: 'button', id: 'validation-run' }, report?.fileId === doc.fileId ? 'Check again' : 'Check every record');
  button.addEventListener('click', () => runCheck(box, button));
  if (report?.fileId === doc.fileId) renderReport(box);
  else box.append(el('p', { class: 'muted' }, 'Checks each record against the MARC 21 schema of its type (bibliographic, authority, holdings) as marcato validate does: fields, indicators, subfields, fixed-field positions and codes.'));
  return el('section', { class: 'card wide', 'aria-label': 'Validation' }, el('h3', null, 'Validation against MARC 21'),
    el('div', { class: 'view-actions' }, button), box);
}
