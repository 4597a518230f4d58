// Character sets and formats: MARC-8 records reach JS as UTF-8 (checked
// against yaz-marcdump), the encoding and nfc options, the MARCXML and
// MARCMaker readers (format sniffed or given), writer() for many records
// and the web stream classes.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  init, records, recordsSync, writer, sniffFormat, MarcDecoderStream, MarcEncoderStream,
} from '../src/node.js';
import { SHARED, sampleRecords, concat, iso2709 } from './helpers.js';

const MARC8 = path.join(SHARED, 'corpus', 'real-marc8.mrc');
const haveYaz = spawnSync('yaz-marcdump', ['-V']).status !== null;
let info;
before(async () => { info = await init(); });

// yaz-marcdump's line format, from a record's decoded fields.
function yazLines(r) {
  const lines = [r.leader.slice(0, 9) + 'a' + r.leader.slice(10)];
  for (const f of r.fields) {
    if (f.isControl) lines.push(`${f.tag} ${f.value}`);
    else lines.push(`${f.tag} ${f.ind1}${f.ind2} ` + f.subfields.filter((s) => s.code).map((s) => `$${s.code} ${s.value}`).join(' '));
  }
  return lines;
}

test('MARC-8 records decode to the text yaz-marcdump gives', { skip: (!existsSync(MARC8) && 'no real-marc8.mrc') || (!haveYaz && 'no yaz-marcdump') }, async () => {
  const run = spawnSync('yaz-marcdump', ['-f', 'marc8', '-t', 'utf8', '-l', '9=97', MARC8], { maxBuffer: 1 << 28 });
  const yaz = run.stdout.toString('utf8').split('\n\n').filter(Boolean).map((t) => t.split('\n').filter(Boolean));
  let n = 0, same = 0, nonAscii = 0;
  const byIndex = [];
  for await (const r of records(MARC8)) {
    byIndex.push(r);
    const want = yaz[n++];
    if (n > 200) break;
    const got = yazLines(r);
    if (got.join('\n') === want.join('\n')) {
      same++;
      if (/[^\x00-\x7f]/.test(got.join(''))) nonAscii++;
    }
  }
  assert.ok(nonAscii >= 5, `${nonAscii} records with non-ASCII text identical to yaz`);
  // The rest differ where yaz-marcdump is wrong or prints differently: it
  // misreads the Cyrillic and Arabic sets of some records (record 37:
  // "æıđʻ, æ æøı" for "Вершигора, Петр Петрович"), writes U+FFFD as
  // "&#xFFFD;", and moves a combining mark across the space after "$b".
  assert.ok(same >= 140, `${same} of 200 records identical to yaz-marcdump -f marc8 -t utf8`);
  assert.equal(byIndex[37].subfield('100', 'a'), 'Вершигора, Петр Петрович');
  assert.equal(byIndex[38].subfield('100', 'a'), 'Блок, Александр Александрович');
  assert.equal(byIndex[36].subfield('245', 'a').normalize('NFC'), 'Qaḍāʼ al-usrah :'.normalize('NFC'));
});

test('encoding: MARC-8 by leader/09 (auto), forced, or bytes read as UTF-8', () => {
  // ANSEL 0xE2 (acute) before 'e': "é" decomposed.
  const fixed = iso2709('00000nam  2200000   4500', [['001', 'm8'], ['245', '00', [['a', 'CafXe']]]]);
  fixed[fixed.lastIndexOf(0x58)] = 0xe2;
  const [auto] = recordsSync(fixed);
  assert.equal(auto.subfield('245', 'a'), 'Cafe\u0301');
  assert.equal(auto.leader[9], 'a');
  const [nfc] = recordsSync(fixed, { nfc: true });
  assert.equal(nfc.subfield('245', 'a'), 'Caf\u00e9');
  // Read as UTF-8, the byte that is not becomes U+FFFD, reported (as the
  // CLI's --encoding utf8 does), and the record says UTF-8.
  const [asUtf8] = recordsSync(fixed, { encoding: 'utf8' });
  assert.equal(asUtf8.subfield('245', 'a'), 'Caf\ufffde');
  assert.equal(asUtf8.leader[9], 'a');
  assert.deepEqual(asUtf8.diagnostics.map((d) => [d.code, d.tag]), [['UTF8_INVALID', '245']]);
  // A converted record writes back as UTF-8 ISO 2709.
  const [again] = recordsSync(auto.toISO2709());
  assert.equal(again.subfield('245', 'a'), 'Cafe\u0301');
  assert.throws(() => recordsSync(fixed, { encoding: 'latin1' }).next(), TypeError);
});

test('format sniffing', () => {
  assert.equal(sniffFormat(new TextEncoder().encode('  <?xml version="1.0"?>')), 'marcxml');
  assert.equal(sniffFormat(new TextEncoder().encode('\ufeff{"leader"')), 'json');
  assert.equal(sniffFormat(new TextEncoder().encode('[{')), 'json');
  assert.equal(sniffFormat(new TextEncoder().encode('=LDR  00000nam')), 'mrk');
  assert.equal(sniffFormat(sampleRecords()[0]), 'iso2709');
});

test('format sniffing is the core\'s rule: JSON Lines, and the readers follow it', async () => {
  const enc = new TextEncoder();
  const recs = [...recordsSync(concat(sampleRecords()))];
  const jsonl = enc.encode(recs.map((r) => JSON.stringify(r)).join('\n') + '\n');
  assert.equal(sniffFormat(jsonl), 'jsonl');
  assert.equal(sniffFormat(enc.encode('{"leader": "x"}')), 'json'); // one line: JSON
  const back = [];
  for await (const r of records(jsonl)) back.push(r.toMRK());
  assert.deepEqual(back, recs.map((r) => r.toMRK()));
});

const sig = (r) => JSON.stringify(r.toJSON());

test('MARCMaker and MARCXML round trips through writer()', async () => {
  const src = [...recordsSync(concat(sampleRecords()))];
  for (const format of ['mrk', 'marcxml', 'json', 'jsonl', 'iso2709']) {
    if (!info.formats.includes(format)) continue;
    const w = writer(format);
    const out = concat([w.begin(), ...src.map((r) => w.write(r)), w.end()]);
    if (format === 'json') assert.doesNotThrow(() => JSON.parse(new TextDecoder().decode(out)));
    const readable = format === 'jsonl' ? 'json' : format;
    if (!info.inputs.includes(readable)) continue;
    const back = [];
    for await (const r of records(out)) back.push(r); // format sniffed
    assert.deepEqual(back.map(sig), src.map(sig), format);
    assert.deepEqual([...recordsSync(out, { format })].map(sig), src.map(sig), `${format} given`);
  }
});

test('MarcDecoderStream and MarcEncoderStream in pipeThrough', async () => {
  const bytes = concat(sampleRecords());
  const body = new Blob([bytes]).stream();
  const recs = [];
  for await (const r of body.pipeThrough(new MarcDecoderStream())) recs.push(r);
  assert.deepEqual(recs.map((r) => r.get('001').value), ['rec1', 'rec2', 'rec3']);
  const parts = [];
  const src = ReadableStream.from ? ReadableStream.from(recs) : new Blob([]).stream();
  for await (const c of src.pipeThrough(new MarcEncoderStream('iso2709'))) parts.push(c);
  assert.deepEqual([...recordsSync(concat(parts))].map(sig), recs.map(sig));
});
