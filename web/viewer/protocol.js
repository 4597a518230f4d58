// The messages between the page and its worker: one table of names that
// both sides import, so a name is spelled once. Every message is an object
// {type, ...}; a request the page waits for carries a `reqId` and is
// answered by one REPLY with the same `reqId`.

export const MSG = Object.freeze({
  // page -> worker
  INIT: 'init', //               {threads}: start the package
  OPEN: 'open', //               {file, format, id}: read a File
  RECORD: 'record', //           request {index, id, original}: one record (as edited unless original) of file id
  FILTER: 'filter', //           {reqId, query, diagOnly}: search the open file
  CANCEL_FILTER: 'cancelFilter', // stop the running search
  EXPORT: 'export', //           request {format, indices, convert, handle}: write records to a file
  RECORD_OF_FILE: 'recordOfFile', // request {file, index}: a record of another file, to compare with
  EDIT_PARSE: 'editParse', //    request {text}: MARCMaker text parsed: {problems, fields, records}
  EDIT_APPLY: 'editApply', //    request {id, index, text, originalMrk}: the record becomes the text's
  EDIT_UNDO: 'editUndo', //      request {id, index}: back to the record before its last edit
  COLUMNS: 'columns', //         request {specs, start, limit}: a page of the columns table
  COLUMNS_CSV: 'columnsCsv', //  request {specs}: the whole table as CSV in a Blob
  SCHEMA_LABELS: 'schemaLabels', // request: {labels} of the built-in Avram schemas (null without)
  VALIDATE: 'validate', //       request: {summary, ms} of checking every record (validate --summary)
  PROBLEM_RECORDS: 'problemRecords', // request {key}: {indices} of the records with that problem
  REJECTED: 'rejected', //       request: {blob, count}: records with problems, bytes as read (--reject)

  // worker -> page
  READY: 'ready', //             {caps}: what the package can do
  OPENED: 'opened', //           {id, format, size, name}: format known, reading starts
  BATCH: 'batch', //             {id, start, ids, titles, types, levels, encs, ndiag}: summaries
  PROGRESS: 'progress', //       {id, bytes, size, records, ms, firstMs}
  DONE: 'done', //               {id, records, bytes, ms, firstMs, stats, format, threadsUsed}
  ERROR: 'error', //             {id?, fatal, message}
  FILTER_BATCH: 'filterBatch', // {reqId, indices}: matching record numbers, ascending
  FILTER_PROGRESS: 'filterProgress', // {reqId, scanned, bytes, size}
  FILTER_DONE: 'filterDone', //  {reqId, count, ms} or {reqId, error}
  EXPORT_PROGRESS: 'exportProgress', // {reqId, scanned, bytes, size}
  COLUMNS_PROGRESS: 'columnsProgress', // {reqId, scanned, bytes, size}
  VALIDATE_PROGRESS: 'validateProgress', // {reqId, scanned, bytes, size}
  REPLY: 'reply', //             {reqId, ...}: the answer to a request
});

/** Post `{type, ...fields}` to `target` (a Worker, or the worker's `self`). */
export function send(target, type, fields, transfer) {
  target.postMessage({ type, ...fields }, transfer ?? []);
}
