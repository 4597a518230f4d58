// MARC-8 output: toISO2709({encoding: 'marc8'}) and writer(format,
// {encoding: 'marc8'}) convert what a record holds to MARC-8 with the
// core's encoder (marc_record_to_marc8), as `marcato convert
// --to-encoding marc8` does. On real MARC-8 records: read, edited,
// written as MARC-8 and read back give the edited record; unedited
// records give the CLI's bytes; what MARC-8 lacks is reported.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { init, recordsSync, writer, Record } from '../src/node.js';
import { SHARED, concat, nativeCli } from './helpers.js';

const MARC8 = path.join(SHARED, 'corpus', 'real-marc8.mrc');
const haveMarc8 = existsSync(MARC8);
const CLI = nativeCli();
let info;
before(async () => { info = await init(); });

function writeAll(format, recs, encoding) {
  const w = writer(format, { encoding });
  return concat([w.begin(), ...recs.map((r) => w.write(r)), w.end()]);
}

// The record's fields with text compared after NFC (MARC-8 holds letters
// decomposed: a precomposed 'é' typed in comes back as e + U+0301).
const nfcFields = (r) => JSON.parse(JSON.stringify(r.toJSON().fields).normalize('NFC'));
// Leader but for its lengths and base address (the writer sets them) and
// 09 (the reader says 'a' for text it converted from MARC-8).
const leaderShape = (l) => `${l.slice(5, 9)}${l.slice(10, 12)}${l.slice(17)}`;

function cli(args, input) {
  const r = spawnSync(CLI, args, { input, maxBuffer: 1 << 28 });
  return r.stdout; // exit 1 when a record had problems: the output is complete
}

test('an edited real MARC-8 record written as MARC-8 reads back as edited', { skip: !haveMarc8 && 'no real-marc8.mrc' }, () => {
  assert.ok(info.marc8, 'this build has the MARC-8 tables');
  const recs = [...recordsSync(readFileSync(MARC8))];
  // Records whose leader says MARC-8 and that read without a problem.
  const plain = recs.filter((r) => r.diagnostics.length === 0).slice(0, 200);
  assert.ok(plain.length >= 100, `${plain.length} clean MARC-8 records`);
  for (const r of plain) {
    const t = r.get('245');
    if (!t || t.isControl) continue;
    t.subfields[0].value = `Édité ${t.subfields[0].value}`; // precomposed, as typed
    r.addField({ tag: '590', ind1: ' ', ind2: ' ', subfields: [['a', 'Œuvre ß ł ō ÿ']] });
  }
  const bytes = writeAll('iso2709', plain, 'marc8');
  const back = [...recordsSync(bytes)];
  assert.equal(back.length, plain.length);
  let edited = 0;
  for (let i = 0; i < back.length; i++) {
    const a = plain[i], b = back[i];
    assert.equal(b.diagnostics.length, 0, `record ${i}: ${b.diagnostics.map((d) => d.code)}`);
    assert.equal(leaderShape(b.leader), leaderShape(a.leader), `record ${i}: leader`);
    assert.deepEqual(nfcFields(b), nfcFields(a), `record ${i}: fields`);
    if (b.subfield('590', 'a')) edited++;
  }
  assert.ok(edited >= 100, `${edited} edited records`);
  // The bytes are MARC-8: leader/09 blank, no UTF-8 sequence, ANSEL 'É' (0xE2 'E').
  for (const r of splitRecords(bytes)) assert.equal(r[9], 0x20);
  assert.ok(Buffer.from(bytes).includes(Buffer.from([0x1f, 0x61, 0xe2, 0x45, 0x64, 0x69, 0x74])), "ANSEL acute before 'E'");
  assert.equal(Buffer.from(bytes).indexOf(Buffer.from('É')), -1, 'no UTF-8 É');
});

test('unedited records written as MARC-8: the CLI\'s bytes (ISO 2709 and MARCMaker)', { skip: (!haveMarc8 && 'no real-marc8.mrc') || (!CLI && 'no native CLI') }, () => {
  const input = readFileSync(MARC8);
  // The package holds Unicode: the CLI's oracle is the file converted to
  // UTF-8, then to MARC-8.
  const utf8 = cli(['convert', '-t', 'iso2709', '--to-encoding', 'utf8', '-'], input);
  const recs = [...recordsSync(input)];
  // MARCMaker's oracle goes through MARCMaker in UTF-8: ISO 2709 written
  // from a converted record gives text before a field's first delimiter a
  // subfield code (reported), which MARCMaker keeps as it is.
  const utf8Mrk = cli(['convert', '-t', 'mrk', '--to-encoding', 'utf8', '-'], input);
  const mrk = cli(['convert', '-f', 'mrk', '-t', 'mrk', '--to-encoding', 'marc8', '-'], utf8Mrk);
  assert.ok(mrk.length > input.length * 0.8, `CLI wrote ${mrk.length} bytes of MARCMaker`);
  // Leaders aside: MARCMaker keeps the leader as read, the CLI's from its
  // UTF-8 copy (ISO 2709 written: lengths and leader/10-11 set), the
  // package's from the MARC-8 file. The ISO 2709 check below covers them.
  const noLeader = (b) => Buffer.from(b).toString('latin1').replace(/^=LDR .*$/gm, '=LDR');
  assert.ok(noLeader(writeAll('mrk', recs, 'marc8')) === noLeader(mrk), 'MARCMaker in MARC-8: the CLI\'s bytes');
  // ISO 2709 record by record. The CLI keeps a record's data area in the
  // order read; the package writes a record it converted when reading
  // with its data in directory order (its batches do not keep the order),
  // so a record whose data area is out of directory order may differ in
  // layout only: it must read back the same.
  const want = splitRecords(cli(['convert', '-t', 'iso2709', '--to-encoding', 'marc8', '-'], utf8));
  const orig = splitRecords(input);
  assert.equal(want.length, recs.length);
  let same = 0;
  for (let i = 0; i < recs.length; i++) {
    const got = Buffer.from(recs[i].toISO2709({ encoding: 'marc8' }));
    if (got.equals(want[i])) { same++; continue; }
    assert.ok(!dataInDirectoryOrder(orig[i]), `record ${i}: differs from the CLI's though its data area is in order`);
    const [a] = recordsSync(got, { encoding: 'marc8' }), [b] = recordsSync(want[i], { encoding: 'marc8' });
    assert.deepEqual(a.toJSON(), b.toJSON(), `record ${i}: reads back as the CLI's`);
  }
  assert.ok(same >= recs.length - 13, `${same} of ${recs.length} records byte for byte as the CLI's`);
  // One record's toISO2709 is its writer's bytes.
  const one = recs[5].toISO2709({ encoding: 'marc8' });
  assert.ok(Buffer.from(one).equals(Buffer.from(writeAll('iso2709', [recs[5]], 'marc8'))));
  assert.equal(one[9], 0x20);
});

test('characters MARC-8 lacks: written as &#xXXXX; and reported as diagnostics', () => {
  const r = Record.create({ fields: [{ tag: '001', value: 'x1' }, { tag: '500', subfields: [['a', 'Price 20 € → (café)']] }] });
  const bytes = r.toISO2709({ encoding: 'marc8' });
  const text = Buffer.from(bytes).toString('latin1');
  // ANSEL has the euro sign (0xC8); its acute (0xE2) comes before its
  // letter; MARC-8 has no arrow.
  assert.ok(text.includes('Price 20 \u00c8 &#x2192; (caf\u00e2e)'), text);
  const d = r.diagnostics.filter((x) => x.code === 'MARC8_UNREPRESENTABLE');
  assert.equal(d.length, 1, JSON.stringify(r.diagnostics));
  assert.equal(d[0].tag, '500');
  assert.match(d[0].message, /U\+2192/);
  // Read back, the reference is the character again.
  assert.equal([...recordsSync(bytes)][0].subfield('500', 'a').normalize('NFC'), 'Price 20 € → (café)');
  // Written as UTF-8 again, nothing to report.
  r.toISO2709();
  assert.equal(r.diagnostics.length, 0);
  // The writer reports through the record too.
  const w = writer('mrk', { encoding: 'marc8' });
  assert.match(Buffer.from(w.write(r)).toString('latin1'), /&#x2192;/);
  assert.equal(r.diagnostics.filter((x) => x.code === 'MARC8_UNREPRESENTABLE').length, 1);
});

test('encoding: what is refused', () => {
  assert.throws(() => writer('marcxml', { encoding: 'marc8' }), /iso2709 and mrk/);
  assert.throws(() => writer('iso2709', { encoding: 'latin1' }), /'utf8' or 'marc8'/);
  const r = Record.create({ fields: [{ tag: '001', value: 'x' }] });
  assert.throws(() => r.toISO2709({ encoding: 'ansel' }), TypeError);
  assert.equal(writer('iso2709').encoding, 'utf8');
  assert.equal(r.toISO2709({ encoding: 'utf8' })[9], 0x61);
});

// Does each field's data start where the previous one's ends?
function dataInDirectoryOrder(r) {
  const num = (a, b) => Number(Buffer.from(r.subarray(a, b)).toString('latin1'));
  let next = 0;
  for (let p = 24; p + 12 <= r.length && r[p] !== 0x1e; p += 12) {
    if (num(p + 7, p + 12) !== next) return false;
    next += num(p + 3, p + 7);
  }
  return true;
}

function splitRecords(buf) {
  const out = [];
  for (let at = 0; at + 5 <= buf.length;) {
    const n = Number(Buffer.from(buf.subarray(at, at + 5)).toString('latin1'));
    if (!(n >= 24)) break;
    out.push(buf.subarray(at, at + n));
    at += n;
  }
  return out;
}
