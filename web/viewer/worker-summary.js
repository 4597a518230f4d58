// The worker's summaries of records: what the list shows of each record
// (001, title, type, level, encoding, number of diagnostics), posted to the
// page in batches of typed arrays, and the statistics of the whole file.
import { MSG, send } from './protocol.js';
import { sizeClass, SIZE_CLASSES } from './labels.js';

const TITLE_MAX = 200;
const ID_MAX = 40;

function fieldText(f) {
  if (!f) return '';
  if (f.isControl) return f.value;
  return f.subfields.map((s) => s.value).join(' ');
}

/** A one-line title or heading for the list: 245 (bibliographic), 1XX
 * (authority), 852 or 004 (holdings). */
export function titleOf(rec, kind) {
  let t = '';
  if (kind === 'authority') {
    t = fieldText(rec.get('1XX'));
  } else if (kind === 'holdings') {
    const f = rec.get('852');
    t = f && !f.isControl ? ['b', 'c', 'h', 'i', 'j'].map((c) => f.subfield(c)).filter(Boolean).join(' ') : '';
    if (!t) t = fieldText(rec.get('004'));
  } else {
    const f = rec.get('245');
    if (f && !f.isControl) {
      const parts = [];
      for (const s of f.subfields) if (s.code && 'abfgknps'.includes(s.code)) parts.push(s.value);
      t = parts.join(' ');
    }
  }
  t = t.replace(/\s+/g, ' ').trim();
  return t.length > TITLE_MAX ? t.slice(0, TITLE_MAX - 1) + '…' : t;
}

/** Summaries of consecutive records, posted as one BATCH message. */
export class Batcher {
  constructor(id) {
    this.id = id; // the page's number of the file
    this.reset(0);
  }
  reset(start) {
    this.start = start;
    this.ids = [];
    this.titles = [];
    this.types = [];
    this.levels = [];
    this.encs = [];
    this.ndiag = [];
  }
  /** Add one record; `l09` is the record's own leader/09 as read. */
  add(rec, kind, l09, ndiag) {
    const leader = rec.leader;
    const f1 = rec.get('001');
    this.ids.push(f1 && f1.isControl ? f1.value.trim().slice(0, ID_MAX) : '');
    this.titles.push(titleOf(rec, kind));
    this.types.push((leader[6] ?? ' ').charCodeAt(0) & 0xff);
    this.levels.push((leader[7] ?? ' ').charCodeAt(0) & 0xff);
    this.encs.push(l09.charCodeAt(0) & 0xff);
    this.ndiag.push(Math.min(ndiag, 65535));
  }
  flush() {
    if (!this.ids.length) return;
    const types = Uint8Array.from(this.types), levels = Uint8Array.from(this.levels);
    const encs = Uint8Array.from(this.encs), ndiag = Uint16Array.from(this.ndiag);
    send(self, MSG.BATCH, { id: this.id, start: this.start, ids: this.ids, titles: this.titles, types, levels, encs, ndiag },
      [types.buffer, levels.buffer, encs.buffer, ndiag.buffer]);
    this.reset(this.start + this.ids.length);
  }
}

const bump = (o, k) => { o[k] = (o[k] ?? 0) + 1; };

/** Counts over a file: types, kinds, levels, encodings, tags, diagnostics,
 * size classes. Plain data, posted with DONE. */
export class Stats {
  constructor() {
    this.types = {};
    this.levels = {};
    this.encodings = {};
    this.kinds = {};
    this.tags = {}; // tag -> fields
    this.tagRecords = {}; // tag -> records that have it
    this.diagCodes = {};
    this.recordsWithDiags = 0;
    this.diagnostics = 0;
    this.sizes = new Array(SIZE_CLASSES.length).fill(0);
    this.fields = 0;
  }
  add(rec, kind, l09, diags) {
    const leader = rec.leader;
    bump(this.types, leader[6] ?? ' ');
    bump(this.kinds, kind);
    bump(this.levels, leader[7] ?? ' ');
    bump(this.encodings, l09);
    if (diags.length) {
      this.recordsWithDiags++;
      this.diagnostics += diags.length;
      for (const g of diags) bump(this.diagCodes, g.code);
    }
    this.sizes[sizeClass(Number(leader.slice(0, 5)) || 0)]++;
    const fields = rec.fields;
    const seen = new Set();
    for (const f of fields) {
      bump(this.tags, f.tag);
      seen.add(f.tag);
    }
    this.fields += fields.length;
    for (const t of seen) bump(this.tagRecords, t);
  }
}
