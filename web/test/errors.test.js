// Malformed input: diagnostics in lenient mode, MarcError in strict mode.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { init, records, recordsSync, MarcError, memoryStats } from '../src/node.js';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { sampleRecords, concat, iso2709, LEADER, ROOT, nativeCli } from './helpers.js';

before(() => init());

const enc = new TextEncoder();
function damaged() {
  const [a, b, c] = sampleRecords();
  const b2 = b.slice();
  b2.set(enc.encode('99999'), 0); // leader length wrong: framed by 0x1D
  const c2 = c.slice();
  c2.set(enc.encode('1#0'), 24 + 12); // second directory entry: a tag with '#'
  return { parts: [a, b2, c2], file: concat([a, enc.encode('\n\n'), b2, c2, a.slice(0, 40)]) };
}

test('lenient: problems become diagnostics, every record is kept', async () => {
  const { file } = damaged();
  const recs = [];
  for await (const r of records(file)) recs.push(r);
  assert.equal(recs.length, 4);
  assert.deepEqual(recs[0].diagnostics, []);
  const codes = recs.map((r) => r.diagnostics.map((d) => d.code));
  assert.ok(codes[1].includes('JUNK'), String(codes[1]));
  assert.ok(codes[1].includes('LENGTH_MISMATCH'), String(codes[1]));
  assert.deepEqual(codes[2], ['TAG_INVALID']);
  assert.deepEqual(recs[2].fields.map((f) => f.tag), ['001', '1#0']);
  assert.ok(codes[3].includes('TRUNCATED'), String(codes[3]));
  const junk = recs[1].diagnostics.find((d) => d.code === 'JUNK');
  assert.equal(junk.offset, sampleRecords()[0].length); // absolute offset of the junk
  assert.equal(junk.record, 1);
  assert.equal(typeof junk.message, 'string');
  assert.ok(junk.message.length > 0);
  for (const r of recs) for (const d of r.diagnostics) {
    assert.deepEqual(Object.keys(d).sort(), ['code', 'message', 'offset', 'record', 'tag']);
    assert.equal(d.record, r.index);
  }
  // The sound parts of damaged records are still there.
  assert.equal(recs[1].subfield('245', 'c'), 'Ærø.');
  assert.equal(recs[2].get('001').value, 'rec3');
});

test('strict: the first problem throws MarcError with code, offset, record, tag', async () => {
  const { file } = damaged();
  const seen = [];
  const before = memoryStats();
  await assert.rejects(async () => {
    for await (const r of records(file, { strict: true })) seen.push(r.index);
  }, (e) => {
    assert.ok(e instanceof MarcError);
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'MarcError');
    assert.equal(e.record, 1);
    assert.ok(['JUNK', 'LENGTH_MISMATCH'].includes(e.code), e.code);
    assert.equal(typeof e.offset, 'number');
    assert.equal(typeof e.tag, 'string');
    assert.match(e.message, /^record 2 at byte \d+/); // counted from 1, as the CLI says it
    return true;
  });
  assert.deepEqual(seen, [0]); // records before the bad one were delivered
  assert.equal(memoryStats().liveObjects, before.liveObjects); // reader freed
  // Sync reading throws the same way.
  assert.throws(() => [...recordsSync(file, { strict: true })], MarcError);
});

test('strict: a clean file reads without error', async () => {
  let n = 0;
  for await (const r of records(concat(sampleRecords()), { strict: true })) n += r.diagnostics.length === 0;
  assert.equal(n, 3);
});

test('strict: a bad directory entry names its tag', () => {
  const [a, , c] = sampleRecords();
  const c2 = c.slice();
  c2.set(enc.encode('1000X'), 24 + 12 + 3); // 100's length/offset not numeric
  const err = (() => { try { [...recordsSync(concat([a, c2]), { strict: true })]; } catch (e) { return e; } })();
  assert.ok(err instanceof MarcError);
  assert.equal(err.code, 'ENTRY_NOT_NUMERIC');
  assert.equal(err.tag, '100');
  assert.equal(err.record, 1);
  assert.equal(err.offset, a.length + 24 + 12);
});

test('writers refuse what ISO 2709 cannot hold', () => {
  // A 10,000-byte field reads fine (lenient) but cannot be written.
  const big = 'x'.repeat(10000);
  // Directory length 0: damaged on purpose, recovered.
  const rec = iso2709(LEADER, [['500', '  ', [['a', big]]]], { entry: (tag) => tag + '0000' + '00000' });
  const [r] = recordsSync(rec);
  assert.equal(r.get('500').subfield('a').length, 10000);
  assert.throws(() => r.toISO2709(), (e) => e instanceof MarcError && e.code === 'FIELD_TOO_LONG' && e.tag === '500');
  assert.match(r.toMRK(), /^=LDR/); // text formats have no such limit
});

test('ISO 2709 from MARCMaker: text before the first delimiter and a NUL code become subfields coded "?", reported, and read back clean', () => {
  const mrk = enc.encode('=LDR  00000nam a2200000 a 4500\n=245  10abc$adef\n=500  \\\\$\0x$bz\n\n');
  const [r] = recordsSync(mrk);
  const iso = r.toISO2709();
  const told = r.diagnostics.filter((d) => /written as/.test(d.message)).map((d) => [d.code, d.tag]);
  assert.deepEqual(told, [['SUBFIELD_DELIMITER', '245'], ['SUBFIELD_CODE', '500']]);
  const [back] = recordsSync(iso);
  assert.deepEqual(back.diagnostics, []);
  const codes = (f) => f.subfields.map((s) => [s.code, s.value]);
  assert.deepEqual(codes(back.get('245')), [['?', 'abc'], ['a', 'def']]);
  assert.deepEqual(codes(back.get('500')), [['?', 'x'], ['b', 'z']]);
});

test('strict: a MARC-8 conversion problem throws, with its code, record and offset, threads or not (as the CLI stops)', async () => {
  const file = path.join(ROOT, 'tests', 'data', 'errors', 'pymarc', 'bad_marc8_escape.dat');
  for (const threads of [0, 2]) {
    await assert.rejects(async () => {
      for await (const r of records(file, { strict: true, threads })) void r;
    }, (e) => e instanceof MarcError && e.code === 'MARC8_BAD_ESCAPE' && e.record === 0 &&
      e.offset === 647 && e.tag === '222', `threads ${threads}`);
  }
  // Lenient, the same problem is a diagnostic of the record.
  const [rec] = recordsSync(readFileSync(file));
  assert.ok(rec.diagnostics.some((d) => d.code === 'MARC8_BAD_ESCAPE' && d.offset === 647));
  const cli = nativeCli();
  if (cli) {
    const run = spawnSync(cli, ['convert', '--strict', '-t', 'mrk', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(run.status, 1);
    assert.match(run.stderr.toString(), /record 1 at byte 647: MARC8_BAD_ESCAPE \[222\] unknown MARC-8 escape/);
    assert.equal(run.stderr.toString().trim().split('\n').length, 1);
  }
});
