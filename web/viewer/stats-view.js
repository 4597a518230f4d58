// Statistics of the file read: a summary and bar charts (inline SVG, no
// library) of record types, encodings, diagnostics, record sizes and tags.
import { $, el, fmt, fmtBytes } from './dom.js';
import { encodingName, fieldName, formatLabel, recordTypeName, SIZE_CLASSES } from './labels.js';
import { doc, engine } from './state.js';
import { pickable } from './stats-filter.js';
import { validationCard } from './validation-view.js';


const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs ?? {})) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function barChart(items, { title, warn = false, labelWidth = 200, width = 560, pick = null } = {}) {
  const max = Math.max(1, ...items.map((i) => i.value));
  const barH = 18, gap = 6, valueW = 70;
  const maxChars = Math.floor((labelWidth - 10) / 6.6);
  const h = items.length * (barH + gap) + 4;
  const s = svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${Math.max(h, 24)}`, width, height: Math.max(h, 24), role: pick ? 'group' : 'img', 'aria-label': title });
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
    if (pick && it.key !== undefined) pickable(s, [t, r, s.lastChild], pick, it);
  });
  s.append(svg('line', { class: 'axis', x1: labelWidth, x2: labelWidth, y1: 0, y2: h }));
  return s;
}

function card(title, content, wide = false) {
  return el('section', { class: 'card' + (wide ? ' wide' : ''), 'aria-label': title }, el('h3', null, title), content);
}

/** Draw the statistics of the file read (doc.stats). */
export function renderStats() {
  const st = doc.stats;
  if (!st) return;
  const t = doc.timings;
  const n = doc.total;
  const size = doc.file?.size ?? 0;
  const secs = Math.max(0.001, t.totalMs / 1000);
  const caps = engine.caps;
  const dl = el('dl', { class: 'kv' });
  const kv = (k, v) => dl.append(el('dt', null, k), el('dd', null, v));
  kv('File', `${doc.file?.name ?? ''} (${fmtBytes(size)}, ${formatLabel(doc.format)})`);
  kv('Records', fmt(n));
  kv('Fields', `${fmt(st.fields)} (${n ? (st.fields / n).toFixed(1) : 0} per record)`);
  kv('Records with diagnostics', `${fmt(st.recordsWithDiags)} (${fmt(st.diagnostics)} diagnostics)`);
  kv('First record shown after', `${t.firstRowMs.toFixed(0)} ms`);
  kv('Read in', `${(t.totalMs / 1000).toFixed(2)} s (${fmtBytes(size / secs)}/s, ${fmt(Math.round(n / secs))} records/s)`);
  kv('Engine', `marcato ${caps?.version ?? ''}, ${doc.threadsUsed ? 'threaded build (worker threads)' : 'single-threaded build'}${caps?.crossOriginIsolated ? ', crossOriginIsolated' : ', not crossOriginIsolated'}`);
  const byCount = (o) => Object.entries(o).sort((a, b) => b[1] - a[1]);
  const types = byCount(st.types).map(([k, v]) => ({ key: k, label: `${k === ' ' ? '␣' : k} ${recordTypeName(k) || 'unknown'}`, value: v }));
  const encs = byCount(st.encodings).map(([k, v]) => ({ key: k, label: encodingName(k) ? `${encodingName(k)} (${k === ' ' ? '␣' : k})` : `invalid '${k}'`, value: v }));
  const tags = byCount(st.tags).slice(0, 30).map(([k, v]) => {
    const name = `${k} ${fieldName(k)}`;
    return { key: k, label: name, value: v, hint: `${name}: in ${fmt(st.tagRecords[k] ?? 0)} records` };
  });
  const diags = byCount(st.diagCodes).map(([k, v]) => ({ label: k, value: v }));
  const sizes = st.sizes.map((v, i) => ({ label: SIZE_CLASSES[i][1], value: v }));
  $('stats').replaceChildren(
    card('Summary', dl),
    card('Record types (leader/06)', barChart(types, { title: 'Record types', pick: 'type' })),
    card('Character encodings (leader/09)', barChart(encs, { title: 'Encodings', pick: 'encoding' })),
    card('Diagnostics by code', diags.length ? barChart(diags, { title: 'Diagnostics', warn: true, labelWidth: 220 }) : el('p', { class: 'muted' }, 'No diagnostics.')),
    card('Record sizes', barChart(sizes, { title: 'Record sizes' })),
    card('Most frequent tags (fields)', barChart(tags, { title: 'Tag frequencies', labelWidth: 380, width: 900, pick: 'tag' }), true),
    validationCard(),
  );
}

/** Before the file has been read. */
export function clearStats() {
  $('stats').replaceChildren(el('p', { class: 'muted' }, 'Statistics appear when the file has been read.'));
}
