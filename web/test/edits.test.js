// Edits reach every writer: records changed in JS (fields pushed or
// removed, subfield values, indicators, the leader) and records built
// with Record.create are written as they are now, in every format, and
// read back as such; records not changed still go through the block path
// (output byte-identical to the bytes-as-read path).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  init, recordsSync, writer, compileQuery, Record, ControlField, DataField,
} from '../src/node.js';
import { writeBlock } from '../src/wasm.js';
import { SHARED, REAL_ALL, haveRealAll, sampleRecords, concat, nativeCli } from './helpers.js';
import { spawnSync } from 'node:child_process';

const MARC8 = path.join(SHARED, 'corpus', 'real-marc8.mrc');
let info;
before(async () => { info = await init(); });

// Formats the package reads back (text is written only).
const READABLE = ['iso2709', 'mrk', 'marcxml', 'json', 'jsonl'];

function writeAll(format, recs) {
  const w = writer(format);
  return concat([w.begin(), ...recs.map((r) => w.write(r)), w.end()]);
}

// Positions the writers may set: record length and base address (ISO
// 2709 recomputes them) and leader/09 (edited records are written as
// Unicode).
const maskLeader = (l) => l.slice(0, 0) + '.....' + l.slice(5, 9) + '.' + l.slice(10, 12) + '.....' + l.slice(17);
const shape = (r) => ({ leader: maskLeader(r.leader), fields: r.toJSON().fields });

function sample() { return [...recordsSync(concat(sampleRecords()))]; }

// Each edit: a function of a fresh record, and what its result must show.
const EDITS = {
  'push a field': (r) => { r.fields.push(new DataField('500', ' ', ' ', [{ code: 'a', value: 'Pushed note' }])); },
  'addField (plain object)': (r) => { r.addField({ tag: '590', ind1: '1', subfields: [['a', 'Local ü note']] }); },
  'remove a field': (r) => { assert.ok(r.removeField(r.get('650')) !== undefined); },
  'splice a field out': (r) => { r.fields.splice(1, 1); },
  'insert a field': (r) => { r.insertField(1, new ControlField('003', 'OCoLC')); },
  'replace a field': (r) => { r.replaceField(r.fields.indexOf(r.get('245')), new DataField('245', '0', '0').addSubfield('a', 'Replaced')); },
  'change a subfield value': (r) => { r.get('245').subfields[0].value = 'Changed title 東京'; },
  'add and remove subfields': (r) => { r.get('245').addSubfield('h', '[sound recording]').removeSubfield('c'); },
  'change a subfield code': (r) => { r.get('245').subfields[0].code = 'k'; },
  'change an indicator': (r) => { r.get('245').ind2 = '4'; },
  'change a tag': (r) => { r.get('245').tag = '246'; },
  'change a control field': (r) => { r.get('001').value = 'edited-001'; },
  'change the leader': (r) => { r.leader = r.leader.slice(0, 5) + 'c' + r.leader.slice(6, 7) + 's' + r.leader.slice(8); },
};

for (const format of READABLE) {
  for (const [name, edit] of Object.entries(EDITS)) {
    test(`${format}: ${name} is written and read back`, () => {
      if (!info.formats.includes(format)) return;
      const recs = sample();
      const before = writeAll(format, recs);
      edit(recs[0]);
      const want = recs.map(shape);
      const out = writeAll(format, recs);
      assert.notDeepEqual(out, before, 'the output changed');
      const back = [...recordsSync(out, { format })];
      assert.deepEqual(back.map(shape), want);
      if (name === 'change the leader') assert.equal(back[0].leader.slice(5, 8), 'cas');
      // The one-record writers agree with writer().
      if (format === 'iso2709') assert.deepEqual(recs[0].toISO2709(), writeAll('iso2709', [recs[0]]));
      if (format === 'mrk') assert.equal(recs[0].toMRK(), new TextDecoder().decode(writeAll('mrk', [recs[0]])));
    });
  }

  test(`${format}: a record built with Record.create is written and read back`, () => {
    if (!info.formats.includes(format)) return;
    const made = Record.create({
      leader: '00000cam a2200000 i 4500',
      fields: [
        new ControlField('001', 'built-1'),
        { tag: '008', value: '260101s2026    xx            000 0 eng d' },
        new DataField('100', '1', ' ', [['a', 'Doe, Jane,'], ['d', '1970-']]),
        new DataField('245', '1', '0').addSubfield('a', 'Built in JS :').addSubfield('b', 'Café 𝄞 {braces} $ sign.'),
        { tag: '650', ind2: '0', subfields: [{ code: 'a', value: 'Jazz' }] },
      ],
    });
    const also = new Record({ fields: [{ tag: '001', value: 'built-2' }] });
    const back = [...recordsSync(writeAll(format, [made, also]), { format })];
    assert.deepEqual(back.map(shape), [made, also].map(shape));
    assert.equal(back[0].subfield('245', 'b'), 'Café 𝄞 {braces} $ sign.');
    assert.equal(back[0].leader.slice(5, 10), 'cam a');
  });
}

test('text: edits reach the text writer', () => {
  if (!info.formats.includes('text')) return;
  const [r] = sample();
  const dec = (b) => new TextDecoder().decode(b);
  const before = dec(writeAll('text', [r]));
  r.get('245').subfields[0].value = 'Changed for text';
  r.get('650').ind2 = '7';
  r.removeField(r.get('651'));
  const after = dec(writeAll('text', [r]));
  assert.ok(!before.includes('Changed for text') && after.includes('Changed for text'));
  assert.ok(before.includes('Paris (France)') && !after.includes('Paris (France)'));
  const made = dec(writeAll('text', [Record.create({ fields: [{ tag: '245', subfields: [['a', 'Made for text']] }] })]));
  assert.ok(made.includes('Made for text'));
});

test('toMARCXML and bytes write the edited record', () => {
  const [r] = sample();
  r.get('245').subfields[0].value = 'XML title';
  assert.match(r.toMARCXML(), /XML title/);
  assert.equal([...recordsSync(r.bytes)][0].subfield('245', 'a'), 'XML title');
});

test('an edit undone, or fields read and not changed: the block path', () => {
  const recs = sample();
  const blockOut = recs.map((r) => writeBlock(r._block(), 'iso2709', 0, {}));
  for (const r of recs) {
    for (const f of r.fields) if (!f.isControl) f.subfields;
    assert.equal(r._edited(), false);
  }
  const f = recs[0].get('245'), was = f.subfields[0].value;
  f.subfields[0].value = 'x';
  assert.equal(recs[0]._edited(), true);
  f.subfields[0].value = was;
  recs[0].leader = recs[0].leader; // set to itself
  assert.equal(recs[0]._edited(), false);
  assert.deepEqual(recs.map((r) => r.toISO2709()), blockOut);
  assert.deepEqual(recs[0].toISO2709(), sampleRecords()[0], 'the input, byte for byte');
});

test('Query.matches sees the record as edited', () => {
  const [r] = sample();
  const q = compileQuery('245$a~*edited-title');
  assert.equal(q.matches(r), false);
  r.get('245').subfields[0].value = 'An edited-title';
  assert.equal(q.matches(r), true);
  assert.equal(q.matches(Record.create({ fields: [{ tag: '245', subfields: [['a', 'edited-title']] }] })), true);
  q.free();
});

test('bad values throw TypeError (at the edit, or at the write)', () => {
  const [r] = sample();
  assert.throws(() => { r.leader = 'short'; }, TypeError);
  assert.throws(() => new DataField('24'), TypeError);
  assert.throws(() => r.addField(42), TypeError);
  assert.throws(() => r.get('245').addSubfield('a', 5), TypeError);
  assert.throws(() => r.removeField(99), RangeError);
  assert.throws(() => r.insertField(-1, { tag: '001', value: 'x' }), RangeError);
  r.get('245').ind1 = 'too long';
  assert.throws(() => r.toISO2709(), TypeError);
  r.get('245').ind1 = '1';
  r.get('245').subfields[0].code = 'ab';
  assert.throws(() => r.toMRK(), TypeError);
});

test('new Record() is an empty record; fields and diagnostics work', () => {
  const r = new Record();
  assert.equal(r.leader.length, 24);
  assert.deepEqual(r.fields, []);
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.index, 0);
  r.addField({ tag: '001', value: 'a' });
  assert.equal(r.get('001').value, 'a');
  const back = [...recordsSync(r.toISO2709())][0];
  assert.equal(back.get('001').value, 'a');
});

test('a MARC-8 record edited is written as UTF-8 with leader/09 a', { skip: !existsSync(MARC8) && 'no real-marc8.mrc' }, () => {
  const bytes = new Uint8Array(readFileSync(MARC8));
  const r = [...recordsSync(bytes)].find((x) => bytes[x.offset + 9] === 0x20 && /[^\x00-\x7f]/.test(JSON.stringify(x.toJSON())));
  assert.ok(r, 'a MARC-8 record with non-ASCII text');
  const f = r.fields.find((x) => !x.isControl && x.subfields.length);
  f.subfields[0].value += ' (edited é)';
  const out = r.toISO2709();
  assert.equal(out[9], 0x61, 'leader/09 a');
  const back = [...recordsSync(out)][0];
  assert.deepEqual(back.toJSON().fields, r.toJSON().fields);
  assert.deepEqual(back.diagnostics, []);
});

test('real-all.mrc: unedited records write as the block path does, in every format, touched or not', { skip: !haveRealAll && 'no ../shared/data' }, () => {
  const bytes = new Uint8Array(readFileSync(REAL_ALL));
  const recs = [...recordsSync(bytes)];
  // Half of the records with every field and subfield read: they must be
  // found unedited (no false edit on damaged records).
  for (let i = 0; i < recs.length; i += 2) for (const f of recs[i].fields) if (!f.isControl) f.subfields;
  for (const format of info.formats) {
    const w = writer(format);
    w.begin();
    for (let i = 0; i < recs.length; i++) {
      const got = w.write(recs[i]);
      const want = writeBlock(recs[i]._block(), format, { inCollection: true, notFirst: i > 0 }, {});
      if (got.length !== want.length || !got.every((x, k) => x === want[k])) assert.fail(`${format}: record ${i} differs`);
    }
  }
  assert.equal(recs.filter((r) => r._edited()).length, 0);
  // And as `marcato convert` writes them.
  const cli = nativeCli();
  if (!cli) return;
  for (const format of ['iso2709', 'marcxml'].filter((f) => info.formats.includes(f))) {
    const run = spawnSync(cli, ['convert', '-t', format, REAL_ALL], { maxBuffer: 1 << 28 });
    if (run.status !== 0) continue;
    assert.ok(Buffer.from(writeAll(format, recs)).equals(run.stdout), `${format}: as marcato convert`);
  }
});

test('a data field given a control tag keeps its text (and a control field a data tag)', () => {
  const [r] = sample();
  r.get('245').tag = '009';
  r.get('001').tag = '599';
  const back = [...recordsSync(r.toISO2709())][0];
  assert.match(back.get('009').value, /A title :/);
  assert.match(JSON.stringify(back.get('599').subfields), /rec1/); // (text before any delimiter)
});
