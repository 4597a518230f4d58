// Avram schema validation in the package: validate(record), records(src,
// {validate: true, schema}), loadSchema(), against `marcato validate`
// (the same core validator, so the same lines on real records).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  init, records, recordsSync, validate, loadSchema, Schema, MarcError, memoryStats, DataField,
} from '../src/node.js';
import { REAL_ALL, haveRealAll, nativeCli, iso2709, LEADER, concat } from './helpers.js';
import { reportOf } from './validation-report.js';

// A build without cJSON has no Avram validation: it says so (init's
// `schemas` is empty, loadSchema throws) and runs the structure checks.
let noAvram = false;
before(async () => { noAvram = (await init()).schemas.length === 0 && 'this build has no Avram schema validation (no cJSON)'; });

const BOOK = () => iso2709(LEADER, [
  ['001', 'b1'],
  ['008', '200101s2020    xx            000 0 eng d'],
  ['245', '10', [['a', 'A title'], ['a', 'twice'], ['q', 'no such subfield']]],
  ['246', '9 ', [['a', 'bad indicator']]],
  ['590', '  ', [['a', 'local note']]],
  ['999', '  ', [['a', 'local field']]],
]);

test('without Avram: structure checks only, and loadSchema says why', async (t) => {
  if (!noAvram) return t.skip('this build has Avram validation');
  const [rec] = [...recordsSync(BOOK())];
  assert.ok(validate(rec).every((d) => /^[A-Z0-9_]+$/.test(d.code)));
  assert.throws(() => loadSchema('bibliographic'), /no Avram schema validation/);
});

test('validate(record): schema problems as diagnostics with rule, tag, subfield, indicator, label', (t) => {
  if (noAvram) return t.skip(noAvram);
  const [rec] = [...recordsSync(BOOK())];
  const ds = validate(rec);
  const byCode = (c) => ds.filter((d) => d.code === c);
  const repeated = byCode('nonrepeatableSubfield');
  assert.equal(repeated.length, 1);
  assert.equal(repeated[0].tag, '245');
  assert.equal(repeated[0].subfield, 'a');
  assert.equal(repeated[0].label, 'Title');
  assert.equal(repeated[0].record, 0);
  // The offset is the second $a's delimiter in the record's bytes.
  const bytes = rec.bytes, at = repeated[0].offset;
  assert.equal(String.fromCharCode(...bytes.subarray(at, at + 7)), '\x1fatwice');
  const undef = byCode('undefinedSubfield');
  assert.deepEqual(undef.map((d) => [d.tag, d.subfield]), [['245', 'q']]);
  const ind = byCode('invalidIndicator');
  assert.deepEqual(ind.map((d) => [d.tag, d.indicator]), [['246', 1]]);
  // Local fields are not undefined by default; a rule switches them on.
  assert.equal(byCode('undefinedField').length, 0);
  const local = validate(rec, { rules: '+localField' }).filter((d) => d.code === 'undefinedField');
  assert.deepEqual(local.map((d) => d.tag).sort(), ['590', '999']);
  // Rules off, the schema off, another schema.
  assert.equal(validate(rec, { rules: '-invalidSubfield' }).filter((d) => d.subfield).length, 0);
  assert.deepEqual(validate(rec, { schema: false }).filter((d) => d.code.match(/^[a-z]/)), []);
  assert.ok(validate(rec, { schema: 'authority' }).every((d) => d.code !== 'nonrepeatableSubfield'));
  assert.throws(() => validate(rec, { rules: 'noSuchRule' }), /unknown validation rule 'noSuchRule'/);
});

test('validate(record) sees edits; records(..., {validate}) gives the same problems', async (t) => {
  if (noAvram) return t.skip(noAvram);
  const [rec] = [...recordsSync(BOOK())];
  assert.equal(rec.rawLength, BOOK().length); // its bytes as read, framed
  const read = (await (async () => { for await (const r of records(BOOK(), { validate: true })) return r; })()).diagnostics;
  assert.deepEqual(read, validate(rec));
  const f245 = rec.get('245');
  f245.subfields = f245.subfields.filter((s) => s.code !== 'q');
  assert.equal(validate(rec).filter((d) => d.code === 'undefinedSubfield').length, 0);
  rec.fields.push(new DataField('245', '1', '0', [{ code: 'a', value: 'again' }]));
  assert.deepEqual(validate(rec).filter((d) => d.code === 'nonrepeatableField').map((d) => d.tag), ['245']);
});

test('loadSchema: built-in and JSON schemas; a bad one names its JSON Pointer', (t) => {
  if (noAvram) return t.skip(noAvram);
  const bib = loadSchema('bibliographic');
  assert.ok(bib instanceof Schema);
  assert.equal(bib.builtin, 'bibliographic');
  assert.equal(bib.partial, false);
  assert.equal(loadSchema('holdings').partial, true);
  // A local profile: only 001 and 245 $a, 245 required.
  const local = {
    title: 'local profile',
    fields: {
      '001': { tag: '001', label: 'Control Number' },
      245: { tag: '245', required: true, subfields: { a: { code: 'a', label: 'Title proper' } } },
    },
  };
  const live = memoryStats().liveObjects;
  const s = loadSchema(local);
  assert.equal(s.title, 'local profile');
  const [rec] = [...recordsSync(BOOK())];
  const ds = validate(rec, { schema: s });
  assert.ok(ds.some((d) => d.code === 'undefinedField' && d.tag === '246'));
  assert.ok(ds.some((d) => d.code === 'undefinedSubfield' && d.tag === '245' && d.subfield === 'q'));
  assert.ok(ds.some((d) => d.code === 'nonrepeatableSubfield' && d.label === 'Title proper'));
  // JSON text works as the object does.
  assert.deepEqual(validate(rec, { schema: JSON.stringify(local) }), ds);
  s.free();
  assert.equal(memoryStats().liveObjects, live);
  assert.throws(() => validate(rec, { schema: s }), /freed/);
  const bad = () => loadSchema({ fields: { 245: { tag: '245', repeatable: 'yes' } } });
  assert.throws(bad, (e) => e instanceof MarcError && e.code === 'SCHEMA_INVALID' && /\/fields\/245\/repeatable/.test(e.message));
  assert.throws(() => loadSchema('{"fields": '), (e) => e.code === 'SCHEMA_INVALID');
  assert.equal(memoryStats().liveObjects, live);
});

test('records(..., {validate, strict}): the first schema problem throws', async (t) => {
  if (noAvram) return t.skip(noAvram);
  const file = concat([BOOK()]);
  await assert.rejects(async () => { for await (const r of records(file, { validate: true, strict: true })) void r; },
    (e) => e instanceof MarcError && e.code === 'nonrepeatableSubfield' && e.tag === '245' && /must not be repeated/.test(e.message));
  await assert.rejects(async () => { for await (const r of records(file, { validate: true, strict: true, threads: 2 })) void r; },
    (e) => e instanceof MarcError && e.code === 'nonrepeatableSubfield');
  // Without the schema rules that find something, the record reads.
  let n = 0;
  for await (const r of records(file, { validate: true, strict: true, rules: '-invalidIndicator,-invalidSubfield' })) n += r ? 1 : 0;
  assert.equal(n, 1);
});

// The same report as the CLI on real records, single-threaded and threaded.
test('validate: `marcato validate` (default schemas) reports the same lines on real-all.mrc', { skip: (!haveRealAll && 'no ../shared/data') || (!nativeCli() && 'no native build (build/*/native/marcato or $MARCATO_CLI)') }, async (t) => {
  if (noAvram) return t.skip(noAvram);
  const run = spawnSync(nativeCli(), ['validate', REAL_ALL], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
  const want = run.stderr.toString('utf8').split('\n').filter(Boolean).map((l) => l.slice(REAL_ALL.length + 2));
  const summary = /(\d+) records, (\d+) with problems/.exec(run.stdout.toString('utf8'));
  for (const threads of [0, 2]) {
    const { lines: got, count: n, withProblems } = await reportOf(records(REAL_ALL, { validate: true, threads }));
    assert.equal(got.length, want.length, `threads ${threads}: as many problems`);
    for (let i = 0; i < got.length; i++) if (got[i] !== want[i]) assert.equal(got[i], want[i], `threads ${threads}: line ${i + 1}`);
    assert.deepEqual([n, withProblems], [Number(summary[1]), Number(summary[2])]);
  }
});

test('Schema.definition: the built-in schema as data, as the core embeds it', (t) => {
  if (noAvram) return t.skip(noAvram);
  const def = loadSchema('bibliographic').definition;
  assert.equal(def.fields['245'].label, 'Title Statement');
  assert.equal(def.fields['245'].subfields.a.label, 'Title');
  assert.equal(def.fields['245'].indicator1.codes['1'], 'Added entry');
  // A position's problem names its positions.
  const [rec] = [...recordsSync(iso2709(LEADER, [['001', 'p1'], ['008', '200101s2020    xx            000 0 zz9 d'], ['245', '10', [['a', 'T']]]]))];
  const lang = validate(rec).find((d) => d.tag === '008' && d.position === '35-37');
  assert.ok(lang, 'a problem in 008/35-37');
});
