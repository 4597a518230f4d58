// Compare two records field by field: the record shown with another record
// of the file or of another file (any format the package reads), or with
// itself as read (before its edits). Fields are
// aligned by a longest common subsequence of their MARCMaker lines; a
// field removed and one added with the same tag next to each other are
// shown as one changed field, its differing subfields marked. Every
// difference has a text marker (=, ~, −, +), not only a colour.
import { el, fmt } from './dom.js';
import { MSG } from './protocol.js';
import { request } from './channel.js';
import { doc } from './state.js';

const MAX_CELLS = 4_000_000; // fields × fields past which lines are aligned in order only

let choice = null; // {id, index, other: 'original' | record number, file: a File or null}

/** A field as one line (leader: tag LDR). */
export function fieldLine(f) {
  if (f.control) return `${f.tag}  ${f.value}`;
  return `${f.tag} ${f.ind1}${f.ind2} ${f.subfields.map(([c, v]) => `$${c}${v}`).join('')}`;
}

/** Align `a` and `b` (arrays of strings): [{op: '=', '-', '+', '~', a, b}]
 * with indexes into a and b (-1 where a side has none). */
export function align(a, b, tagOf) {
  const n = a.length, m = b.length;
  const ops = [];
  if (n * m <= MAX_CELLS) {
    // LCS table from the end.
    const w = m + 1;
    const L = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        L[i * w + j] = a[i] === b[j] ? L[(i + 1) * w + j + 1] + 1 : Math.max(L[(i + 1) * w + j], L[i * w + j + 1]);
      }
    }
    let i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[i] === b[j]) ops.push({ op: '=', a: i++, b: j++ });
      else if (j < m && (i >= n || L[i * w + j + 1] >= L[(i + 1) * w + j])) ops.push({ op: '+', a: -1, b: j++ });
      else ops.push({ op: '-', a: i++, b: -1 });
    }
  } else {
    for (let k = 0; k < Math.max(n, m); k++) ops.push({ op: k >= n ? '+' : k >= m ? '-' : a[k] === b[k] ? '=' : '~', a: k < n ? k : -1, b: k < m ? k : -1 });
  }
  // A run of removals and additions: pair those of one tag as changes.
  const out = [];
  for (let k = 0; k < ops.length;) {
    if (ops[k].op === '=' || ops[k].op === '~') { out.push(ops[k++]); continue; }
    const run = [];
    while (k < ops.length && (ops[k].op === '-' || ops[k].op === '+')) run.push(ops[k++]);
    const dels = run.filter((o) => o.op === '-'), adds = run.filter((o) => o.op === '+');
    for (const d of dels) {
      const at = adds.findIndex((x) => !x.used && tagOf(b[x.b]) === tagOf(a[d.a]));
      if (at >= 0) {
        adds[at].used = true;
        out.push({ op: '~', a: d.a, b: adds[at].b });
      } else out.push(d);
    }
    for (const x of adds) if (!x.used) out.push({ op: '+', a: -1, b: x.b });
  }
  return out;
}

const MARK = { '=': ['same', '='], '~': ['changed', '~'], '-': ['removed', '−'], '+': ['added', '+'] };

// A field's cell: subfields not in the other side's field marked.
function cell(f, other) {
  if (!f) return el('td', { class: 'data none' }, '—');
  const td = el('td', { class: 'data' });
  if (f.control) {
    td.append(other && other.value !== f.value ? el('mark', null, f.value) : f.value);
    return td;
  }
  const theirs = new Set((other?.subfields ?? []).map(([c, v]) => `${c}\u0000${v}`));
  td.append(`${f.ind1.replace(' ', '␣')}${f.ind2.replace(' ', '␣')} `);
  for (const [c, v] of f.subfields) {
    const text = `$${c}${v}`;
    td.append(other && !theirs.has(`${c}\u0000${v}`) ? el('mark', null, text) : text, ' ');
  }
  return td;
}

/** The compare table of record views `a` (left) and `b` (right). */
export function compareTable(a, b, leftName, rightName) {
  const fa = [{ tag: 'LDR', control: true, value: a.leader }, ...a.fields];
  const fb = [{ tag: 'LDR', control: true, value: b.leader }, ...b.fields];
  const ops = align(fa.map(fieldLine), fb.map(fieldLine), (line) => line.slice(0, 3));
  const t = el('table', { class: 'compare' });
  t.append(el('caption', { class: 'visually-hidden' }, `${leftName} compared with ${rightName}`));
  t.append(el('thead', null, el('tr', null, el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, 'Difference')),
    el('th', { scope: 'col' }, 'Tag'), el('th', { scope: 'col' }, leftName), el('th', { scope: 'col' }, rightName))));
  const tb = el('tbody');
  const counts = { '=': 0, '~': 0, '-': 0, '+': 0 };
  for (const o of ops) {
    counts[o.op]++;
    const x = o.a >= 0 ? fa[o.a] : null, y = o.b >= 0 ? fb[o.b] : null;
    const [cls, sign] = MARK[o.op];
    tb.append(el('tr', { class: cls },
      el('td', { class: 'op', title: cls }, sign),
      el('td', { class: 'tag' }, (x ?? y).tag),
      cell(x, o.op === '~' ? y : null), cell(y, o.op === '~' ? x : null)));
  }
  t.append(tb);
  const summary = el('p', { class: 'compare-summary', role: 'status' },
    counts['~'] + counts['-'] + counts['+'] === 0 ? 'The records have the same leader and fields.'
      : `${fmt(counts['='])} same, ${fmt(counts['~'])} changed, ${fmt(counts['-'])} only in ${leftName}, ${fmt(counts['+'])} only in ${rightName}.`);
  return el('div', null, summary, t);
}

/** The compare view of record view `v`: a choice of the other record and
 * the table. */
export function compareView(v) {
  if (!choice || choice.id !== v.id || choice.index !== v.index) {
    choice = { id: v.id, index: v.index, other: v.modified ? 'original' : v.index > 0 ? v.index - 1 : Math.min(1, doc.total - 1), file: null };
  }
  const out = el('div', { class: 'compare-out' }, el('p', { class: 'muted' }, 'Reading…'));
  const input = el('input', { type: 'number', id: 'compare-with', min: '1', max: String(doc.total), step: '1', class: 'narrow',
    value: choice.other === 'original' ? '' : String(choice.other + 1) });
  const orig = el('button', { type: 'button', class: 'button ghost', id: 'compare-original', disabled: !v.modified }, 'With the record as read');
  const other = el('input', { type: 'file', id: 'compare-file', class: 'compare-file' });
  const form = el('form', { class: 'toolbar compare-form', novalidate: true },
    el('label', { for: 'compare-with' }, 'Compare with record #'), input,
    el('label', { for: 'compare-file' }, 'of'), other,
    el('button', { type: 'submit', class: 'button' }, 'Compare'), orig);
  // Another file: its record of the number typed (this file's when none).
  other.addEventListener('change', () => {
    choice.file = other.files?.[0] ?? null;
    const n = Number(input.value);
    if (Number.isInteger(n) && n >= 1) choice.other = n - 1;
    else if (choice.file && choice.other === 'original') {
      choice.other = v.index;
      input.value = String(v.index + 1);
    }
    if (choice.file) fill(v, out);
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const n = Number(input.value);
    if (!Number.isInteger(n) || n < 1 || (!choice.file && n > doc.total)) {
      out.replaceChildren(el('p', { class: 'errors' }, `There is no record ${input.value}: records are numbered 1 to ${fmt(doc.total)}.`));
      return;
    }
    choice.other = n - 1;
    fill(v, out);
  });
  orig.addEventListener('click', () => {
    choice.other = 'original';
    choice.file = null;
    other.value = '';
    input.value = '';
    fill(v, out);
  });
  fill(v, out);
  return el('div', null, form, out);
}

async function fill(v, out) {
  const original = choice.other === 'original';
  const index = original ? v.index : choice.other;
  const file = original ? null : choice.file;
  const m = file ? await request(MSG.RECORD_OF_FILE, { file, index }) : await request(MSG.RECORD, { index, id: v.id, original });
  if (m.error || !m.view) {
    out.replaceChildren(el('p', { class: 'errors' }, `Record ${index + 1} could not be read: ${m.error}`));
    return;
  }
  const other = m.view;
  const left = original ? `record ${v.index + 1} as read`
    : file ? `record ${index + 1} of ${file.name}` : `record ${index + 1}${other.modified ? ' (edited)' : ''}`;
  const right = `record ${v.index + 1}${v.modified ? ' (edited)' : ''}`;
  out.replaceChildren(compareTable(other, v, left, right));
}
