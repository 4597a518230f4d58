// The record pane's validation problems: what `marcato validate` finds in
// the record shown (the worker places each at its field and subfield:
// worker-validate.js), marked where it is, with the definition's label and
// the rule's name, and listed under Diagnostics. Record content and
// messages are text, never markup.
import { el, fmt } from './dom.js';
import { indicatorName } from './labels.js';

// A problem as one line: "nonrepeatableSubfield · Title: field 245 subfield a must not be repeated".
function line(p) {
  return `${p.code}${p.label ? ` · ${p.label}` : ''}: ${p.message}`;
}

function badge(problems) {
  const b = el('span', { class: 'problem-badge', role: 'note', title: problems.map(line).join('\n') },
    problems.length === 1 ? problems[0].code : `${problems.length} problems`);
  b.dataset.rules = problems.map((p) => p.code).join(' ');
  return b;
}

const at = (v, field, sub) => (v.problems ?? []).filter((p) => p.field === field && (sub === undefined || p.sub === sub));

/** Mark the leader's row (`tr`) with the leader's problems. */
export function markLeader(tr, v) {
  const ps = at(v, -1);
  if (!ps.length) return;
  tr.classList.add('has-problem');
  tr.querySelector('.fname')?.append(' ', badge(ps));
}

/** Mark field `i`'s row: its own problems (not a subfield's) by its name,
 * and an indicator's problem on the indicators, with the schema's name for
 * the indicator and its value's meaning as a title. */
export function markField(tr, v, i, f, kind) {
  if (!f.control) {
    const cell = tr.querySelector('.ind');
    const names = [1, 2].map((n) => {
      const value = n === 1 ? f.ind1 : f.ind2;
      const { label, meaning } = indicatorName(f.tag, n, value, kind);
      return label ? `Indicator ${n}, ${label}: '${value}'${meaning ? ` ${meaning}` : ''}` : '';
    }).filter(Boolean);
    if (cell && names.length) cell.title = names.join('\n');
  }
  const ps = at(v, i).filter((p) => p.sub < 0);
  if (!ps.length) return;
  tr.classList.add('has-problem');
  tr.querySelector('.fname')?.append(' ', badge(ps));
}

/** Mark subfield `k` of field `i` (its span) with its problems. */
export function markSubfield(span, v, i, k) {
  const ps = at(v, i, k);
  if (!ps.length) return;
  span.classList.add('sf-problem');
  span.append(badge(ps));
}

/** The record's validation problems as a list (the Diagnostics tab). */
export function problemsList(v) {
  const ps = v.problems ?? [];
  const head = el('h3', null, 'Validation (MARC 21 schema of the record type)');
  if (!ps.length) return el('div', { class: 'problems' }, head, el('p', { class: 'muted' }, 'No problems: the record is valid against its schema.'));
  const ul = el('ul', { class: 'diag-list problem-list' });
  for (const p of ps) {
    const where = [p.tag && `field ${p.tag}`, p.subfield && `subfield ${p.subfield}`, p.indicator && `indicator ${p.indicator}`,
      p.position && `positions ${p.position}`, `byte ${fmt(p.offset)} of the record`].filter(Boolean).join(' · ');
    ul.append(el('li', { class: 'diag' },
      el('div', null, el('span', { class: 'code' }, p.code), ' ', p.message),
      el('div', { class: 'where' }, (p.label ? `${p.label} · ` : '') + where)));
  }
  return el('div', { class: 'problems' }, head, ul);
}
