// Export: the search result, every record, or the selection, written by the
// worker with the package's writer and offered as a download.
import { $, download, fmt, message } from './dom.js';
import { MSG } from './protocol.js';
import { on, request } from './channel.js';
import { FORMATS } from './labels.js';
import { cursor, doc, filter } from './state.js';
import { onScanProgress } from './search.js';

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
  const button = $('export-button');
  button.disabled = true;
  message(`Exporting ${fmt(indices ? indices.length : doc.total)} records…`);
  try {
    const r = await request(MSG.EXPORT, { format, indices });
    if (r.error) {
      message(`Export failed: ${r.error}`, 'error');
      return;
    }
    const base = (doc.file?.name || 'records').replace(/\.[^.]+$/, '');
    const which = scope === 'selected' ? 'selected' : filter.view ? 'filtered' : 'all';
    download(r.blob, `${base}-${which}.${FORMATS[format].ext}`);
    const failed = r.failed ? `; ${fmt(r.failed)} could not be written (${r.firstError})` : '';
    message(`Exported ${fmt(r.count)} records${failed}.`, r.failed ? 'warn' : '');
  } finally {
    button.disabled = false;
  }
});
