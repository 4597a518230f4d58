// The worker's columns: the values of MARCspecs (the package's
// compileSpec, the core's evaluation in wasm) for the records of the open
// file, a page at a time for the table, or every record as CSV in the
// bytes `marcato select -t csv` writes for the same specs. Both read the
// file as a stream, so memory stays bounded however many records it has
// (the CSV itself goes into a Blob, which the browser may keep on disk).
import * as marcato from '../src/browser.js';
import { MSG, send } from './protocol.js';
import { current, readOne, scanAll } from './worker-read.js';

// `marcato select` joins a spec's values with '|' unless told otherwise.
export const JOIN = '|';
// Blob parts are merged past this many characters of CSV text, so that the
// text does not pile up in the worker's heap as many small strings.
const FLUSH_CHARS = 1 << 22;

// Compile every spec as `marcato select` does (traject's shorthand
// accepted); on a bad one free those made and throw its error with the
// spec's number.
function compileAll(texts) {
  const specs = [];
  for (const [i, text] of texts.entries()) {
    try {
      specs.push(marcato.compileSpec(text, { traject: true }));
    } catch (e) {
      for (const s of specs) s.free();
      e.specIndex = i;
      throw e;
    }
  }
  return specs;
}

const failure = (e) => ({ error: e.message, specIndex: e.specIndex ?? -1 });

// The open file and the compiled specs, or {error} (as the page expects it)
// when no file is open or a spec does not compile.
function openSpecs(texts) {
  const d = current();
  if (!d) return { error: { error: 'no file is open', specIndex: -1 } };
  try {
    return { d, specs: compileAll(texts) };
  } catch (e) {
    return { error: failure(e) };
  }
}

/** The rows of records start..start+limit-1: {rows: [{index, cells:
 * [[value...] per spec]}], total} or {error, specIndex}. */
export async function columnsPage(texts, start, limit) {
  const { d, specs, error } = openSpecs(texts);
  if (error) return error;
  const end = Math.min(start + limit, d.count);
  const rows = [];
  const row = (index, rec) => ({ index, cells: specs.map((s) => s.values(rec)) });
  try {
    // ISO 2709 records (and those kept from other formats) are found by
    // byte range; else the page is read by streaming up to it.
    if (d.format === 'iso2709' || (d.kept && d.kept.slice(start, end).every(Boolean))) {
      for (let i = start; i < end; i++) {
        const { rec } = await readOne(d, i);
        if (rec) rows.push(row(i, rec));
      }
    } else {
      const token = { cancelled: false };
      await scanAll(d, (batch) => {
        for (const rec of batch) {
          if (rec.index >= start && rec.index < end) rows.push(row(rec.index, rec));
        }
        if (batch.length && batch[batch.length - 1].index >= end - 1) token.cancelled = true;
      }, null, token);
    }
  } catch (e) {
    return failure(e);
  } finally {
    for (const s of specs) s.free();
  }
  return { rows, total: d.count };
}

// One CSV cell: always quoted, quotes doubled (RFC 4180), as the CLI does.
const cell = (s) => `"${s.replaceAll('"', '""')}"`;

/** Every record's row as CSV (header `record,SPEC...`, CRLF line ends):
 * {blob, count, ms} or {error, specIndex}. */
export async function columnsCsv(reqId, texts) {
  const { d, specs, error } = openSpecs(texts);
  if (error) return error;
  const t0 = performance.now();
  let blob = new Blob([]);
  let text = `record${texts.map((t) => `,${cell(t)}`).join('')}\r\n`;
  let n = 0;
  try {
    const finished = await scanAll(d, (batch) => {
      for (const rec of batch) {
        text += `${rec.index + 1}`;
        for (const s of specs) text += `,${cell(s.values(rec).join(JOIN))}`;
        text += '\r\n';
        n++;
      }
      if (text.length > FLUSH_CHARS) {
        blob = new Blob([blob, text]);
        text = '';
      }
    }, (scanned, bytes) => {
      send(self, MSG.COLUMNS_PROGRESS, { reqId, scanned, bytes, size: d.size });
    }, { cancelled: false });
    if (!finished) return { error: 'the file was closed', specIndex: -1 };
  } catch (e) {
    return failure(e);
  } finally {
    for (const s of specs) s.free();
  }
  blob = new Blob([blob, text], { type: 'text/csv' });
  return { blob, count: n, ms: performance.now() - t0 };
}
