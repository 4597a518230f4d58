// The browser half of web/test/browser.mjs: the behaviours of the Node
// tests, run in a page. Results go to window.__marcato = {done, results}.
import {
  init, records, count, memoryStats, threadsSupported, threadsError, MarcError, MarcDecoderStream,
  recordsSync, writer, Record, ControlField, DataField, compileSpec, validate,
} from '../../src/browser.js';
import { reportOf } from '../validation-report.js';
import { writeBlock } from '../../src/wasm.js';
import { iso2709, concat, LEADER } from '../iso2709-fixture.js';

// (Also loaded by `node --test test/` as a file without tests.)
const results = [];

async function t(name, fn) {
  try { await fn(); results.push({ name, ok: true }); } catch (e) { results.push({ name, ok: false, error: String(e && e.stack || e) }); }
}
function eq(a, b, what) { if (a !== b) throw new Error(`${what}: ${JSON.stringify(a)} !== ${JSON.stringify(b)}`); }
function ok(v, what) { if (!v) throw new Error(what); }

const enc = new TextEncoder();
const good = () => iso2709(LEADER, [['001', 'a1'], ['245', '10', [['a', 'Café 東京 𝄞'], ['c', 'x']]]]);

export async function run({ expect, isolated }) {
  globalThis.__marcato = { done: false, results };
  await t('init', async () => { const info = await init(); ok(info.version, 'version'); });
  await t('crossOriginIsolated as served', () => eq(globalThis.crossOriginIsolated, isolated, 'crossOriginIsolated'));
  const file = await (await fetch('/data/real-all.mrc')).blob();
  await t('records from a Blob: count and first titles', async () => {
    let n = 0; const titles = [];
    for await (const r of records(file)) { if (n < 3) titles.push(r.subfield('245', 'a')); n++; }
    eq(n, expect.count, 'count');
    eq(JSON.stringify(titles), JSON.stringify(expect.titles), 'titles');
  });
  await t('records from a File', async () => {
    const f = new File([concat([good(), good()])], 'x.mrc');
    const got = [];
    for await (const r of records(f)) got.push(r.subfield('245', 'a'));
    eq(JSON.stringify(got), JSON.stringify(['Café 東京 𝄞', 'Café 東京 𝄞']), 'values');
  });
  await t('records from a ReadableStream (fetch body)', async () => {
    const res = await fetch('/data/real-all.mrc');
    let n = 0;
    for await (const r of records(res.body)) { void r; n++; }
    eq(n, expect.count, 'count');
  });
  await t('count() in wasm', async () => eq(await count(file), expect.count, 'count'));
  await t('validate: the report of `marcato validate` (default schemas), one thread and as served', async () => {
    for (const threads of [0, 2]) {
      const { lines } = await reportOf(records(file, { validate: true, threads }));
      const digest = await crypto.subtle.digest('SHA-256', enc.encode(lines.join('\n')));
      const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
      eq(JSON.stringify({ lines: lines.length, sha256: hex }), JSON.stringify(expect.report), `threads ${threads}`);
    }
    const [rec] = [...recordsSync(iso2709(LEADER, [['001', 'v1'], ['245', '10', [['a', 'One'], ['a', 'Two']]]]))];
    const d = validate(rec).find((x) => x.code === 'nonrepeatableSubfield');
    eq(JSON.stringify([d?.tag, d?.subfield, d?.label]), JSON.stringify(['245', 'a', 'Title']), 'validate(record)');
  });
  await t('pipeThrough(new MarcDecoderStream())', async () => {
    let n = 0;
    for await (const r of file.stream().pipeThrough(new MarcDecoderStream())) { void r; n++; }
    eq(n, expect.count, 'count');
  });
  await t('filter in wasm: the records Node keeps; a bad query throws', async () => {
    const got = [];
    for await (const r of records(file, { filter: expect.filter })) got.push(r.index);
    eq(JSON.stringify(got), JSON.stringify(expect.filtered), 'indexes');
    eq(await count(file, { filter: expect.filter }), expect.filtered.length, 'count');
    let err = null;
    try { for await (const r of records(file, { filter: '245$a~^[' })) void r; } catch (e) { err = e; }
    ok(err instanceof MarcError && err.code === 'QUERY_SYNTAX' && err.offset === 6, `MarcError, got ${err}`);
  });
  await t('MARCspec values: the ones Node gives; a bad spec throws', async () => {
    const specs = expect.specs.map((s) => compileSpec(s));
    const got = [];
    for await (const r of records(file)) {
      got.push(specs.map((s, i) => (i % 2 ? s.values(r) : r.select(expect.specs[i]))));
      if (got.length === expect.selected.length) break;
    }
    for (const s of specs) s.free();
    eq(JSON.stringify(got), JSON.stringify(expect.selected), 'values');
    let err = null;
    try { compileSpec('245$a{$2=lcsh}'); } catch (e) { err = e; }
    ok(err instanceof MarcError && err.code === 'SPEC_SYNTAX' && err.offset === 9, `MarcError, got ${err}`);
  });
  const bad = concat([good(), enc.encode('00010xx'), good()]);
  await t('strict mode throws MarcError', async () => {
    let err = null, n = 0;
    try { for await (const r of records(bad, { strict: true })) { void r; n++; } } catch (e) { err = e; }
    ok(err instanceof MarcError, `MarcError, got ${err}`);
    eq(n, 1, 'records before the error');
    ok(typeof err.code === 'string' && err.code !== 'NONE', 'code');
  });
  await t('lenient mode attaches diagnostics', async () => {
    const recs = [];
    for await (const r of records(bad)) recs.push(r);
    ok(recs.length >= 2, 'records kept');
    ok(recs.some((r) => r.diagnostics.length > 0), 'diagnostics');
  });
  await t('early break frees wasm memory', async () => {
    for await (const r of records(file)) { void r; break; }
    const base = memoryStats();
    for (let k = 0; k < 3; k++) { let n = 0; for await (const r of records(file, { chunkSize: 4096 })) { void r; if (++n === 5) break; } }
    const now = memoryStats();
    eq(now.liveObjects, base.liveObjects, 'live objects');
    eq(now.heapUsed, base.heapUsed, 'heap bytes');
  });
  await t(`threads: ${isolated ? 'threaded pipeline' : 'falls back cleanly'}`, async () => {
    eq(threadsSupported(), isolated, 'threadsSupported()');
    let n = 0; const titles = [];
    for await (const r of records(file, { threads: 2 })) { if (n < 3) titles.push(r.subfield('245', 'a')); n++; }
    eq(n, expect.count, 'count');
    eq(JSON.stringify(titles), JSON.stringify(expect.titles), 'titles');
    eq(threadsError(), null, 'threadsError()');
    if (isolated) ok(memoryStats({ threads: true }), 'the threaded module was loaded');
    else eq(memoryStats({ threads: true }), null, 'no threaded module');
  });
  await t('double-encoded UTF-8 repaired as in Node (bu_bibs.mrc); none in real-all.mrc', async () => {
    const bu = await (await fetch('/data/bu_bibs.mrc')).blob();
    const got = [];
    for await (const r of records(bu)) got.push(summary(r));
    eq(JSON.stringify(got), JSON.stringify(expect.bu), 'records and diagnostics');
    const repaired = got.filter((r) => r.diagnostics.some((d) => d.code === 'ENCODING_REPAIRED')).length;
    eq(repaired, 16, 'records repaired');
    ok(got.some((r) => r.fields.includes('Pe\u0301tain')), 'Pétain');
    let kept = 0;
    for await (const r of records(bu, { encoding: 'utf8' })) kept += JSON.stringify(r).includes('Pe\u00C3\u008C\u00C2\u0081tain');
    eq(kept, 1, "encoding 'utf8' keeps the bytes");
    let inCorpus = 0;
    for await (const r of records(file)) inCorpus += r.diagnostics.some((d) => d.code === 'ENCODING_REPAIRED');
    eq(inCorpus, 0, 'real-all.mrc records repaired');
  });
  await t('MARCXML: reading resumes at the next <record> after a bad byte, as in Node', async () => {
    const res = await fetch('/data/xml_bad.xml');
    const got = [];
    for await (const r of records(res.body, { format: 'marcxml' })) got.push(summary(r));
    eq(got.length, 5, 'records');
    eq(JSON.stringify(got), JSON.stringify(expect.xmlBad), 'records and diagnostics');
  });
  await editTests(file);
  globalThis.__marcato.done = true;
  return results;
}

// A record as the Node side summarises it (web/test/browser.mjs).
const summary = (r) => ({ index: r.index, leader: r.leader, fields: JSON.stringify(r), diagnostics: r.diagnostics });

// Edits reach every writer (the Node tests' edits.test.js, in a page).
const mask = (l) => '.....' + l.slice(5, 9) + '.' + l.slice(10, 12) + '.....' + l.slice(17);
const shape = (r) => JSON.stringify({ leader: mask(r.leader), fields: r.toJSON().fields });
function writeAll(format, recs) {
  const w = writer(format);
  return concat([w.begin(), ...recs.map((r) => w.write(r)), w.end()]);
}
const EDITS = {
  push: (r) => r.fields.push(new DataField('500', ' ', ' ', [{ code: 'a', value: 'Pushed' }])),
  remove: (r) => r.removeField(r.get('245')),
  subfield: (r) => { r.get('245').subfields[0].value = 'Changed 東京'; },
  indicator: (r) => { r.get('245').ind2 = '4'; },
  leader: (r) => { r.leader = r.leader.slice(0, 5) + 'c' + r.leader.slice(6); },
};

async function editTests(file) {
  const { formats } = await init();
  for (const format of ['iso2709', 'mrk', 'marcxml', 'json', 'jsonl'].filter((f) => formats.includes(f))) {
    await t(`${format}: edits are written and read back`, () => {
      for (const [name, edit] of Object.entries(EDITS)) {
        const recs = [...recordsSync(concat([good(), good()]))];
        edit(recs[0]);
        const back = [...recordsSync(writeAll(format, recs), { format })];
        eq(back.map(shape).join('\n'), recs.map(shape).join('\n'), name);
      }
    });
    await t(`${format}: a record built with Record.create`, () => {
      const made = Record.create({ fields: [new ControlField('001', 'b1'),
        new DataField('245', '1', '0').addSubfield('a', 'Built 𝄞'), { tag: '650', subfields: [['a', 'Jazz']] }] });
      const back = [...recordsSync(writeAll(format, [made]), { format })];
      eq(shape(back[0]), shape(made), 'read back');
    });
  }
  await t('real-all.mrc: unedited records (fields read) write as the block path', async () => {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const recs = [...recordsSync(bytes)];
    for (let i = 0; i < recs.length; i += 2) for (const f of recs[i].fields) if (!f.isControl) void f.subfields;
    for (const format of formats) {
      const w = writer(format);
      w.begin();
      for (let i = 0; i < recs.length; i++) {
        const got = w.write(recs[i]);
        const want = writeBlock(recs[i]._block(), format, { inCollection: true, notFirst: i > 0 }, {});
        if (got.length !== want.length || got.some((x, k) => x !== want[k])) throw new Error(`${format}: record ${i} differs`);
      }
    }
    eq(recs.filter((r) => r._edited()).length, 0, 'records found edited');
  });
}
