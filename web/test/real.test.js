// The shared corpus read by the package gives exactly what the native CLI
// prints (`marcato dump`): leader and fields of all 8,046 records.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { init, records } from '../src/node.js';
import { REAL_ALL, haveRealAll, nativeCli, mrkFromFields } from './helpers.js';

const cli = nativeCli();
before(() => init());

test('real-all.mrc: 8,046 records', { skip: !haveRealAll && 'no ../shared/data' }, async () => {
  let n = 0;
  for await (const r of records(REAL_ALL)) n += r.leader.length === 24;
  assert.equal(n, 8046);
});

test('real-all.mrc: identical to `marcato dump`', { skip: (!haveRealAll && 'no ../shared/data') || (!cli && 'no native build (build/*/native/marcato or $MARCATO_CLI)') }, async () => {
  const run = spawnSync(cli, ['dump', '-j', '1', REAL_ALL], { maxBuffer: 1 << 30 });
  assert.ok(run.status === 0 || run.status === 1, `marcato dump exit ${run.status}: ${run.stderr}`);
  const out = run.stdout;
  // Diagnostics: "FILE: record N at byte OFFSET: CODE message" (N from 1).
  const wantDiags = run.stderr.toString().split('\n').filter(Boolean)
    .map((l) => l.slice(REAL_ALL.length + 2).match(/^record (\d+) at byte (\d+): (\w+) (.*)$/))
    .filter(Boolean).map((m) => `${m[1] - 1} ${m[2]} ${m[3]} ${m[4]}`);
  const gotDiags = [];
  // Split the dump at its record boundaries ("\n\n=LDR") and decode each.
  const dec = new TextDecoder();
  const want = [];
  let start = 0;
  for (let i = out.indexOf('\n\n=LDR'); i >= 0; i = out.indexOf('\n\n=LDR', i + 2)) {
    want.push(dec.decode(out.subarray(start, i + 2)));
    start = i + 2;
  }
  want.push(dec.decode(out.subarray(start)));
  assert.equal(want.length, 8046);
  let i = 0, fromFields = 0, cutIndicators = 0;
  // MARC-8 records converted to UTF-8 (encoding 'auto'), as the CLI does.
  for await (const r of records(REAL_ALL)) {
    const mrk = r.toMRK();
    if (mrk !== want[i]) assert.equal(mrk, want[i], `record ${i}: toMRK`);
    // The JS decoding (leader, tags, indicators, subfields) says the same.
    // A lone delimiter ending a field is no subfield (as marc_subfield_next
    // has it), so the JS side cannot show it: a line-final "$" (a literal
    // one would be {dollar}) is dropped before comparing.
    const js = mrkFromFields(r);
    const w = want[i].replace(/\$\n/g, '\n');
    // An indicator is one byte (shown as Latin-1): a multibyte character
    // cut by the indicator/data boundary cannot read the same as the
    // CLI's whole-line UTF-8; toMRK above covers those records.
    // Likewise a subfield code: one byte, which the .mrk writer shows as
    // '?' when it is not ASCII, while JS decodes the character it begins.
    if (r.fields.some((f) => !f.isControl && (/[^\x00-\x7f]/.test(f.ind1 + f.ind2) ||
        f.subfields.some((sf) => /[^\x00-\x7f]/.test(sf.code))))) {
      cutIndicators++;
    } else {
      if (js !== w) assert.equal(js, w, `record ${i}: fields`);
      fromFields++;
    }
    for (const d of r.diagnostics) gotDiags.push(`${d.record} ${d.offset} ${d.code} ${d.tag ? `[${d.tag}] ` : ''}${d.message}`);
    i++;
  }
  assert.equal(i, 8046);
  assert.equal(fromFields + cutIndicators, 8046);
  assert.ok(cutIndicators < 10, `${cutIndicators} records with non-ASCII indicators`);
  assert.ok(wantDiags.length > 0);
  // The CLI logs one MARC-8 conversion problem per record (its charset
  // log has room for one); the package keeps up to 64. Every diagnostic
  // the CLI prints is there, in the same order.
  const extra = [];
  let k = 0;
  for (const d of gotDiags) {
    if (k < wantDiags.length && d === wantDiags[k]) k++;
    else extra.push(d);
  }
  assert.equal(k, wantDiags.length, `CLI diagnostic missing: ${wantDiags[k]}`);
  for (const d of extra) assert.match(d, / (MARC8_|ENCODING_MISLABELED|UTF8_INVALID)/);
});
