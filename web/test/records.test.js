// The object API: leader, fields, lazy subfields, lookups and writers.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { init, records, recordsSync, batches, Record, ControlField, DataField } from '../src/node.js';
import { sampleRecords, concat, iso2709, LEADER, mrkFromFields } from './helpers.js';

const bytes = concat(sampleRecords());
let recs;
before(async () => {
  await init();
  recs = [...recordsSync(bytes)];
});

test('init() is one Promise and reports the build', async () => {
  const a = init(), b = init();
  assert.equal(a, b);
  const info = await a;
  assert.match(info.version, /^\d+\.\d+\.\d+/);
  assert.ok(info.formats.includes('iso2709') && info.formats.includes('mrk'));
});

test('records: leader, index, offset, fields', () => {
  assert.equal(recs.length, 3);
  const [r] = recs;
  assert.ok(r instanceof Record);
  assert.equal(r.leader.length, 24);
  assert.equal(r.leader.slice(5, 12), 'nam a22');
  assert.equal(r.index, 0);
  assert.equal(r.offset, 0);
  assert.equal(recs[1].offset, sampleRecords()[0].length);
  assert.deepEqual(r.fields.map((f) => f.tag), ['001', '008', '100', '245', '650', '651']);
  const f001 = r.fields[0];
  assert.ok(f001 instanceof ControlField);
  assert.equal(f001.value, 'rec1');
  assert.equal(f001.ind1, undefined);
  const f245 = r.get('245');
  assert.ok(f245 instanceof DataField);
  assert.equal(f245.ind1, '1');
  assert.equal(f245.ind2, '0');
  assert.deepEqual(f245.subfields, [
    { code: 'a', value: 'A title :' },
    { code: 'b', value: 'with $ and {braces} /' },
    { code: 'c', value: 'Jane Doe.' },
  ]);
  assert.equal(f245.subfield('c'), 'Jane Doe.');
  assert.equal(f245.subfield('z'), undefined);
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.bytes.length, sampleRecords()[0].length);
});

test('records: tag patterns in get, getAll, subfield', () => {
  const r = recs[0];
  assert.deepEqual(r.getAll('6XX').map((f) => f.tag), ['650', '651']);
  assert.deepEqual(r.getAll('6x.').map((f) => f.tag), ['650', '651']);
  assert.deepEqual(r.getAll('1..').map((f) => f.tag), ['100']);
  assert.deepEqual(r.getAll('00X').map((f) => f.tag), ['001', '008']);
  assert.equal(r.get('7XX'), undefined);
  assert.equal(r.subfield('245', 'a'), 'A title :');
  assert.equal(r.subfield('6XX', 'x'), 'Behavior.');
  assert.equal(r.subfield('001', 'a'), undefined);
  assert.throws(() => r.get('24'), TypeError);
});

test('records: UTF-8 text, including characters outside the BMP', () => {
  const r = recs[1];
  assert.equal(r.subfield('245', 'a'), 'Café Ünïcödé 東京 𝄞 music');
  assert.equal(r.subfield('245', 'c'), 'Ærø.');
  assert.equal(r.subfield('600', 'a'), 'Dvořák, Antonín,');
  assert.equal(r.get('999').subfield('a'), 'local');
});

test('records: a subfield code outside the BMP is one character', () => {
  const b = iso2709(LEADER, [['001', 'x'], ['500', '  ', [['\u{1D11E}', 'clef'], ['b', 'é']]]]);
  const [r] = [...recordsSync(b)];
  assert.deepEqual(r.get('500').subfields, [{ code: '\u{1D11E}', value: 'clef' }, { code: 'b', value: 'é' }]);
  assert.equal(r.subfield('500', '\u{1D11E}'), 'clef');
  assert.equal(r.subfield('500', 'b'), 'é');
});

test('records: control fields of a record that is not all ASCII', () => {
  // Such records take their ASCII control values from the bytes, the
  // others (here 009) from the decoded text; every order must agree.
  const fields = [['001', 'id1'], ['003', 'OCoLC'], ['005', '20200101'], ['008', '8'.repeat(40)],
    ['009', 'caf\u00e9'], ['245', '10', [['a', 'Caf\u00e9']]], ['007', 'ta']];
  const want = ['id1', 'OCoLC', '20200101', '8'.repeat(40), 'caf\u00e9', undefined, 'ta'];
  const b = iso2709(LEADER, fields);
  const [r] = recordsSync(b);
  assert.deepEqual(r.fields.map((f) => f.value), want);
  const [again] = recordsSync(b);
  assert.equal(again.subfield('245', 'a'), 'Caf\u00e9'); // text decoded first
  assert.deepEqual(again.fields.map((f) => f.value), want);
  // Directory entries out of data order (001 and 005 swapped).
  const swapped = b.slice();
  swapped.set(b.subarray(24 + 24, 24 + 36), 24);
  swapped.set(b.subarray(24, 24 + 12), 24 + 24);
  const [s] = recordsSync(swapped);
  assert.deepEqual(s.fields.map((f) => f.tag), ['005', '003', '001', '008', '009', '245', '007']);
  assert.deepEqual(s.fields.map((f) => f.value), ['20200101', 'OCoLC', 'id1', '8'.repeat(40), 'caf\u00e9', undefined, 'ta']);
  assert.deepEqual(s.diagnostics, []);
});

test('records: a byte order mark in the data is text, not dropped', () => {
  // TextDecoder drops a leading BOM by default: the offsets computed in
  // wasm count it, so the record text must keep it.
  const b = iso2709(LEADER, [['001', '\ufeffocm1'], ['245', '10', [['a', 'Titl\u00e9'], ['b', 'sub']]]]);
  const [r] = recordsSync(b);
  assert.equal(r.get('001').value, '\ufeffocm1');
  assert.deepEqual(r.get('245').subfields, [{ code: 'a', value: 'Titl\u00e9' }, { code: 'b', value: 'sub' }]);
  const [first] = recordsSync(iso2709(LEADER, [['500', '  ', [['a', '\ufeffx']]]]));
  assert.equal(first.subfield('500', 'a'), '\ufeffx');
});

test('records: bytes that are not UTF-8 decode to U+FFFD, fields stay apart', () => {
  const b = iso2709(LEADER, [['001', 'x'], ['245', '00', [['a', 'A']]], ['246', '00', [['a', 'B']]]]);
  // Put a Latin-1 0xE9 in place of 'A'.
  const i = b.lastIndexOf(0x41);
  b[i] = 0xe9;
  const [r] = recordsSync(b);
  assert.equal(r.subfield('245', 'a'), '\ufffd');
  assert.equal(r.subfield('246', 'a'), 'B');
});

test('records: subfield splitting matches marc_subfield_next', () => {
  const b = iso2709(LEADER, [['001', 'x'], ['500', '  ', []]]);
  assert.deepEqual([...recordsSync(b)][0].get('500').subfields, []);
  // Data before the first delimiter gets code "", a trailing delimiter is dropped.
  // The field's bytes as given: indicators, then `data` as is.
  const sf = (data) => [...recordsSync(iso2709(LEADER, [['500', '  ' + data]]))][0].fields[0].subfields;
  assert.deepEqual(sf('pre\x1fav'), [{ code: '', value: 'pre' }, { code: 'a', value: 'v' }]);
  assert.deepEqual(sf('\x1fav\x1f'), [{ code: 'a', value: 'v' }]);
  assert.deepEqual(sf('\x1fa\x1fb2'), [{ code: 'a', value: '' }, { code: 'b', value: '2' }]);
});

test('writers: toMRK, toISO2709 round trip, toJSON, toMARCXML', async () => {
  const r = recs[0];
  const mrk = r.toMRK();
  assert.equal(mrk, mrkFromFields(r));
  assert.match(mrk, /^=LDR {2}\d{5}nam\\a22/);
  assert.match(mrk, /=245 {2}10\$aA title :\$bwith \{dollar\} and \{lcub\}braces\{rcub\} \/\$cJane Doe\./);
  // ISO 2709 out, read back: the same record.
  for (const x of recs) {
    const iso = x.toISO2709();
    assert.ok(iso instanceof Uint8Array);
    assert.deepEqual(iso, sampleRecords()[x.index]);
    const [y] = recordsSync(iso);
    assert.equal(y.toMRK(), x.toMRK());
  }
  const json = r.toJSON();
  assert.equal(json.leader, r.leader);
  assert.deepEqual(json.fields[0], { '001': 'rec1' });
  assert.deepEqual(json.fields[3], { 245: { ind1: '1', ind2: '0', subfields: [{ a: 'A title :' }, { b: 'with $ and {braces} /' }, { c: 'Jane Doe.' }] } });
  assert.deepEqual(JSON.parse(JSON.stringify(r)), json);
  if ((await init()).formats.includes('marcxml')) {
    const xml = recs[1].toMARCXML();
    assert.match(xml, /<record xmlns="http:\/\/www.loc.gov\/MARC21\/slim">/);
    assert.match(xml, /<subfield code="a">Café Ünïcödé 東京 𝄞 music<\/subfield>/);
  }
});

test('batches() yields arrays; records survive their batch', async () => {
  const all = [];
  for await (const b of batches(bytes, { batchSize: 2 })) {
    assert.ok(b.length >= 1 && b.length <= 2);
    all.push(...b);
  }
  assert.equal(all.length, 3);
  // Records keep their own copy of the batch: read them after the reader is gone.
  assert.equal(all[2].get('100').subfield('a'), 'Smith, John');
});
