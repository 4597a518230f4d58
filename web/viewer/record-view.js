// The record pane: one record as the worker re-reads it, shown as fields
// (leader and 008 decoded position by position, MARC 21 names), as MRK,
// MARCXML, MARC-in-JSON, raw ISO 2709 with a hex view, and its diagnostics
// with the file's bytes around each. Record content is only ever text.
import { $, download, el, fmt } from './dom.js';
import { MSG } from './protocol.js';
import { request } from './channel.js';
import { encodingName, fieldName, kindOf, leaderPositions, recordTypeName, subfieldName } from './labels.js';
import { doc, engine, pane } from './state.js';
import { fixedPositions, fixedTable } from './fixed-fields.js';
import { pairedOrder } from './links.js';
import { editView, fieldActions } from './editor.js';
import { compareView } from './compare.js';
import { setPermalink } from './permalink.js';
import { markField, markLeader, markSubfield, problemsList } from './problems-view.js';

let showTimer = 0;

/** Show record `idx` after a short pause (arrow keys held down). */
export function scheduleShow(idx) {
  clearTimeout(showTimer);
  showTimer = setTimeout(() => showRecord(idx), 60);
}

/** An empty pane with a short text. */
export function clearRecord(text) {
  $('record').replaceChildren(el('p', { class: 'muted empty' }, text));
}

// Show control characters and blanks visibly but as text.
function visible(s) {
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export async function showRecord(idx) {
  if (idx < 0 || idx >= doc.total) return;
  const fileId = doc.fileId;
  pane.shown = idx;
  const m = await request(MSG.RECORD, { index: idx, id: fileId });
  if (fileId !== doc.fileId || pane.shown !== idx || m.stale || (m.view && m.view.id !== fileId)) return;
  if (m.error) {
    $('record').replaceChildren(el('p', { class: 'errors' }, `Record ${idx + 1} could not be shown: ${m.error}`));
    return;
  }
  pane.last = m.view;
  renderRecord(m.view);
  setPermalink(idx);
}

/** Show view `key` (a tab of VIEWS) of the record shown. */
export function switchView(key) {
  pane.tab = key;
  if (pane.last) renderRecord(pane.last);
  document.querySelector(`#record [data-view="${key}"]`)?.focus();
}

/** Draw the record shown again (the names have arrived). */
export function redrawRecord() {
  if (pane.last && pane.last.index === pane.shown) renderRecord(pane.last);
}

const VIEWS = [
  ['fields', 'Fields'], ['edit', 'Edit'], ['compare', 'Compare'], ['mrk', 'MRK'], ['xml', 'MARCXML'], ['json', 'MARC-in-JSON'], ['raw', 'Raw ISO 2709'], ['diags', 'Diagnostics'],
];

function renderRecord(v) {
  const box = $('record');
  const type = v.leader[6] ?? ' ';
  const kind = kindOf(type);
  const title = doc.titles[v.index] || '(no title)';
  const enc = encodingText(v);
  const head = el('header', { class: 'rec-head' },
    el('h2', { id: 'record-title' }, title),
    el('div', { class: 'rec-meta' },
      el('span', { class: 'rec-count' }, recordCountText(v.index)),
      v.modified ? el('span', { class: 'modified-chip', title: `${v.depth} edit${v.depth === 1 ? '' : 's'} not yet exported` }, '✎ Modified') : null,
      el('span', null, `${recordTypeName(type) || 'Unknown type'} (${kind})`),
      el('span', null, enc),
      el('span', null, `byte offset ${fmt(v.offset)}`),
      el('span', null, `${fmt(v.length)} bytes`)));
  box.setAttribute('aria-labelledby', 'record-title');
  const tabs = el('div', { class: 'views', role: 'tablist', 'aria-label': 'Record views' });
  const body = el('div', { class: 'view-body', role: 'tabpanel', id: 'record-view', tabindex: '0', 'aria-labelledby': `view-tab-${pane.tab}` });
  for (const [key, label] of VIEWS) {
    const b = el('button', { role: 'tab', id: `view-tab-${key}`, 'aria-selected': key === pane.tab ? 'true' : 'false', 'data-view': key, tabindex: key === pane.tab ? '0' : '-1', 'aria-controls': 'record-view' }, label);
    if (key === 'diags') {
      const n = v.diagnostics.length + (v.problems?.length ?? 0);
      b.append(el('span', { class: n ? 'badge count' : 'count muted' }, String(n)));
    }
    b.addEventListener('click', () => {
      pane.tab = key;
      renderRecord(v);
      box.querySelector(`[data-view="${key}"]`)?.focus();
    });
    tabs.append(b);
  }
  tabs.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = VIEWS.findIndex(([k]) => k === pane.tab);
    const j = (i + (e.key === 'ArrowRight' ? 1 : VIEWS.length - 1)) % VIEWS.length;
    pane.tab = VIEWS[j][0];
    renderRecord(v);
    box.querySelector(`[data-view="${pane.tab}"]`)?.focus();
    e.preventDefault();
  });
  const errs = v.errors.length ? el('p', { class: 'errors' }, v.errors.join(' · ')) : null;
  box.replaceChildren(head, tabs, errs ?? '', body);
  switch (pane.tab) {
    case 'fields': body.append(fieldsView(v, kind)); break;
    case 'edit': body.append(editView(v)); break;
    case 'compare': body.append(compareView(v)); break;
    case 'mrk': body.append(textView(v.mrk, `record-${v.index + 1}.mrk`)); break;
    case 'xml': body.append(textView(v.xml || '(this build has no MARCXML writer)', `record-${v.index + 1}.xml`)); break;
    case 'json': body.append(textView(v.json, `record-${v.index + 1}.json`)); break;
    case 'raw': body.append(rawView(v)); break;
    case 'diags': body.append(diagView(v), problemsList(v)); break;
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

/** "Record 5 of 7,288" (", reading…" while the file is still read). */
export function recordCountText(index) {
  return `Record ${fmt(index + 1)} of ${fmt(doc.total)}${doc.loading ? ' read so far' : ''}`;
}

/** The record pane's count line again (more records read, reading done). */
export function refreshRecordCount() {
  const c = document.querySelector('#record .rec-count');
  if (c && pane.last) c.textContent = recordCountText(pane.last.index);
}

// The record's encoding as the file has it (the package converts MARC-8
// and then says 'a'), and what the reader made of it.
function encodingText(v) {
  const l09 = v.leaderAsRead ? v.leaderAsRead[9] : v.leader[9];
  if (l09 !== ' ') return encodingName(l09) || `leader/09 = '${l09}' (not defined)`;
  if (v.diagnostics.some((d) => d.code === 'ENCODING_MISLABELED')) return 'MARC-8 in leader/09, but read as UTF-8 (its bytes are UTF-8)';
  return engine.caps?.marc8 ? 'MARC-8 (shown converted to Unicode)' : 'MARC-8 (not converted: this build has no MARC-8 conversion)';
}

function fieldsView(v, kind) {
  const wrap = el('div');
  const diagTags = new Set(v.diagnostics.map((d) => d.tag).filter(Boolean));
  const defs = leaderPositions(kind);
  const t = el('table', { class: 'fields' });
  t.append(el('caption', { class: 'visually-hidden' }, 'Fields of the record'));
  t.append(el('thead', null, el('tr', null,
    el('th', { scope: 'col' }, 'Tag'), el('th', { scope: 'col' }, 'Name'), el('th', { scope: 'col', title: 'Indicators' }, 'Ind'), el('th', { scope: 'col' }, 'Data'),
    el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, 'Actions')))));
  const tb = el('tbody');
  // The leader as the file has it (leader/09 ' ' for MARC-8), unless edited.
  const leader = !v.modified && v.leaderAsRead ? v.leaderAsRead : v.leader;
  const ldr = el('tr', null, el('td', { class: 'tag' }, 'LDR'), el('td', { class: 'fname' }, 'Leader'), el('td', { class: 'ind' }), el('td', { class: 'data' }, leader.replace(/ /g, '␣')), fieldActions(v, -1));
  markLeader(ldr, v);
  tb.append(ldr);
  const ldrDetails = el('tr', null, el('td'), el('td', { colspan: '4' },
    el('details', { class: 'leader', open: true }, el('summary', null, 'Leader positions'), fixedTable(leader, defs, 'Leader positions'))));
  tb.append(ldrDetails);
  for (const { field: f, at, partner } of pairedOrder(v.fields)) {
    const fi = at; // the field's index in the record (880s move next to their partner)
    const name = fieldName(f.tag, kind);
    const linked = partner >= 0 ? v.fields[partner].tag : '';
    const tr = el('tr', { class: [diagTags.has(f.tag) ? 'has-diag' : '', f.tag === '880' && linked ? 'linked-880' : ''].join(' ').trim(), 'data-field': String(at) },
      el('td', { class: 'tag', title: name }, f.tag),
      el('td', { class: 'fname' }, name || (f.tag[0] === '9' ? 'Local field' : ''),
        linked ? el('span', { class: 'link-note' }, f.tag === '880' ? `↳ script form of ${linked}` : `linked 880 below`) : null));
    if (f.control) {
      tr.append(el('td', { class: 'ind' }), el('td', { class: 'data' }, visible(f.value).replace(/ /g, '␣')), fieldActions(v, at));
      markField(tr, v, fi, f, kind);
      tb.append(tr);
      const fixed = kind === 'bibliographic' ? fixedPositions(f.tag, f.value, v.leader) : null;
      if (fixed) {
        tb.append(el('tr', null, el('td'), el('td', { colspan: '4' },
          el('details', { class: 'leader' }, el('summary', null, fixed.title), fixedTable(f.value, fixed.positions, fixed.title)))));
      }
      continue;
    }
    const ind = (c) => (c === ' ' ? el('span', { class: 'blank', title: 'blank' }, '␣') : document.createTextNode(visible(c)));
    tr.append(el('td', { class: 'ind', title: `Indicators: '${f.ind1}' '${f.ind2}'` }, ind(f.ind1), ind(f.ind2)));
    const data = el('td', { class: 'data' });
    for (const [k, [code, value]] of f.subfields.entries()) {
      const sf = el('span', { class: 'sf' });
      if (code !== '') sf.append(el('span', { class: 'sf-code', title: subfieldName(f.tag, code, kind) || `subfield ${code}` }, `$${visible(code)}`));
      sf.append(document.createTextNode(visible(value)));
      markSubfield(sf, v, fi, k);
      data.append(sf, ' ');
    }
    tr.append(data, fieldActions(v, at));
    markField(tr, v, fi, f, kind);
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
    if (doc.file) {
      const from = Math.max(0, Math.floor(d.offset / 16) * 16 - 32);
      const to = Math.min(doc.file.size, from + 96);
      doc.file.slice(from, to).arrayBuffer().then((b) => {
        hex.replaceChildren(hexDump(new Uint8Array(b), from, d.offset));
      }, () => hex.replaceChildren('(bytes unavailable)'));
    }
  }
  return ul;
}

