// The viewer's module worker: all reading happens here, through the npm
// package's public API (../src/browser.js), so the page never freezes.
// This file starts the package and answers the page's messages (the table
// in protocol.js); reading is in worker-read.js, searching in
// worker-search.js, writing in worker-export.js, the columns view's
// values in worker-columns.js, validation in worker-validate.js.
import * as marcato from '../src/browser.js';
import { MSG, send } from './protocol.js';
import { current, openFile, recordOfFile, recordView } from './worker-read.js';
import { cancelSearch, search } from './worker-search.js';
import { exportRecords } from './worker-export.js';
import { columnsCsv, columnsPage } from './worker-columns.js';
import { applyEdit, editedIndices, parseMrk, undoEdit } from './worker-edits.js';
import { problemRecords, rejectedRecords, schemaLabels, validationReport } from './worker-validate.js';

let caps = null;

// What the package can do, as its init() says; `threads` also needs the
// page to want them (and a crossOriginIsolated page, which init() checks).
async function start(wantThreads) {
  const info = await marcato.init();
  return {
    version: info.version ?? '',
    readers: [...info.inputs],
    writers: [...info.formats],
    marc8: !!info.marc8,
    threads: !!info.threads && !!wantThreads,
    crossOriginIsolated: !!self.crossOriginIsolated,
  };
}

// `id`: the page's number of the file it means; a record of another file
// (one still being replaced) is never answered.
async function record(index, id, original) {
  const d = current();
  if (!d || (id !== undefined && d.id !== id)) return { error: 'the file is being opened', stale: true };
  if (index < 0 || index >= d.count) return { error: 'no such record' };
  try {
    return { view: await recordView(d, index, original) };
  } catch (e) {
    return { error: e.message };
  }
}

const HANDLERS = {
  async [MSG.INIT](m) {
    caps = await start(m.threads);
    send(self, MSG.READY, { caps });
  },
  async [MSG.OPEN](m) {
    cancelSearch();
    await openFile(m.file, m.format, m.id, caps);
  },
  async [MSG.RECORD](m) {
    send(self, MSG.REPLY, { reqId: m.reqId, ...await record(m.index, m.id, m.original) });
  },
  async [MSG.FILTER](m) {
    await search(m.reqId, m.query, m.diagOnly);
  },
  [MSG.CANCEL_FILTER]() {
    cancelSearch();
  },
  async [MSG.COLUMNS](m) {
    send(self, MSG.REPLY, { reqId: m.reqId, ...await columnsPage(m.specs, m.start, m.limit) });
  },
  async [MSG.COLUMNS_CSV](m) {
    send(self, MSG.REPLY, { reqId: m.reqId, ...await columnsCsv(m.reqId, m.specs) });
  },
  async [MSG.SCHEMA_LABELS](m) {
    send(self, MSG.REPLY, { reqId: m.reqId, ...await schemaLabels() });
  },
  async [MSG.VALIDATE](m) {
    send(self, MSG.REPLY, { reqId: m.reqId, ...await validationReport(m.reqId) });
  },
  [MSG.PROBLEM_RECORDS](m) {
    send(self, MSG.REPLY, { reqId: m.reqId, ...problemRecords(m.key) });
  },
  async [MSG.REJECTED](m) {
    send(self, MSG.REPLY, { reqId: m.reqId, ...await rejectedRecords(m.reqId) });
  },
  async [MSG.EXPORT](m) {
    send(self, MSG.REPLY, { reqId: m.reqId, ...await exportRecords(m.reqId, m) });
  },
  async [MSG.RECORD_OF_FILE](m) {
    send(self, MSG.REPLY, { reqId: m.reqId, ...await recordOfFile(m.file, m.index) });
  },
  [MSG.EDIT_PARSE](m) {
    const p = parseMrk(m.text);
    send(self, MSG.REPLY, { reqId: m.reqId, problems: p.problems, fields: p.fields, records: p.records });
  },
  [MSG.EDIT_APPLY](m) {
    const d = current();
    if (!d || d.id !== m.id) return send(self, MSG.REPLY, { reqId: m.reqId, error: 'the file is being opened' });
    send(self, MSG.REPLY, { reqId: m.reqId, ...applyEdit(m.index, m.text, m.originalMrk), edited: editedIndices() });
  },
  [MSG.EDIT_UNDO](m) {
    const d = current();
    if (!d || d.id !== m.id) return send(self, MSG.REPLY, { reqId: m.reqId, error: 'the file is being opened' });
    send(self, MSG.REPLY, { reqId: m.reqId, ...undoEdit(m.index), edited: editedIndices() });
  },
};

self.onmessage = async (ev) => {
  const m = ev.data;
  try {
    await HANDLERS[m.type]?.(m);
  } catch (e) {
    send(self, MSG.ERROR, { fatal: m.type === MSG.INIT, message: e && e.message ? e.message : String(e) });
  }
};
