// Writers: a record in one format (Record's toMRK, toISO2709, toMARCXML)
// and writer() for many records with what goes before, between and after
// them. The bytes are written by the core's writers in wasm (wasm.js).

import { L, requireReady, writeBlock, writeTable, writeFrame, writeFormats } from './wasm.js';

// The writers a build can have (which it has: init()'s formats).
const KNOWN_FORMATS = ['iso2709', 'mrk', 'marcxml', 'json', 'jsonl', 'text'];

/** Whether this build has the writer of `format`. */
export function hasWriter(format) { return L !== null && L.formats[format] !== undefined; }

/** The write flag of an `encoding` option: 'utf8' (the default: what
 * the package holds) or 'marc8' (ISO 2709 and MARCMaker only, as the
 * CLI's --to-encoding marc8: leader/09 blank, characters MARC-8 lacks
 * written "&#xXXXX;" and reported as MARC8_UNREPRESENTABLE diagnostics). */
export function marc8Flag(format, encoding = 'utf8') {
  if (encoding === 'utf8') return false;
  if (encoding !== 'marc8') throw new TypeError(`marcato: encoding is 'utf8' or 'marc8', not ${JSON.stringify(encoding)}`);
  if (format !== 'iso2709' && format !== 'mrk') throw new TypeError(`marcato: encoding 'marc8' is for iso2709 and mrk output, not ${format}`);
  if (L !== null && !L.marc8) throw new TypeError('marcato: this build has no MARC-8 tables (init().marc8 is false)');
  return true;
}

/** A record's bytes in `format` (throws MarcError past the format's
 * limits); `flags` as wasm.js's writeBlock takes them (`marc8`: converted
 * to MARC-8 first, see marc8Flag). */
export function writeRecord(rec, format, flags) {
  requireReady();
  const what = { name: `record ${rec.index + 1}`, offset: rec.offset, index: rec.index, changes: [] };
  // Records as read go back as their block: the core parses the bytes
  // read again, so the output is what it always was (ISO 2709 byte for
  // byte) and it is the faster path. Edited and built records are
  // written from what they hold.
  const bytes = rec._edited() ? writeTable(rec.leader, rec.fields, format, flags, what)
    : writeBlock(rec._block(), format, flags, what);
  noteChanges(rec, format, what.changes);
  return bytes;
}

// What writing a record changed to keep the output valid (a MARCXML
// indicator '#' written blank, a byte .mrk cannot hold written '?'...),
// by record and format: a record's diagnostics include the changes of
// its last write in each format, as the CLI reports them, so nothing is
// changed silently.
const changesOf = new WeakMap();

function noteChanges(rec, format, changes) {
  let byFormat = changesOf.get(rec);
  if (!byFormat) {
    if (!changes.length) return;
    changesOf.set(rec, byFormat = new Map());
  }
  if (changes.length) byFormat.set(format, changes);
  else byFormat.delete(format);
}

/** The changes the writers made to `rec` (see noteChanges), in the order
 * of the formats first written. */
export function writeChanges(rec) {
  const byFormat = changesOf.get(rec);
  if (!byFormat || !byFormat.size) return [];
  return [...byFormat.values()].flat();
}

/** A writer of many records in one format: 'iso2709', 'mrk', 'marcxml'
 * (a <collection>), 'json' (an array), 'jsonl' or 'text' (what the build
 * has); `encoding` 'marc8' writes ISO 2709 or MARCMaker in MARC-8 (see
 * marc8Flag). Each call returns the bytes to append:
 *   const w = writer('marcxml'); out.write(w.begin());
 *   for (const r of recs) out.write(w.write(r)); out.write(w.end());
 * As the core's protocol: begin, each record in the collection (not the
 * first after the first: JSON's separator), end. */
export function writer(format = 'iso2709', { declaration = true, encoding = 'utf8' } = {}) {
  const marc8 = marc8Flag(format, encoding);
  // Made before init() too (records() starts the package by itself, and a
  // writer is often made before the first record is read): the build is
  // asked for the format when the package is up, at the latest on the
  // first bytes asked for.
  let checked = false;
  const check = () => {
    if (checked) return;
    requireReady();
    if (!hasWriter(format)) throw new TypeError(`marcato: no '${format}' writer in this build (${writeFormats().join(', ')})`);
    checked = true;
  };
  if (L !== null) check();
  else if (!KNOWN_FORMATS.includes(format)) throw new TypeError(`marcato: no '${format}' writer (${KNOWN_FORMATS.join(', ')})`);
  let n = 0, begun = false, ended = false;
  const api = {
    format,
    encoding,
    /** What goes before the first record (empty for most formats). */
    begin() {
      check();
      if (begun) return new Uint8Array(0);
      begun = true;
      return writeFrame(format, 'begin', { xmlDeclaration: declaration });
    },
    /** One record (with what goes before it: begin() if not called yet,
     * a separator). */
    write(rec) {
      check();
      if (ended) throw new Error('marcato: writer already ended');
      const head = begun ? null : api.begin();
      const body = writeRecord(rec, format, { inCollection: true, notFirst: n > 0, marc8 });
      n++;
      return head ? concatBytes([head, body]) : body;
    },
    /** What goes after the last record. */
    end() {
      check();
      const head = begun ? null : api.begin();
      ended = true;
      const tail = writeFrame(format, 'end');
      return head ? concatBytes([head, tail]) : tail;
    },
    get count() { return n; },
  };
  return api;
}

function concatBytes(parts) {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
