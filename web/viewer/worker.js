// The viewer's module worker: all parsing happens here, through the npm
// package's public API (../src/browser.js), so the page never freezes.
//
// Memory design (100,000+ records, 1 GB files): the worker keeps per
// record only its byte offset (Float64Array) and its diagnostics (only
// records that have some, capped); the page keeps compact summaries (001,
// title, type, diagnostics count). A record is re-read on demand from the
// File by byte range (Blob.slice) when viewed. Queries and exports stream
// the file again. For MARCXML / MARC-in-JSON / .mrk input (no byte ranges
// that a reader can start from), the ISO 2709 bytes of each record are
// kept up to KEEP_BYTES_MAX, past which records are found by streaming.
//
// Messages in: init, open, record, filter, export, cancel.
// Messages out: ready, opened, batch, progress, done, record, filterBatch,
// filterDone, exported, error.
import * as marcato from '../src/browser.js';
import { compileQuery } from './query.js';
import { buildRecord } from './iso2709.js';

const SLICE = 4 << 20; // bytes read from the File per step
const POST_EVERY_MS = 100; // summaries are posted at most this often (after the first)
const DIAG_MAX = 200000; // diagnostics kept in total
const KEEP_BYTES_MAX = 512 << 20;
const TITLE_MAX = 200;

let caps = null; // what the package can do (feature detection)
let readOpts = {}; // options common to every read (MARC-8 conversion...)
let gen = 0; // generation: a new open cancels the running scan
let doc = null; // the open file: {file, format, offsets, count, diags, kept, done}

const post = (m, t) => self.postMessage(m, t || []);

// ------------------------------------------------------------------
// Feature detection
// ------------------------------------------------------------------

const PROBES = {
  marcxml: '<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="http://www.loc.gov/MARC21/slim"><record>' +
    '<leader>00000nam a2200000 a 4500</leader><controlfield tag="001">p1</controlfield>' +
    '<datafield tag="245" ind1="0" ind2="0"><subfield code="a">Probe</subfield></datafield></record></collection>\n',
  json: '{"leader":"00000nam a2200000 a 4500","fields":[{"001":"p1"},{"245":{"ind1":"0","ind2":"0","subfields":[{"a":"Probe"}]}}]}\n',
  mrk: '=LDR  00000nam a2200000 a 4500\n=001  p1\n=245  00$aProbe\n\n',
};

async function readAll(bytes, opts) {
  const out = [];
  for await (const r of marcato.records(bytes, opts)) out.push(r);
  return out;
}

async function detect(wantThreads) {
  const t0 = performance.now();
  const info = await marcato.init();
  // records(source, {threads}) uses the threaded build when the package has
  // one and SharedArrayBuffer is usable (crossOriginIsolated).
  const canThreads = !!(info.threads ?? (typeof marcato.threadsSupported === 'function' && marcato.threadsSupported()));
  const c = {
    version: info.version ?? '',
    writers: info.formats ?? [],
    threads: canThreads && !!wantThreads,
    threadsAvailable: canThreads,
    threadsRequested: !!wantThreads,
    crossOriginIsolated: !!self.crossOriginIsolated,
    readers: Array.isArray(info.inputs) ? [...info.inputs] : ['iso2709'],
    marc8: !!info.marc8,
    marc8Option: null,
    query: typeof marcato.compileQuery === 'function' ? 'package' : 'viewer (JS port of marc_query)',
    validate: false,
    initMs: 0,
  };
  const enc = new TextEncoder();
  for (const [fmt, text] of Array.isArray(info.inputs) ? [] : Object.entries(PROBES)) {
    try {
      const recs = await readAll(enc.encode(text), { format: fmt });
      if (recs.length === 1 && recs[0].subfield('245', 'a') === 'Probe' && !recs[0].diagnostics.length) c.readers.push(fmt);
    } catch { /* not supported */ }
  }
  // MARC-8: 245$a "Caf" + ANSEL combining acute (0xE2) + "e" must read as "Café".
  const m8 = buildRecord('00000nam  2200000 a 4500', [['001', 'p1'],
    ['245', '00', [['a', Uint8Array.of(0x43, 0x61, 0x66, 0xe2, 0x65)]]]]);
  for (const cand of c.marc8 ? [] : [{}, { encoding: 'auto' }]) {
    try {
      const recs = await readAll(m8, cand);
      const t = recs[0]?.subfield('245', 'a') ?? '';
      if (t.normalize('NFC') === 'Caf\u00e9') {
        c.marc8 = true;
        c.marc8Option = cand;
        break;
      }
    } catch { /* try the next spelling */ }
  }
  if (typeof marcato.validate === 'function' || info.validate) c.validate = true;
  c.initMs = Math.round(performance.now() - t0);
  return c;
}

// ------------------------------------------------------------------
// Reading
// ------------------------------------------------------------------

function sniff(head, name) {
  const ext = (name.match(/\.([a-z0-9]+)$/i)?.[1] ?? '').toLowerCase();
  let i = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3; // BOM
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  const c = head[i];
  if (c === 0x3c) return 'marcxml'; // <
  if (c === 0x7b || c === 0x5b) return 'json'; // { [
  if (c === 0x3d && head[i + 1] === 0x4c) return 'mrk'; // =L(DR)
  let digits = 0;
  while (digits < 5 && head[i + digits] >= 0x30 && head[i + digits] <= 0x39) digits++;
  if (digits === 5) return 'iso2709';
  if (ext === 'xml') return 'marcxml';
  if (ext === 'json' || ext === 'jsonl' || ext === 'ndjson') return 'json';
  if (ext === 'mrk' || ext === 'txt') return 'mrk';
  return 'iso2709';
}

// The File in big slices, two reads in flight; `onBytes` sees progress.
async function* fileChunks(file, start, end, onBytes, window) {
  let pos = start;
  let next = pos < end ? file.slice(pos, Math.min(end, pos + SLICE)).arrayBuffer() : null;
  while (next) {
    const buf = new Uint8Array(await next);
    pos += buf.length;
    next = pos < end ? file.slice(pos, Math.min(end, pos + SLICE)).arrayBuffer() : null;
    if (onBytes) onBytes(pos);
    if (window) {
      window.push({ start: pos - buf.length, buf });
      if (window.length > 8) window.shift();
    }
    if (buf.length) yield buf;
  }
}

function optsFor(format) {
  const o = { ...readOpts, batchSize: 512, format };
  if (format === 'iso2709' && caps.threads) o.threads = true;
  return o;
}

// Records of bytes already in memory (one record re-read): always ISO 2709.
const syncOpts = () => ({ ...readOpts, format: 'iso2709' });

function fieldText(f) {
  if (!f) return '';
  if (f.isControl) return f.value;
  return f.subfields.map((s) => s.value).join(' ');
}

function titleOf(rec, kind) {
  let t = '';
  if (kind === 'authority') {
    const h = rec.get('1XX');
    t = h ? fieldText(h) : '';
  } else if (kind === 'holdings') {
    const f = rec.get('852');
    t = f ? ['b', 'c', 'h', 'i', 'j'].map((c) => f.subfield(c)).filter(Boolean).join(' ') : '';
    if (!t) t = fieldText(rec.get('004'));
  } else {
    const f = rec.get('245');
    if (f && !f.isControl) {
      const parts = [];
      for (const s of f.subfields) if ('abfgknps'.includes(s.code) && s.code) parts.push(s.value);
      t = parts.join(' ');
    }
  }
  t = t.replace(/\s+/g, ' ').trim();
  return t.length > TITLE_MAX ? t.slice(0, TITLE_MAX - 1) + '…' : t;
}

function kindOf(type) {
  if (type === 'z') return 'authority';
  if ('uvxy'.includes(type) && type) return 'holdings';
  if (type === 'w') return 'classification';
  if (type === 'q') return 'community';
  return 'bibliographic';
}

class Batcher {
  constructor(start) { this.reset(start); }
  reset(start) {
    this.start = start;
    this.ids = [];
    this.titles = [];
    this.types = [];
    this.levels = [];
    this.encs = [];
    this.ndiag = [];
  }
  get length() { return this.ids.length; }
  flush() {
    if (!this.ids.length) return;
    const types = Uint8Array.from(this.types), levels = Uint8Array.from(this.levels);
    const encs = Uint8Array.from(this.encs), ndiag = Uint16Array.from(this.ndiag);
    post({ type: 'batch', start: this.start, ids: this.ids, titles: this.titles, types, levels, encs, ndiag },
      [types.buffer, levels.buffer, encs.buffer, ndiag.buffer]);
    this.reset(this.start + this.ids.length);
  }
}

function newStats() {
  return {
    types: {}, levels: {}, encodings: {}, kinds: {}, tags: {}, tagRecords: {}, diagCodes: {},
    recordsWithDiags: 0, diagnostics: 0, sizes: new Array(8).fill(0), fields: 0,
  };
}
const SIZE_EDGES = [500, 1000, 2000, 4000, 8000, 16000, 32000];

async function open(file, formatWanted, id) {
  const my = ++gen;
  const t0 = performance.now();
  const head = new Uint8Array(await file.slice(0, 64).arrayBuffer());
  const format = formatWanted && formatWanted !== 'auto' ? formatWanted : sniff(head, file.name ?? '');
  post({ type: 'opened', id, format, size: file.size, name: file.name ?? '' });
  if (!caps.readers.includes(format)) {
    post({ type: 'error', id, fatal: true, message: `This build of the marcato package cannot read ${LABEL[format] ?? format} yet (it reads: ${caps.readers.map((f) => LABEL[f] ?? f).join(', ')}). Convert the file to ISO 2709 (marcato convert) or update the package.` });
    return;
  }
  doc = {
    id, file, format, count: 0, done: false, offsets: new Float64Array(1024),
    diags: new Map(), diagKept: 0, kept: format === 'iso2709' ? null : [], keptBytes: 0, size: file.size,
  };
  const d = doc;
  const stats = newStats();
  const batcher = new Batcher(0);
  let bytesRead = 0, lastPost = 0, firstMs = -1, lastProgress = 0;
  try {
    // The last chunks read, to see each record's own leader/09 (the package
    // converts MARC-8 to UTF-8 and sets leader/09 to 'a').
    const window = format === 'iso2709' ? [] : null;
    const rawByte = (at) => {
      for (let k = window.length - 1; k >= 0; k--) {
        const w = window[k];
        if (at >= w.start && at < w.start + w.buf.length) return w.buf[at - w.start];
      }
      return -1;
    };
    const chunks = fileChunks(file, 0, file.size, (n) => { bytesRead = n; }, window);
    for await (const batch of marcato.batches(chunks, optsFor(format))) {
      if (my !== gen) return; // superseded: leaving the loop frees the reader
      for (const rec of batch) {
        const i = d.count++;
        if (i >= d.offsets.length) {
          const grown = new Float64Array(d.offsets.length * 2);
          grown.set(d.offsets);
          d.offsets = grown;
        }
        d.offsets[i] = rec.offset;
        if (d.kept) {
          if (d.keptBytes < KEEP_BYTES_MAX) {
            const b = rec.bytes.slice();
            d.kept.push(b);
            d.keptBytes += b.length;
          } else d.kept.push(null);
        }
        const leader = rec.leader;
        const type = leader[6] ?? ' ';
        const kind = kindOf(type);
        const diags = rec.diagnostics;
        if (diags.length) {
          stats.recordsWithDiags++;
          stats.diagnostics += diags.length;
          for (const g of diags) stats.diagCodes[g.code] = (stats.diagCodes[g.code] ?? 0) + 1;
          if (d.diagKept < DIAG_MAX) {
            d.diags.set(i, diags);
            d.diagKept += diags.length;
          }
        }
        const f1 = rec.get('001');
        batcher.ids.push(f1 && f1.isControl ? f1.value.trim().slice(0, 40) : '');
        batcher.titles.push(titleOf(rec, kind));
        batcher.types.push(type.charCodeAt(0) & 0xff);
        batcher.levels.push((leader[7] ?? ' ').charCodeAt(0) & 0xff);
        const rb = window ? rawByte(rec.offset + 9) : -1;
        const e = rb >= 0 ? String.fromCharCode(rb) : (leader[9] ?? ' ');
        batcher.encs.push(e.charCodeAt(0) & 0xff);
        batcher.ndiag.push(Math.min(diags.length, 65535));
        stats.types[type] = (stats.types[type] ?? 0) + 1;
        stats.kinds[kind] = (stats.kinds[kind] ?? 0) + 1;
        const lv = leader[7] ?? ' ';
        stats.levels[lv] = (stats.levels[lv] ?? 0) + 1;
        stats.encodings[e] = (stats.encodings[e] ?? 0) + 1;
        const size = Number(leader.slice(0, 5)) || 0;
        let b = 0;
        while (b < SIZE_EDGES.length && size >= SIZE_EDGES[b]) b++;
        stats.sizes[b]++;
        const seen = new Set();
        for (const f of rec.fields) {
          stats.tags[f.tag] = (stats.tags[f.tag] ?? 0) + 1;
          seen.add(f.tag);
        }
        stats.fields += rec.fields.length;
        for (const t of seen) stats.tagRecords[t] = (stats.tagRecords[t] ?? 0) + 1;
      }
      const now = performance.now();
      if (firstMs < 0 && d.count) {
        firstMs = now - t0;
        batcher.flush();
        post({ type: 'progress', id, bytes: bytesRead, size: file.size, records: d.count, ms: now - t0, firstMs });
        lastPost = lastProgress = now;
        await new Promise((r) => setTimeout(r, 0)); // let the page see the first records now
      } else if (now - lastPost >= POST_EVERY_MS) {
        batcher.flush();
        lastPost = now;
        if (now - lastProgress >= POST_EVERY_MS) {
          post({ type: 'progress', id, bytes: bytesRead, size: file.size, records: d.count, ms: now - t0, firstMs });
          lastProgress = now;
        }
      }
    }
  } catch (e) {
    if (my !== gen) return;
    batcher.flush();
    post({ type: 'error', id, fatal: false, message: `Reading stopped at record ${d.count + 1}: ${e.message}` });
  }
  if (my !== gen) return;
  batcher.flush();
  d.done = true;
  const ms = performance.now() - t0;
  const threadsUsed = format === 'iso2709' && caps.threads && !(typeof marcato.threadsError === 'function' && marcato.threadsError());
  post({ type: 'done', id, records: d.count, bytes: file.size, ms, firstMs, stats, format, threadsUsed });
}

const LABEL = { iso2709: 'ISO 2709', marcxml: 'MARCXML', json: 'MARC-in-JSON', mrk: 'MARCMaker (.mrk)' };

// One record by index, re-read from the file (or from the kept bytes).
async function readOne(d, index) {
  if (d.format === 'iso2709') {
    const start = d.offsets[index];
    // Up to the next record, or (the last one known so far) the largest
    // record ISO 2709 can describe.
    const end = index + 1 < d.count ? d.offsets[index + 1] : Math.min(d.size, start + 100000);
    const raw = new Uint8Array(await d.file.slice(start, end).arrayBuffer());
    const recs = marcato.recordsSync(raw, syncOpts());
    const first = recs.next();
    recs.return();
    return { rec: first.done ? null : first.value, raw, start };
  }
  const kept = d.kept?.[index];
  if (kept) {
    const r = marcato.recordsSync(kept, syncOpts()).next();
    return { rec: r.done ? null : r.value, raw: kept, start: d.offsets[index] };
  }
  let i = 0;
  for await (const rec of marcato.records(fileChunks(d.file, 0, d.size), optsFor(d.format))) {
    if (i++ === index) return { rec, raw: rec.bytes.slice(), start: rec.offset };
  }
  return { rec: null, raw: new Uint8Array(0), start: 0 };
}

function recordView(d, index, rec, raw, start) {
  const v = {
    index, offset: start, length: raw.length, format: d.format, raw,
    diagnostics: d.diags.get(index) ?? [],
    leader: '', fields: [], mrk: '', xml: '', json: '', errors: [],
  };
  if (!rec) {
    v.errors.push('The record could not be read again from its bytes.');
    return v;
  }
  v.leader = rec.leader;
  for (const f of rec.fields) {
    if (f.isControl) v.fields.push({ tag: f.tag, control: true, value: f.value });
    else v.fields.push({ tag: f.tag, control: false, ind1: f.ind1, ind2: f.ind2, subfields: f.subfields.map((s) => [s.code, s.value]) });
  }
  try { v.mrk = rec.toMRK(); } catch (e) { v.errors.push(`MRK: ${e.message}`); }
  try { v.xml = rec.toMARCXML ? rec.toMARCXML() : ''; } catch (e) { v.errors.push(`MARCXML: ${e.message}`); }
  try { v.json = JSON.stringify(rec.toJSON(), null, 2); } catch (e) { v.errors.push(`JSON: ${e.message}`); }
  return v;
}

async function getRecord(reqId, index) {
  const d = doc;
  if (!d || index < 0 || index >= d.count) {
    post({ type: 'record', reqId, error: 'no such record' });
    return;
  }
  try {
    const { rec, raw, start } = await readOne(d, index);
    const v = recordView(d, index, rec, raw, start);
    post({ type: 'record', reqId, view: v });
  } catch (e) {
    post({ type: 'record', reqId, error: e.message });
  }
}

// Stream every record again: fn(rec, index) for each; stops on cancel.
async function scanAll(d, fn, onProgress, token) {
  let i = 0, bytes = 0, last = 0;
  for await (const batch of marcato.batches(fileChunks(d.file, 0, d.size, (n) => { bytes = n; }), optsFor(d.format))) {
    if (token.cancelled || d !== doc) return false;
    for (const rec of batch) fn(rec, i++);
    const now = performance.now();
    if (onProgress && now - last > 100) {
      onProgress(i, bytes);
      last = now;
    }
  }
  return true;
}

let filterToken = { cancelled: false };

async function filter(reqId, text, diagOnly) {
  filterToken.cancelled = true;
  const token = filterToken = { cancelled: false };
  const d = doc;
  if (!d) return;
  let q;
  try {
    q = compileQuery(text);
  } catch (e) {
    post({ type: 'filterDone', reqId, error: e.message });
    return;
  }
  const t0 = performance.now();
  let buf = [];
  let total = 0;
  const flush = () => {
    if (!buf.length) return;
    const a = Uint32Array.from(buf);
    total += a.length;
    post({ type: 'filterBatch', reqId, indices: a }, [a.buffer]);
    buf = [];
  };
  try {
    const ok = await scanAll(d, (rec, i) => {
      if (diagOnly && !d.diags.has(i) && !rec.diagnostics.length) return;
      if (q.match(rec)) buf.push(i);
    }, (n, bytes) => {
      flush();
      post({ type: 'filterProgress', reqId, scanned: n, bytes, size: d.size });
    }, token);
    if (!ok) return;
    flush();
    post({ type: 'filterDone', reqId, count: total, ms: performance.now() - t0 });
  } catch (e) {
    flush();
    post({ type: 'filterDone', reqId, count: total, error: e.message });
  }
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="http://www.loc.gov/MARC21/slim">\n';

async function exportRecords(reqId, format, indices) {
  const d = doc;
  if (!d) return;
  const t0 = performance.now();
  const enc = new TextEncoder();
  const parts = [];
  let n = 0, failed = 0, firstError = '';
  if (format === 'marcxml') parts.push(XML_HEAD);
  if (format === 'json') parts.push('[\n');
  const w = typeof marcato.writer === 'function' ? marcato.writer(format) : null;
  if (w) parts.length = 0;
  const add = (rec) => {
    try {
      let p;
      if (w) p = w.write(rec);
      else if (format === 'iso2709') p = rec.toISO2709();
      else if (format === 'mrk') p = rec.toMRK();
      else if (format === 'marcxml') p = rec.toMARCXML() + '\n';
      else if (format === 'json') p = (n ? ',\n' : '') + JSON.stringify(rec.toJSON());
      parts.push(p);
      n++;
    } catch (e) {
      failed++;
      if (!firstError) firstError = `record ${rec.index + 1}: ${e.message}`;
    }
  };
  try {
    if (format === 'marcxml' && !marcato.Record.prototype.toMARCXML) throw new Error('this build of the package has no MARCXML writer');
    if (indices && (indices.length <= 5000 || d.format !== 'iso2709') && (d.format === 'iso2709' || d.kept)) {
      for (const i of indices) {
        const { rec } = await readOne(d, i);
        if (rec) add(rec);
        else failed++;
      }
    } else {
      let want = null;
      if (indices) {
        want = new Uint8Array(d.count);
        for (const i of indices) want[i] = 1;
      }
      await scanAll(d, (rec, i) => { if (!want || want[i]) add(rec); }, (i, bytes) => {
        post({ type: 'exportProgress', reqId, scanned: i, bytes, size: d.size });
      }, { cancelled: false });
    }
  } catch (e) {
    post({ type: 'exported', reqId, error: e.message });
    return;
  }
  if (w) {
    if (!n) parts.push(w.begin());
    parts.push(w.end());
  } else {
    if (format === 'marcxml') parts.push('</collection>\n');
    if (format === 'json') parts.push('\n]\n');
  }
  const type = { iso2709: 'application/marc', mrk: 'text/plain;charset=utf-8', marcxml: 'application/marcxml+xml', json: 'application/json' }[format];
  const blob = new Blob(parts.map((p) => (typeof p === 'string' ? enc.encode(p) : p)), { type });
  post({ type: 'exported', reqId, blob, count: n, failed, firstError, ms: performance.now() - t0 });
}

self.onmessage = async (ev) => {
  const m = ev.data;
  try {
    switch (m.type) {
      case 'init':
        caps = await detect(m.threads);
        readOpts = caps.marc8Option ? { ...caps.marc8Option } : {};
        post({ type: 'ready', caps });
        break;
      case 'open':
        filterToken.cancelled = true;
        await open(m.file, m.format, m.id);
        break;
      case 'record':
        await getRecord(m.reqId, m.index);
        break;
      case 'filter':
        await filter(m.reqId, m.query, m.diagOnly);
        break;
      case 'cancelFilter':
        filterToken.cancelled = true;
        break;
      case 'export':
        await exportRecords(m.reqId, m.format, m.indices ?? null);
        break;
      default:
        break;
    }
  } catch (e) {
    post({ type: 'error', fatal: m.type === 'init', message: e && e.message ? e.message : String(e) });
  }
};
