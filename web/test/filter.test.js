// records(source, {filter}): the query language of `marcato filter`,
// matched in wasm before any JS object exists; compileQuery(); and
// records(source, {validate}) against `marcato validate`.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  init, records, recordsSync, batches, count, compileQuery, Query, MarcError, memoryStats,
} from '../src/node.js';
import { REAL_ALL, haveRealAll, nativeCli, sampleRecords, concat } from './helpers.js';

before(() => init());

const QUERIES = [
  '245$a~*jazz',
  '650',
  'LDR/06=a and 008/35-37=eng',
  'not 1XX',
  '6XX$x or 245.ind1=0',
  '001=ocm00000001',
  '245$a~"^[A-C]" and not 650$a~*music',
];

async function collect(source, opts) {
  const out = [];
  for await (const r of records(source, opts)) out.push(r);
  return out;
}

test('filter: the records a query matches, nothing else, indexes kept', async () => {
  const file = concat(sampleRecords());
  const all = [...recordsSync(file)];
  const got = await collect(file, { filter: '245$a~*title or 100$a="Smith, John"' });
  assert.deepEqual(got.map((r) => r.index), [0, 2]);
  assert.deepEqual(got.map((r) => r.toMRK()), [all[0].toMRK(), all[2].toMRK()]);
  assert.deepEqual([...recordsSync(file, { filter: '999' })].map((r) => r.get('001').value), ['rec2']);
  assert.equal(await count(file, { filter: 'not 999' }), 2);
  const sizes = [];
  for await (const b of batches(file, { filter: '001', batchSize: 2 })) sizes.push(b.length);
  assert.deepEqual(sizes, [2, 1]);
  assert.deepEqual(await collect(file, { filter: '245$a=nothing' }), []);
});

test('filter: a bad query throws MarcError with its position', async () => {
  const file = concat(sampleRecords());
  const before = memoryStats();
  const check = (e, offset) => {
    assert.ok(e instanceof MarcError, String(e));
    assert.equal(e.code, 'QUERY_SYNTAX');
    assert.equal(e.offset, offset);
    assert.match(e.message, /^marcato: query: .* at position \d+$/);
    return true;
  };
  // A bad regular expression is reported where the expression starts, as
  // `marcato filter` reports it (position 7, counted from 1).
  await assert.rejects(collect(file, { filter: '245$a~^[' }), (e) => check(e, 6));
  await assert.rejects(count(file, { filter: '245 and (' }), (e) => check(e, 9));
  assert.throws(() => [...recordsSync(file, { filter: '001=é and' })], (e) => check(e, 9)); // a string index, not bytes
  assert.throws(() => compileQuery('24'), MarcError);
  assert.deepEqual(memoryStats(), before); // nothing left behind
});

test('compileQuery: matches records JS holds; a Query is a filter too', async () => {
  const file = concat(sampleRecords());
  const q = compileQuery('600$a~Dvořák');
  assert.ok(q instanceof Query);
  assert.equal(q.text, '600$a~Dvořák');
  assert.deepEqual([...recordsSync(file)].map((r) => q.matches(r)), [false, true, false]);
  assert.deepEqual((await collect(file, { filter: q })).map((r) => r.index), [1]);
  const live = memoryStats().liveObjects;
  q.free();
  assert.equal(memoryStats().liveObjects, live - 1);
  assert.throws(() => q.matches([...recordsSync(file)][0]), /freed/);
});

test('filter on real-all.mrc: the records of `marcato filter`, in wasm, threads or not, all freed', { skip: (!haveRealAll && 'no ../shared/data') || (!nativeCli() && 'no native build (build/*/native/marcato or $MARCATO_CLI)') }, async () => {
  const cli = nativeCli();
  await collect(REAL_ALL, { filter: '001', threads: 2 }); // the threaded module loaded
  const live = [memoryStats().liveObjects, memoryStats({ threads: true })?.liveObjects];
  for (const q of QUERIES) {
    // (It exits 1 when the input has damaged records: real-all.mrc has some.)
    const want = spawnSync(cli, ['filter', q, '-t', 'mrk', REAL_ALL], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] }).stdout.toString('utf8');
    const got = await collect(REAL_ALL, { filter: q });
    assert.ok(got.length > 0 || want === '', q);
    assert.equal(got.map((r) => r.toMRK()).join(''), want, q);
    assert.equal(await count(REAL_ALL, { filter: q }), got.length, `count ${q}`);
    const threaded = await collect(REAL_ALL, { filter: q, threads: 2 });
    assert.deepEqual(threaded.map((r) => r.index), got.map((r) => r.index), `threads ${q}`);
  }
  // Readers, runs and their compiled queries are all freed.
  assert.deepEqual([memoryStats().liveObjects, memoryStats({ threads: true })?.liveObjects], live);
});

// With `schema: false` the package runs the structure checks only, as
// `marcato validate --no-schema` does (validate.test.js compares the
// schema findings).
test('validate: the problems `marcato validate --no-schema` reports, as diagnostics', { skip: (!haveRealAll && 'no ../shared/data') || (!nativeCli() && 'no native build (build/*/native/marcato or $MARCATO_CLI)') }, async () => {
  const run = spawnSync(nativeCli(), ['validate', '--no-schema', REAL_ALL], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
  const want = run.stderr.toString('utf8');
  const summary = /(\d+) records, (\d+) with problems/.exec(run.stdout.toString('utf8'));
  // The CLI validates the bytes as they are; records() also converts
  // MARC-8 and bytes that are not UTF-8, whose problems
  // (ENCODING_MISLABELED, MARC8_*, UTF8_INVALID) it adds.
  const charset = (d) => d.code === 'ENCODING_MISLABELED' || d.code === 'UTF8_INVALID' || d.code.startsWith('MARC8_');
  let lines = '', n = 0, withProblems = 0;
  for await (const r of records(REAL_ALL, { validate: true, schema: false })) {
    n++;
    const ds = r.diagnostics.filter((d) => !charset(d));
    if (ds.length) withProblems++;
    for (const d of ds) lines += `${REAL_ALL}: record ${d.record + 1} at byte ${d.offset}: ${d.code}${d.tag ? ` [${d.tag}]` : ''} ${d.message}\n`;
  }
  assert.equal(lines, want);
  assert.deepEqual([n, withProblems], [Number(summary[1]), Number(summary[2])]);
  // The threaded pipeline validates the same way.
  let threaded = '';
  for await (const r of records(REAL_ALL, { validate: true, schema: false, threads: 2 })) {
    for (const d of r.diagnostics.filter((x) => !charset(x))) threaded += `${REAL_ALL}: record ${d.record + 1} at byte ${d.offset}: ${d.code}${d.tag ? ` [${d.tag}]` : ''} ${d.message}\n`;
  }
  assert.equal(threaded, want);
  // Without the option, no MARC 21 rule is checked.
  let plain = 0;
  for await (const r of records(REAL_ALL)) plain += r.diagnostics.filter((d) => d.code === 'LEADER_VALUE').length;
  assert.equal(plain, 0);
});
