// The glue's newer exports from Node, on the single-threaded module that
// web/build.sh copies to web/dist: sniffing, query compile errors, a
// reader's query filter and validation, matching and validating one
// record, a MARCspec's values in one record, and writing a record JS
// gives as a field table.
//   bash web/build.sh && node --test wasm/module/
// Every offset and number comes from marc__wasm_layout(), as the package
// takes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = `${root}web/dist/`;
const have = existsSync(`${dist}marcato.mjs`);
const skip = have ? false : 'no web/dist: run web/build.sh';

let M, L;
const u8 = () => new Uint8Array(M.HEAPU8.buffer);
const u32 = () => new Uint32Array(M.HEAPU8.buffer);
const i32 = () => new Int32Array(M.HEAPU8.buffer);
const enc = new TextEncoder();
const dec = new TextDecoder();
const cstr = (p) => { const h = u8(); let e = p; while (h[e]) e++; return dec.decode(h.subarray(p, e)); };

async function load() {
  if (M) return;
  const mod = await import(`${dist}marcato.mjs`);
  M = await mod.default({ wasmBinary: readFileSync(`${dist}marcato.wasm`) });
  L = JSON.parse(cstr(M._marc__wasm_layout()));
}

// Bytes into glue-owned memory (freed by the caller).
function put(bytes) {
  const p = M._marc__wasm_alloc(bytes.length);
  u8().set(bytes, p);
  return p;
}

function compile(text) {
  const b = enc.encode(text);
  const p = put(b);
  const q = M._marc__wasm_query_compile(p, b.length);
  M._marc__wasm_free(p);
  const Q = L.query;
  return {
    q,
    status: i32()[(q + Q.status) >> 2],
    position: u32()[(q + Q.position) >> 2],
    message: cstr(q + Q.message),
  };
}

// Every record block of a whole input, read in one chunk: [block bytes,
// record text, ndiags].
function readAll(bytes, format, setup = () => {}) {
  const h = M._marc__wasm_reader_new(0, 0, 0, format, -1, 0);
  assert.ok(h, 'reader');
  setup(h);
  const p = M._marc__wasm_reader_buffer(h, bytes.length);
  u8().set(bytes, p);
  assert.equal(M._marc__wasm_reader_commit(h, bytes.length), L.status.OK);
  const out = [];
  const drain = () => {
    for (;;) {
      const b = M._marc__wasm_next_batch(h, 100, 1 << 20);
      const B = L.batch, R = L.rec;
      const status = i32()[(b + B.status) >> 2];
      const count = u32()[(b + B.count) >> 2];
      let at = b + u32()[(b + B.first) >> 2];
      const text = b + u32()[(b + B.text) >> 2];
      for (let i = 0; i < count; i++) {
        const size = u32()[(at + R.size) >> 2];
        const flags = u32()[(at + R.flags) >> 2];
        const toff = u32()[(at + R.text_off) >> 2], tlen = u32()[(at + R.text_len) >> 2];
        const t0 = flags & L.recFlags.textInBytes ? at + u32()[(at + R.bytes) >> 2] + toff : text + toff;
        out.push({ block: u8().slice(at, at + size), text: dec.decode(u8().subarray(t0, t0 + tlen)), ndiags: u32()[(at + R.ndiags) >> 2] });
        at += size;
      }
      if (status !== L.status.OK) return status;
    }
  };
  drain();
  M._marc__wasm_reader_finish(h);
  assert.equal(drain(), L.status.END);
  M._marc__wasm_reader_free(h);
  return out;
}

// The fields of a block as JS sees them: tag, indicators, value or
// subfields [code, value].
function fieldsOf({ block, text }) {
  const v = new DataView(block.buffer);
  const R = L.rec, F = L.field, S = L.sub;
  const nf = v.getUint32(R.nfields, true), fo = v.getUint32(R.fields, true), so = v.getUint32(R.subs, true);
  const fields = [];
  for (let i = 0; i < nf; i++) {
    const f = fo + i * F.sizeof;
    const tag = dec.decode(block.subarray(f + F.tag, f + F.tag + 3));
    const control = block[f + F.control];
    if (control) {
      fields.push({ tag, value: text.substr(v.getUint32(f + F.soff, true), v.getUint32(f + F.slen, true)) });
      continue;
    }
    const subs = [];
    const s0 = v.getUint32(f + F.sub, true), ns = v.getUint32(f + F.nsub, true);
    for (let k = s0; k < s0 + ns; k++) {
      const s = so + k * S.sizeof;
      const code = v.getUint32(s + S.code, true), at = v.getUint32(s + S.at, true), len = v.getUint32(s + S.len, true);
      const w = code === 0 ? 0 : code > 0xffff ? 2 : 1;
      subs.push([code ? String.fromCodePoint(code) : '', text.substr(at + w, len)]);
    }
    fields.push({ tag, ind1: String.fromCharCode(block[f + F.ind1]), ind2: String.fromCharCode(block[f + F.ind2]), subs });
  }
  return fields;
}

// A record as a field table (the calling convention of
// marc__wasm_write_table), into the writer's input area.
function putTable(w, leader, fields) {
  const T = L.table, TF = L.tfield, TS = L.tsub;
  const data = [];
  let dlen = 0;
  const value = (s) => { const b = enc.encode(s); data.push(b); const off = dlen; dlen += b.length; return [off, b.length]; };
  const tf = [], ts = [];
  for (const f of fields) {
    if (f.value !== undefined) { tf.push({ tag: f.tag, ind1: 32, ind2: 32, sub: 0, nsub: 0, v: value(f.value) }); continue; }
    tf.push({ tag: f.tag, ind1: f.ind1.charCodeAt(0), ind2: f.ind2.charCodeAt(0), sub: ts.length, nsub: f.subs.length, v: [0, 0] });
    for (const [code, val] of f.subs) ts.push({ code: code ? code.codePointAt(0) : 0, v: value(val) });
  }
  const at4 = (n) => (n + 3) & ~3;
  const fieldsAt = at4(T.sizeof), subsAt = fieldsAt + tf.length * TF.sizeof, dataAt = subsAt + ts.length * TS.sizeof;
  const n = dataAt + dlen;
  const p = M._marc__wasm_writer_input(w, n);
  const h = u8(), v = new DataView(h.buffer);
  h.fill(0, p, p + dataAt);
  h.set(enc.encode(leader), p + T.leader);
  v.setUint32(p + T.nfields, tf.length, true); v.setUint32(p + T.fields, fieldsAt, true);
  v.setUint32(p + T.nsubs, ts.length, true); v.setUint32(p + T.subs, subsAt, true);
  v.setUint32(p + T.data, dataAt, true); v.setUint32(p + T.ndata, dlen, true);
  tf.forEach((f, i) => {
    const a = p + fieldsAt + i * TF.sizeof;
    h.set(enc.encode(f.tag), a + TF.tag);
    h[a + TF.ind1] = f.ind1; h[a + TF.ind2] = f.ind2;
    v.setUint32(a + TF.sub, f.sub, true); v.setUint32(a + TF.nsub, f.nsub, true);
    v.setUint32(a + TF.off, f.v[0], true); v.setUint32(a + TF.len, f.v[1], true);
  });
  ts.forEach((s, i) => {
    const a = p + subsAt + i * TS.sizeof;
    v.setUint32(a + TS.code, s.code, true); v.setUint32(a + TS.off, s.v[0], true); v.setUint32(a + TS.len, s.v[1], true);
  });
  let d = p + dataAt;
  for (const b of data) { h.set(b, d); d += b.length; }
}

function result(r) {
  const X = L.result;
  const status = i32()[(r + X.status) >> 2], data = u32()[(r + X.data) >> 2], len = u32()[(r + X.len) >> 2];
  return { status, bytes: u8().slice(data, data + len) };
}

function putBlock(w, block) {
  const p = M._marc__wasm_writer_input(w, block.length);
  u8().set(block, p);
}

// MARC 21 records (LC's sample file, 50 records).
const bib = have ? readFileSync(`${root}tests/data/lc-marcedit/marc_sample_data.mrc`) : null;

test('the layout names the formats by the core\'s names', { skip }, async () => {
  await load();
  for (const k of ['iso2709', 'marcxml', 'json', 'jsonl', 'mrk', 'text']) assert.equal(typeof L.formats[k], 'number', k);
  for (const k of ['iso2709', 'marcxml', 'json', 'mrk']) assert.equal(typeof L.inputs[k], 'number', k);
  for (const k of ['query', 'spec', 'table', 'tfield', 'tsub', 'writeFlags', 'xmlFlags', 'frame', 'encodings']) assert.ok(L[k], k);
});

test('sniffing is the core\'s rule', { skip }, async () => {
  await load();
  const sniff = (s) => { const b = enc.encode(s); const p = put(b); const f = M._marc__wasm_sniff(p, b.length); M._marc__wasm_free(p); return f; };
  assert.equal(sniff('\uFEFF  <collection/>'), L.inputs.marcxml);
  assert.equal(sniff('[{"leader":""}]'), L.inputs.json);
  assert.equal(sniff('{"leader":""}\n{"leader":""}\n'), L.inputs.jsonl);
  assert.equal(sniff('=LDR  00000nam'), L.inputs.mrk);
  assert.equal(sniff('00042nam'), L.inputs.iso2709);
});

test('a query\'s syntax error comes with its position', { skip }, async () => {
  await load();
  const bad = compile('245$a or');
  assert.equal(bad.status, L.status.E_INVALID);
  assert.equal(bad.position, 8);
  assert.match(bad.message, /tag/);
  M._marc__wasm_query_free(bad.q);
  const ok = compile('245$a~*the');
  assert.equal(ok.status, L.status.OK);
  assert.equal(ok.message, '');
  M._marc__wasm_query_free(ok.q);
});

// A spec compiled from text: {s, status, position, message}.
function compileSpec(text, flags = 0) {
  const b = enc.encode(text);
  const p = put(b);
  const s = M._marc__wasm_spec_compile(p, b.length, flags);
  M._marc__wasm_free(p);
  const S = L.spec;
  return { s, status: i32()[(s + S.status) >> 2], position: u32()[(s + S.position) >> 2], message: cstr(s + S.message) };
}

// The values of spec `s` in the writer's record, as strings.
function specValues(s, w) {
  const n = M._marc__wasm_spec_eval(s, w, 0);
  assert.ok(n >= 0, `eval: ${n}`);
  const pw = u32()[(s + L.spec.values) >> 2] >> 2, d = u32()[(s + L.spec.data) >> 2];
  return Array.from({ length: n }, (_, i) => dec.decode(u8().subarray(d + u32()[pw + 2 * i], d + u32()[pw + 2 * i] + u32()[pw + 2 * i + 1])));
}

test('a spec\'s values in one record, with no allocation once warm', { skip }, async () => {
  await load();
  const bad = compileSpec('245$a{$2=lcsh}');
  assert.deepEqual([bad.status, bad.position], [L.status.E_INVALID, 9]);
  assert.match(bad.message, /comparison string/);
  M._marc__wasm_spec_free(bad.s);
  const plain = compileSpec('245a'); // traject's shorthand only when asked
  assert.equal(plain.status, L.status.E_INVALID);
  M._marc__wasm_spec_free(plain.s);
  const traject = compileSpec('245a', L.spec.traject);
  assert.equal(traject.status, L.status.OK);
  const all = compileSpec('...'), ldr = compileSpec('LDR'), title = compileSpec('245$a');
  const w = M._marc__wasm_writer_new();
  const recs = readAll(bib, L.inputs.iso2709);
  // The second pass over the same records allocates nothing: the spec's
  // buffers (and the writer's) have grown to the largest record.
  let heap = 0;
  for (const pass of [1, 2]) {
    if (pass === 2) heap = M._marc__wasm_heap_used();
    for (const r of recs) {
      putBlock(w, r.block);
      // "..." is one value per field.
      const fields = specValues(all.s, w);
      assert.equal(fields.length, new DataView(r.block.buffer, r.block.byteOffset).getUint32(L.rec.nfields, true));
      assert.deepEqual(specValues(ldr.s, w), [dec.decode(r.block.subarray(L.rec.leader, L.rec.leader + 24))]);
      assert.deepEqual(specValues(traject.s, w), specValues(title.s, w));
    }
  }
  assert.equal(M._marc__wasm_heap_used(), heap, 'nothing allocated once warm');
  for (const x of [traject, all, ldr, title]) M._marc__wasm_spec_free(x.s);
  assert.equal(M._marc__wasm_spec_eval(0, w, 0), L.status.E_ARG);
  M._marc__wasm_writer_free(w);
  assert.equal(M._marc__wasm_live_allocations(), 0);
});

test('a reader filter keeps exactly the records that match one by one', { skip }, async () => {
  await load();
  const q = compile('245$a~*the or 650');
  const all = readAll(bib, L.inputs.iso2709);
  const kept = readAll(bib, L.inputs.iso2709, (h) => assert.equal(M._marc__wasm_reader_set_query(h, q.q), L.status.OK));
  const w = M._marc__wasm_writer_new();
  const expected = all.filter((r) => { putBlock(w, r.block); return M._marc__wasm_query_match(q.q, w, 0) === 1; });
  assert.ok(kept.length > 0 && kept.length < all.length, `${kept.length} of ${all.length}`);
  assert.deepEqual(kept.map((r) => r.text), expected.map((r) => r.text));
  M._marc__wasm_writer_free(w);
  M._marc__wasm_query_free(q.q);
  assert.equal(M._marc__wasm_live_allocations(), 0);
});

test('validation adds the MARC 21 rules\' problems as diagnostics', { skip }, async () => {
  await load();
  const file = readFileSync(`${root}tests/data/pymarc/bad_indicator.dat`);
  const plain = readAll(file, L.inputs.iso2709);
  const checked = readAll(file, L.inputs.iso2709, (h) => M._marc__wasm_reader_set_validate(h, 1));
  assert.equal(checked.length, plain.length);
  const more = checked.reduce((n, r, i) => n + r.ndiags - plain[i].ndiags, 0);
  assert.ok(more > 0, 'validation found problems');
  // One record JS holds: the same problems, in a batch of one record.
  const w = M._marc__wasm_writer_new();
  putBlock(w, plain[0].block);
  const b = M._marc__wasm_validate(w, 0);
  assert.equal(i32()[(b + L.batch.status) >> 2], L.status.END);
  assert.equal(u32()[(b + L.batch.count) >> 2], 1);
  const at = b + u32()[(b + L.batch.first) >> 2];
  assert.equal(u32()[(at + L.rec.ndiags) >> 2], checked[0].ndiags);
  M._marc__wasm_writer_free(w);
});

test('a field table writes what its block writes, edits included', { skip }, async () => {
  await load();
  const w = M._marc__wasm_writer_new();
  for (const r of readAll(bib, L.inputs.iso2709)) {
    putBlock(w, r.block);
    const fromBlock = result(M._marc__wasm_write(w, L.formats.mrk, 0));
    assert.equal(fromBlock.status, L.status.OK);
    const leader = dec.decode(r.block.subarray(L.rec.leader, L.rec.leader + 24));
    putTable(w, leader, fieldsOf(r));
    const fromTable = result(M._marc__wasm_write_table(w, L.formats.mrk, 0));
    assert.equal(fromTable.status, L.status.OK);
    assert.equal(dec.decode(fromTable.bytes), dec.decode(fromBlock.bytes));
  }
  // An edited record, non-ASCII included, round-trips through ISO 2709.
  const fields = [
    { tag: '001', value: 'ocm00001' },
    { tag: '245', ind1: '1', ind2: '0', subs: [['a', 'Café au lait /'], ['c', 'Ünïcödé 𝄞.']] },
    { tag: '650', ind1: ' ', ind2: '0', subs: [['a', 'Jazz']] },
  ];
  putTable(w, '00000nam a2200000 a 4500', fields);
  const iso = result(M._marc__wasm_write_table(w, L.formats.iso2709, 0));
  assert.equal(iso.status, L.status.OK);
  const back = readAll(iso.bytes, L.inputs.iso2709);
  assert.equal(back.length, 1);
  assert.deepEqual(fieldsOf(back[0]), fields);
  const q = compile('245$c~𝄞 and 650$a=Jazz');
  putTable(w, '00000nam a2200000 a 4500', fields);
  assert.equal(M._marc__wasm_query_match(q.q, w, 1), 1);
  M._marc__wasm_query_free(q.q);
  // A range outside the table is refused, not read.
  putTable(w, '00000nam a2200000 a 4500', fields);
  const p = M._marc__wasm_writer_input(w, L.table.sizeof);
  u32()[(p + L.table.nfields) >> 2] = 1000;
  assert.equal(result(M._marc__wasm_write_table(w, L.formats.mrk, 0)).status, L.status.E_ARG);
  M._marc__wasm_writer_free(w);
  assert.equal(M._marc__wasm_live_allocations(), 0);
});
