// The viewer's logic that needs no page (the e2e test in Chromium covers
// the rest): 880 pairing, plain-word folding and ISBN forms, the "does
// this look like MARC" check. On real records where the data is there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { init, records } from '../src/node.js';
import { pairedOrder, linkage } from '../viewer/links.js';
import { fold, plainTerms, lowerOperators, looksStructured } from '../viewer/worker-plain.js';
import { notMarcReason } from '../viewer/sniff.js';
import { SHARED } from './helpers.js';

const MARC8 = path.join(SHARED, 'corpus', 'real-marc8.mrc');

// As the worker hands fields to the page.
const plain = (rec) => rec.fields.map((f) => (f.isControl ? { tag: f.tag, control: true, value: f.value }
  : { tag: f.tag, control: false, ind1: f.ind1, ind2: f.ind2, subfields: f.subfields.map((s) => [s.code, s.value]) }));

test('880 fields follow the field their $6 links to (real-marc8.mrc)', { skip: !existsSync(MARC8) && 'no real-marc8.mrc' }, async () => {
  await init();
  let linked = 0;
  for await (const rec of records(MARC8, { filter: '880' })) {
    const fields = plain(rec);
    const order = pairedOrder(fields);
    assert.equal(order.length, fields.length); // every field shown once
    assert.deepEqual(order.map((o) => o.at).sort((a, b) => a - b), fields.map((_, i) => i));
    order.forEach((o, k) => {
      if (o.field.tag !== '880' || o.partner < 0) return;
      linked++;
      const prev = order[k - 1];
      const l = linkage(o.field);
      // Right after its partner, or after another 880 of the same partner.
      assert.ok(prev.at === o.partner || prev.partner === o.partner, `880 at ${o.at}`);
      assert.equal(fields[o.partner].tag, l.tag);
      assert.equal(linkage(fields[o.partner]).occ, l.occ);
    });
  }
  assert.ok(linked > 0, 'some 880 is linked');
});

test('plain words: folded, ISBNs in both forms, capital operators', () => {
  assert.equal(fold('Les corps E\u0301TRANGERS'), fold('les corps étrangers'));
  assert.equal(fold('ﬁn'), 'fin'); // compatibility decomposition
  assert.deepEqual(plainTerms('0-262-03384-4')[0].any, ['0262033844', '9780262033848']);
  assert.deepEqual(plainTerms('978-0-262-03384-8')[0].any, ['9780262033848', '0262033844']);
  assert.deepEqual(plainTerms('jazz AND blues').map((t) => t.any[0]), ['jazz', 'blues']);
  assert.equal(lowerOperators('245$a~*jazz AND 650 OR "AND"'), '245$a~*jazz and 650 or "AND"');
  assert.ok(looksStructured('245$a~*jazz') && looksStructured('LDR/06=a') && looksStructured('650'));
  assert.ok(!looksStructured('jazz') && !looksStructured('corps étrangers') && !looksStructured('0-262-03384-4'));
});

test('not MARC: a PNG, compressed files; MARC files pass', () => {
  const png = readFileSync(fileURLToPath(new URL('../viewer/docs/records.png', import.meta.url)));
  assert.match(notMarcReason(png, 'iso2709'), /PNG image/);
  assert.match(notMarcReason(Uint8Array.of(0x1f, 0x8b, 8, 0), 'iso2709'), /gzip/);
  assert.match(notMarcReason(new TextEncoder().encode('hello world, not a record'), 'iso2709'), /bytes 68 65 6C 6C/);
  if (existsSync(MARC8)) assert.equal(notMarcReason(readFileSync(MARC8).subarray(0, 4096), 'iso2709'), '');
  assert.equal(notMarcReason(new TextEncoder().encode('=LDR  00000nam'), 'mrk'), '');
});
