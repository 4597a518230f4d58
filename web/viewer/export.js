// Export: the search result, every record, or the selection, as edited,
// written by the worker a piece at a time (worker-export.js) to a file the
// user chose (File System Access API, where the browser has it) or to a
// private file then offered as a download. ISO 2709 keeps each record's
// encoding unless "MARC-8 → UTF-8" is ticked; the message says what was
// converted.
import { $, download, fmt, fmtBytes, message, plural } from './dom.js';
import { MSG } from './protocol.js';
import { on, request } from './channel.js';
import { FORMATS } from './labels.js';
import { cursor, doc, edits, filter } from './state.js';
import { onScanProgress } from './search.js';

const canChoose = typeof window.showSaveFilePicker === 'function';
$('export-choose-label').hidden = !canChoose;

/** The file's own format is the export's first choice ("save" an edited
 * file as it came), when this build writes it. */
export function chooseExportFormat(format) {
  const o = [...$('export-format').options].find((x) => x.value === (format === 'jsonl' ? 'json' : format));
  if (o && !o.disabled) $('export-format').value = o.value;
  showConvert();
}

function showConvert() {
  $('export-convert-label').hidden = !($('export-format').value === 'iso2709' && doc.format === 'iso2709');
}
$('export-format').addEventListener('change', showConvert);

// How many records of the set were MARC-8 as read (the summaries know).
function marc8Count(indices) {
  let n = 0;
  if (indices) { for (const i of indices) if (doc.encs[i] === 0x20) n++; }
  else for (let i = 0; i < doc.total; i++) if (doc.encs[i] === 0x20) n++;
  return n;
}

/** Grey out the formats this build of the package cannot write. */
export function offerFormats(writers) {
  for (const o of $('export-format').options) {
    if (!writers.includes(o.value)) o.disabled = true;
  }
}

// The record numbers to export (null: all), or null with a message why not.
function chosen(scope) {
  if (scope === 'selected') {
    if (!cursor.selected.size) {
      message('No records are selected: use Space, Ctrl+click or Shift+click in the list.', 'warn');
      return undefined;
    }
    return Uint32Array.from([...cursor.selected].sort((a, b) => a - b));
  }
  if (filter.view) {
    if (!filter.view.done) {
      message('The search is still running; export when it finishes.', 'warn');
      return undefined;
    }
    return filter.view.indices.slice(0, filter.view.length);
  }
  if (!doc.done) {
    message('The file is still being read; export when it finishes.', 'warn');
    return undefined;
  }
  return null;
}

on(MSG.EXPORT_PROGRESS, onScanProgress);

$('export-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!doc.total) return;
  const format = $('export-format').value;
  const scope = $('export-scope').value;
  const indices = chosen(scope);
  if (indices === undefined) return;
  const base = (doc.file?.name || 'records').replace(/\.[^.]+$/, '');
  const which = scope === 'selected' ? 'selected' : filter.view ? 'filtered' : edits.indices.size ? 'edited' : 'all';
  const name = `${base}-${which}.${FORMATS[format].ext}`;
  let handle = null;
  if (canChoose && $('export-choose').checked) {
    try {
      handle = await window.showSaveFilePicker({ suggestedName: name });
    } catch (err) {
      // Cancelling the picker (AbortError) is no error; anything else is said.
      if (err?.name !== 'AbortError') message(`Cannot save there: ${err?.message ?? err}`, 'error');
      return;
    }
  }
  const convert = $('export-convert').checked;
  const button = $('export-button');
  button.disabled = true;
  message(`Exporting ${plural(indices ? indices.length : doc.total, 'record')}…`);
  try {
    const r = await request(MSG.EXPORT, { format, indices, convert, handle });
    if (r.error) {
      message(`Export failed: ${r.error}`, 'error');
      return;
    }
    if (r.file) download(r.file, name);
    const parts = [`${plural(r.count, 'record')} written (${fmtBytes(r.bytes)})`];
    parts.push(r.saved ? `to ${handle.name}` : `and handed to the browser's downloads as ${name}; the browser says whether the download completes`);
    if (r.edited) parts.push(`${plural(r.edited, 'edited record')} as edited`);
    const marc8 = marc8Count(indices);
    const rawKept = format === 'iso2709' && doc.format === 'iso2709' && !convert;
    if (rawKept && marc8) {
      parts.push(`MARC-8 kept for ${fmt(marc8 - r.converted)} records` +
        (r.converted ? `; ${plural(r.converted, 'edited MARC-8 record')} written as UTF-8 (this build has no MARC-8 tables)` : '') +
        (r.unrepresentable ? `; ${plural(r.unrepresentable, 'character')} MARC-8 lacks written as &#x…; references` : ''));
    } else if (marc8) parts.push(`${plural(marc8, 'MARC-8 record')} converted to UTF-8`);
    if (r.failed) parts.push(`${fmt(r.failed)} could not be written (${r.firstError})`);
    message(`${parts.join('; ')}.`, r.failed ? 'warn' : '');
  } finally {
    button.disabled = false;
  }
});
