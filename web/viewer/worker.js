// The viewer's module worker: all reading happens here, through the npm
// package's public API (../src/browser.js), so the page never freezes.
// This file starts the package and answers the page's messages (the table
// in protocol.js); reading is in worker-read.js, searching in
// worker-search.js, writing in worker-export.js, the columns view's
// values in worker-columns.js, validation in worker-validate.js.
import * as marcato from '../src/browser.js';
import { MSG, send } from './protocol.js';
import { current, openFile, recordView } from './worker-read.js';
import { cancelSearch, search } from './worker-search.js';
import { exportRecords } from './worker-export.js';
import { columnsCsv, columnsPage } from './worker-columns.js';
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

async function record(index) {
  const d = current();
  if (!d || index < 0 || index >= d.count) return { error: 'no such record' };
  try {
    return { view: await recordView(d, index) };
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
    send(self, MSG.REPLY, { reqId: m.reqId, ...await record(m.index) });
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
    send(self, MSG.REPLY, { reqId: m.reqId, ...await exportRecords(m.reqId, m.format, m.indices ?? null) });
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
