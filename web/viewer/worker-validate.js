// The worker's side of validation: records checked against the MARC 21
// Avram schema of their type by the package (validate(), records({validate}))
// as `marcato validate` checks them. Here: the problems of the record shown,
// placed at the field and subfield they concern; the report of the whole
// file as `marcato validate --summary` gives it, with the records of each
// problem for the list's filter; the records with problems as their raw
// bytes (`--reject`); and the schemas' labels for the page's names.
import * as marcato from '../src/browser.js';
import { MSG, send } from './protocol.js';
import { current, scanAll } from './worker-read.js';

// The CLI validates bytes as read; the package's charset conversion adds
// problems of its own (MARC-8, invalid UTF-8), which the report leaves out.
const isCharset = (d) => d.code === 'ENCODING_MISLABELED' || d.code === 'UTF8_INVALID' || d.code.startsWith('MARC8_');
const SCAN = { validate: true };
// Reader diagnostics after which a record gets no schema findings
// (marc_record_damaged): its schema is reported as "none".
const DAMAGED = new Set(['LEADER_SHORT', 'DIRECTORY_TERMINATOR', 'DIRECTORY_LENGTH', 'ENTRY_NOT_NUMERIC',
  'ENTRY_OUT_OF_RANGE', 'FIELD_LOST', 'TRUNCATED', 'RECORD_OVERSIZE']);
// Structure codes of the leader carry no tag; the report says "LDR".
const LEADER_CODES = new Set(['LEADER_VALUE', 'INDICATOR_COUNT', 'SUBFIELD_CODE_COUNT']);
const INDICES_MAX = 4_000_000; // record numbers kept for the problem filter, in all

const isRule = (code) => code[0] >= 'a' && code[0] <= 'z'; // Avram rules are camelCase

/** Can this build check records against schemas? */
export const haveSchemas = async () => (await marcato.init()).schemas.length > 0;

// ------------------------------------------------------------------
// Labels: field, indicator and subfield names and code meanings
// ------------------------------------------------------------------

const codeLabel = (v) => (typeof v === 'string' ? v : v?.label ?? '');
function codesOf(codes) {
  const out = {};
  if (Array.isArray(codes)) return out;
  for (const [k, v] of Object.entries(codes ?? {})) out[k] = codeLabel(v);
  return out;
}

/** The labels of the built-in schemas, by kind of record: {kind: {tag:
 * {label, ind: [{label, codes}, {label, codes}], sub: {code: label}}}}. */
export async function schemaLabels() {
  if (!await haveSchemas()) return { labels: null };
  const labels = {};
  for (const kind of ['bibliographic', 'authority', 'holdings']) {
    const fields = marcato.loadSchema(kind).definition.fields ?? {};
    const out = labels[kind] = {};
    for (const [id, f] of Object.entries(fields)) {
      const tag = f.tag ?? id;
      if (out[tag]) continue; // the first definition of a tag names it
      const sub = {};
      for (const [code, s] of Object.entries(f.subfields ?? {})) if (s.label) sub[code] = s.label;
      const ind = [f.indicator1, f.indicator2].map((i) => (i ? { label: i.label ?? '', codes: codesOf(i.codes) } : null));
      out[tag] = { label: f.label ?? '', ind, sub };
    }
  }
  return { labels };
}

// ------------------------------------------------------------------
// The problems of one record, placed
// ------------------------------------------------------------------

// Where each field's bytes are in an ISO 2709 record: [{tag, start, end}]
// from its directory (start: the indicators or the value).
function fieldRanges(raw) {
  const out = [];
  if (raw.length < 24) return out;
  const base = Number(String.fromCharCode(...raw.subarray(12, 17)));
  for (let at = 24; at + 12 <= raw.length && raw[at] !== 0x1e; at += 12) {
    const entry = String.fromCharCode(...raw.subarray(at, at + 12));
    const start = base + Number(entry.slice(7, 12)), len = Number(entry.slice(3, 7));
    out.push({ tag: entry.slice(0, 3), start, end: start + len });
  }
  return out;
}

/** The problems `marcato validate` finds in a record (its ISO 2709 bytes
 * `raw`, at byte `base` of the file) beyond the diagnostics of reading
 * (`read`), each with where it shows: `field` (index in the record's
 * fields; -1 the leader, -2 the record as a whole) and `sub` (index in
 * that field's subfields, or -1); `offset` is in the file. */
export function problemsOf(raw, base, read) {
  const fields = fieldRanges(raw);
  const out = [];
  const known = new Set(read.map((d) => `${d.code} ${d.offset}`));
  // Validated while read: before any charset conversion rebuilds the
  // record, so the problems' offsets are where they are in `raw`.
  const it = marcato.recordsSync(raw, { format: 'iso2709', validate: true, maxDiagnostics: 100000 });
  const rec = it.next().value;
  it.return();
  if (!rec) return out;
  for (const d of rec.diagnostics) {
    if (isCharset(d) || known.has(`${d.code} ${d.offset + base}`)) continue;
    const p = { code: d.code, message: d.message, tag: d.tag, offset: d.offset + base, label: d.label ?? '',
      subfield: d.subfield ?? '', indicator: d.indicator ?? 0, position: d.position ?? '', schema: isRule(d.code), field: -2, sub: -1 };
    if (d.tag === 'LDR' || (!d.tag && LEADER_CODES.has(d.code))) p.field = -1;
    else if (d.tag) {
      let i = fields.findIndex((f) => f.tag === d.tag && d.offset >= f.start && d.offset <= f.end);
      if (i < 0) i = fields.findIndex((f) => f.tag === d.tag);
      p.field = i;
      if (i >= 0 && (d.subfield !== undefined || d.code === 'SUBFIELD_CODE')) {
        const f = fields[i];
        let k = -1;
        for (let b = f.start; b <= d.offset && b < raw.length; b++) if (raw[b] === 0x1f) k++;
        // Text before the first delimiter is a subfield of its own ('').
        const dataAt = f.start + (f.tag < '010' ? 0 : 2);
        if (raw[dataAt] !== 0x1f && f.end > dataAt + 1) k++;
        p.sub = k;
      }
    }
    out.push(p);
  }
  return out;
}

// ------------------------------------------------------------------
// The file's report (validate --summary) and the records of a problem
// ------------------------------------------------------------------

const SCHEMA_NAMES = { bibliographic: 'MARC 21 bibliographic', authority: 'MARC 21 authority (partial rule pack)',
  holdings: 'MARC 21 holdings (partial rule pack)' };
function schemaOfType(t) {
  if (t && 'acdefgijkmoprt'.includes(t)) return SCHEMA_NAMES.bibliographic;
  if (t === 'z') return SCHEMA_NAMES.authority;
  if (t && 'uvxy'.includes(t)) return SCHEMA_NAMES.holdings;
  return 'none';
}

// "008/18-21", "245$a", "245 ind1", "LDR", "-", as the CLI writes them.
function whereOf(d) {
  if (!d.tag) return LEADER_CODES.has(d.code) ? 'LDR' : '-';
  if (d.subfield) return `${d.tag}$${d.subfield > ' ' && d.subfield < '\x7f' ? d.subfield : '?'}`;
  if (d.indicator) return `${d.tag} ind${d.indicator}`;
  if (d.position) return `${d.tag}/${d.position}`;
  return d.tag;
}

class Report {
  constructor() {
    this.records = 0;
    this.withProblems = 0;
    this.schemas = {};
    this.rules = {}; // rule -> {problems, records}
    this.entries = new Map(); // key -> entry
    this.kept = 0;
  }
  add(rec) {
    const ds = rec.diagnostics.filter((d) => !isCharset(d));
    const i = rec.index;
    this.records++;
    const damaged = ds.some((d) => DAMAGED.has(d.code));
    const schema = damaged ? 'none' : schemaOfType(rec.leader[6]);
    this.schemas[schema] = (this.schemas[schema] ?? 0) + 1;
    if (!ds.length) return;
    this.withProblems++;
    const seenRules = new Set();
    for (const d of ds) {
      const rule = d.code, schemaRule = isRule(rule);
      // Structure codes count by code and tag; schema rules also by
      // subfield, indicator and positions (and the definition: its label).
      const where = schemaRule ? whereOf(d) : whereOf({ code: d.code, tag: d.tag });
      const label = schemaRule ? d.label ?? '' : '';
      // Positions of different typed definitions (008/22 of books and of
      // continuing resources) are different problems.
      // Codes the report shows as '?' are told apart by their byte.
      const key = `${rule}\u0000${where}\u0000${schemaRule && d.position ? d.type ?? '' : ''}\u0000${schemaRule ? d.subfield ?? '' : ''}`;
      let e = this.entries.get(key);
      if (!e) this.entries.set(key, (e = { rule, where, tag: d.tag || '-', label, count: 0, records: 0, examples: [], indices: [], last: -1 }));
      e.count++;
      if (e.last !== i) {
        e.last = i;
        e.records++;
        if (e.examples.length < 3) e.examples.push(i + 1);
        if (this.kept < INDICES_MAX) { e.indices.push(i); this.kept++; }
      }
      const r = this.rules[rule] ?? (this.rules[rule] = { problems: 0, records: 0 });
      r.problems++;
      if (!seenRules.has(rule)) { seenRules.add(rule); r.records++; }
    }
  }
  // What the page shows: as `validate --summary -t json` (problems sorted
  // by count, with keys to ask for their records).
  summary() {
    const tags = {};
    const problems = [...this.entries.entries()].map(([key, e]) => {
      tags[e.tag] = (tags[e.tag] ?? 0) + e.count;
      const p = { key, rule: e.rule, where: e.where, count: e.count, records: e.records, examples: e.examples, complete: e.indices.length === e.records };
      if (e.label) p.label = e.label;
      return p;
    }).sort((a, b) => b.count - a.count || a.examples[0] - b.examples[0] || (a.key < b.key ? -1 : 1));
    const tagList = Object.entries(tags).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return { records: this.records, with_problems: this.withProblems, schemas: this.schemas, rules: this.rules, tags: tagList, problems };
  }
}

let report = null; // {doc, entries} of the last report
let token = { cancelled: false };

/** Check every record of the open file; posts VALIDATE_PROGRESS, returns
 * {summary} (or {error}). */
export async function validationReport(reqId) {
  const d = current();
  if (!d || !d.done) return { error: 'The file has not been read yet.' };
  if (!await haveSchemas()) return { error: 'This build of the marcato package has no schema validation (it was built without cJSON).' };
  token.cancelled = true;
  const my = token = { cancelled: false };
  const r = new Report();
  const t0 = performance.now();
  const progress = (scanned, bytes) => send(self, MSG.VALIDATE_PROGRESS, { reqId, scanned, bytes, size: d.size });
  const ok = await scanAll(d, (batch) => { for (const rec of batch) r.add(rec); }, progress, my, SCAN);
  if (!ok) return { error: 'Validation stopped.' };
  report = { doc: d, entries: r.entries };
  return { summary: r.summary(), ms: performance.now() - t0 };
}

/** The record numbers (0-based, ascending) with the problem `key` of the
 * last report. */
export function problemRecords(key) {
  const e = report && report.doc === current() ? report.entries.get(key) : null;
  if (!e) return { error: 'Check the file again: this report is not about the open file.' };
  return { indices: Uint32Array.from(e.indices), complete: e.indices.length === e.records };
}

/** The records with problems as `marcato validate --reject` writes them:
 * their bytes as read, in a Blob. */
export async function rejectedRecords(reqId) {
  const d = current();
  if (!d || !d.done) return { error: 'The file has not been read yet.' };
  const parts = [];
  let count = 0;
  const progress = (scanned, bytes) => send(self, MSG.VALIDATE_PROGRESS, { reqId, scanned, bytes, size: d.size });
  const ok = await scanAll(d, (batch) => {
    for (const rec of batch) {
      if (!rec.diagnostics.some((x) => !isCharset(x))) continue;
      // ISO 2709: the file's own bytes (a slice of the File, not copied);
      // records of the text formats as the ISO 2709 the package writes.
      parts.push(d.format === 'iso2709' ? d.file.slice(rec.offset, rec.offset + rec.rawLength) : rec.bytes.slice());
      count++;
    }
  }, progress, { cancelled: false }, SCAN);
  if (!ok) return { error: 'Export stopped.' };
  return { blob: new Blob(parts, { type: 'application/marc' }), count };
}
