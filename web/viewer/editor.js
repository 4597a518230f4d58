// Editing a record in the viewer: the record as MARCMaker text (leader,
// fields, indicators, subfields), parsed as it is typed by the package's
// MRK reader in the worker (its diagnostics, with their line, are the
// editor's messages), applied as the record the worker keeps for the
// exports, with undo. Field-level actions in the fields view: copy a
// field, edit it (the editor opens on its line), delete it.
import { $, el, message } from './dom.js';
import { MSG } from './protocol.js';
import { request } from './channel.js';
import { doc, edits, pane } from './state.js';
import { showRecord, switchView } from './record-view.js';
import { update } from './list.js';

const PARSE_DELAY_MS = 250; // typing pauses this long before a parse (and an announcement)

let focusLine = -1; // the line the caret goes to when the editor opens
let draft = null; // {id, index, text}: typed and not applied
let parseTimer = 0;

const lines = (mrk) => mrk.replace(/\n+$/, '').split('\n');

/** The editor for record view `v`. */
export function editView(v) {
  const keep = draft && draft.id === v.id && draft.index === v.index;
  const ta = el('textarea', {
    id: 'mrk-editor', class: 'mrk-editor', spellcheck: 'false', autocapitalize: 'off', autocomplete: 'off',
    'aria-label': `Record ${v.index + 1} as MARCMaker text`, 'aria-describedby': 'edit-help edit-status',
    rows: String(Math.min(40, Math.max(8, lines(v.mrk).length + 2))),
  });
  ta.value = keep ? draft.text : v.mrk;
  const status = el('p', { id: 'edit-status', class: 'edit-status', role: 'status' });
  const problems = el('ul', { class: 'edit-problems' });
  const apply = el('button', { type: 'button', class: 'button primary', id: 'edit-apply' }, 'Apply changes');
  const undo = el('button', { type: 'button', class: 'button', id: 'edit-undo', disabled: !v.modified }, 'Undo last edit');
  const discard = el('button', { type: 'button', class: 'button ghost', id: 'edit-discard' }, 'Discard typing');
  const parse = async () => {
    const r = await request(MSG.EDIT_PARSE, { text: ta.value });
    if (!ta.isConnected) return;
    problems.replaceChildren(...r.problems.map((p) => el('li', null, `${p.line ? `line ${p.line}: ` : ''}${p.code}: ${p.message}`)));
    status.textContent = !r.records ? 'No record: the text starts with =LDR.'
      : r.problems.length ? `${r.fields} fields; ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'} (listed below).`
        : `${r.fields} fields; no problems.`;
    ta.setAttribute('aria-invalid', String(!r.records || r.records > 1));
  };
  ta.addEventListener('input', () => {
    draft = { id: v.id, index: v.index, text: ta.value };
    clearTimeout(parseTimer);
    parseTimer = setTimeout(parse, PARSE_DELAY_MS);
  });
  apply.addEventListener('click', () => applyText(v, ta.value, status));
  undo.addEventListener('click', () => undoEdit(v));
  discard.addEventListener('click', () => {
    draft = null;
    ta.value = v.mrk;
    parse();
  });
  const wrap = el('div', { class: 'editor' },
    el('p', { id: 'edit-help', class: 'muted' },
      'One field a line, as MARCMaker writes it: =245  10$aTitle /$cAuthor. A blank indicator is \\. ',
      'The leader is the =LDR line (lengths are computed when written). The text is parsed as you type; ',
      '"Apply changes" makes it the record that exports and "Save" write. Ctrl+Z outside the text undoes the last applied edit.'),
    ta,
    el('div', { class: 'view-actions' }, apply, undo, discard),
    status, problems);
  parse();
  if (focusLine >= 0) {
    const at = lines(ta.value).slice(0, focusLine).reduce((a, l) => a + l.length + 1, 0);
    focusLine = -1;
    queueMicrotask(() => {
      ta.focus();
      ta.setSelectionRange(at, at);
    });
  }
  return wrap;
}

async function applyText(v, text, status) {
  const r = await request(MSG.EDIT_APPLY, { id: v.id, index: v.index, text, originalMrk: v.originalMrk || v.mrk });
  if (r.error) {
    if (status) status.textContent = `Not applied: ${r.error}`;
    else message(`Not applied: ${r.error}`, 'error');
    return false;
  }
  draft = null;
  edits.indices = new Set(r.edited);
  update();
  message(r.unchanged ? 'No change to apply.' : `Record ${v.index + 1} changed (${r.depth} edit${r.depth === 1 ? '' : 's'}); exports write it as edited.`);
  await showRecord(v.index);
  return true;
}

/** Undo the last applied edit of record view `v`. */
export async function undoEdit(v) {
  if (!v || !v.modified) return;
  const r = await request(MSG.EDIT_UNDO, { id: v.id, index: v.index });
  if (r.error) {
    message(`Not undone: ${r.error}`, 'error');
    return;
  }
  draft = null;
  edits.indices = new Set(r.edited);
  update();
  message(r.modified ? `Last edit of record ${v.index + 1} undone (${r.depth} left).` : `Record ${v.index + 1} is as read again.`);
  await showRecord(v.index);
}

/** A new file: forget what was typed. */
export function forgetDraft() {
  draft = null;
}

/** The actions cell of the fields view's row of field `at` (-1: the
 * leader): copy the field as a MARCMaker line, edit it, delete it. */
export function fieldActions(v, at) {
  const line = lines(v.mrk)[at + 1] ?? '';
  const what = at < 0 ? 'the leader' : `field ${v.fields[at].tag}`;
  const copy = el('button', { type: 'button', class: 'icon', title: `Copy ${what}`, 'aria-label': `Copy ${what}` }, '⧉');
  copy.addEventListener('click', () => {
    const done = () => message(`Copied ${what}: ${line}`);
    if (navigator.clipboard?.writeText) navigator.clipboard.writeText(line).then(done, () => message(`Copy ${what} by hand: ${line}`, 'warn'));
    else message(`Copy ${what} by hand: ${line}`, 'warn');
  });
  const edit = el('button', { type: 'button', class: 'icon', title: `Edit ${what}`, 'aria-label': `Edit ${what}` }, '✎');
  edit.addEventListener('click', () => {
    focusLine = at + 1;
    switchView('edit');
  });
  const td = el('td', { class: 'actions' }, copy, edit);
  if (at >= 0) {
    const del = el('button', { type: 'button', class: 'icon', title: `Delete ${what}`, 'aria-label': `Delete ${what}` }, '🗑');
    del.addEventListener('click', () => {
      const ls = lines(v.mrk);
      ls.splice(at + 1, 1);
      applyText(v, `${ls.join('\n')}\n`, null);
    });
    td.append(del);
  }
  return td;
}

// Ctrl+Z in the record pane (not in a text input: that is the text's own
// undo) undoes the last applied edit.
$('record').addEventListener('keydown', (e) => {
  if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== 'z' || e.shiftKey) return;
  if (e.target.closest('textarea, input')) return;
  if (pane.last && pane.last.modified && pane.last.id === doc.fileId) {
    e.preventDefault();
    undoEdit(pane.last);
  }
});
