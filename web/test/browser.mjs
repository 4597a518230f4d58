#!/usr/bin/env node
// Browser tests: serve web/ from a tiny local HTTP server twice, with
// COOP/COEP headers (crossOriginIsolated: the threaded module is used)
// and without (records(..., {threads}) falls back to one thread), and run
// test/browser/suite.mjs in Debian's chromium through playwright-core.
// Prints one line per test and a final "N passed, N failed" line; exits
// non-zero on failure, 77 (skip) without chromium, playwright-core or
// the shared corpus.
//   node web/test/browser.mjs
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REAL_ALL, haveRealAll, ROOT } from './helpers.js';
import { chromiumMissing, inEachMode, ready } from './chromium.mjs';

// `node --test test/` runs every file here: the browser suite is its own
// CI step (npm run test:browser), not part of that run.
if (process.env.NODE_TEST_CONTEXT) {
  console.log('# browser tests: run `node web/test/browser.mjs`');
  process.exit(0);
}
const WEB = fileURLToPath(new URL('../', import.meta.url));
const missing = chromiumMissing() ?? (haveRealAll ? null : 'no ../shared/data');
if (missing) {
  console.log(`skip: ${missing}`);
  process.exit(77);
}

// What the page must find: the Node package's answer.
const { init, records } = await import('../src/node.js');
await init();
const FILTER = '245$a~*jazz or 650$a~*music';
const expect = { count: 0, titles: [], filter: FILTER, filtered: [] };
for await (const r of records(REAL_ALL)) { if (expect.count < 3) expect.titles.push(r.subfield('245', 'a')); expect.count++; }
for await (const r of records(REAL_ALL, { filter: FILTER })) expect.filtered.push(r.index);
// The MARCspec values Node gives for the first records, for the page to match.
expect.specs = ['001', '245$a', '650$a', '650[0]$a{^2=\\0}', '008/35-37', '7..'];
expect.selected = [];
for await (const r of records(REAL_ALL)) {
  expect.selected.push(expect.specs.map((s) => r.select(s)));
  if (expect.selected.length === 50) break;
}

// Validation: the report `marcato validate` gives (the Node package's
// when there is no native build; validate.test.js shows they are the
// same), as a count and a SHA-256 of its lines.
const { reportOf } = await import('./validation-report.js');
const { nativeCli } = await import('./helpers.js');
const { spawnSync } = await import('node:child_process');
const { createHash } = await import('node:crypto');
let reportLines = (await reportOf(records(REAL_ALL, { validate: true }))).lines;
if (nativeCli()) {
  const run = spawnSync(nativeCli(), ['validate', REAL_ALL], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
  reportLines = run.stderr.toString('utf8').split('\n').filter(Boolean).map((l) => l.slice(REAL_ALL.length + 2));
}
expect.report = { lines: reportLines.length, sha256: createHash('sha256').update(reportLines.join('\n')).digest('hex') };

// Double-encoded UTF-8 repaired (bu_bibs.mrc), and MARCXML read on past
// a bad byte: the records and diagnostics Node gives.
const BU = path.join(ROOT, 'tests', 'data', 'charset', 'bu_bibs.mrc');
const XML_BAD = path.join(ROOT, 'tests', 'data', 'formats', 'recover', 'nul_byte_in_record3.xml');
const summary = (r) => ({ index: r.index, leader: r.leader, fields: JSON.stringify(r), diagnostics: r.diagnostics });
expect.bu = [];
for await (const r of records(BU)) expect.bu.push(summary(r));
expect.xmlBad = [];
for await (const r of records(XML_BAD)) expect.xmlBad.push(summary(r));

let passed = 0, failed = 0;
const resolve = (pathname) => {
  if (pathname === '/data/real-all.mrc') return REAL_ALL;
  if (pathname === '/data/bu_bibs.mrc') return BU;
  if (pathname === '/data/xml_bad.xml') return XML_BAD;
  const file = path.join(WEB, path.normalize(pathname));
  return file.startsWith(WEB) ? file : null;
};
await inEachMode({ entry: '/test/browser/suite.mjs', name: '__suite', resolve }, async (page, isolated, url) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  try {
    await ready(page, url, '__suite');
    const results = await page.evaluate(({ expect: e, isolated: i }) => window.__suite.run({ expect: e, isolated: i }),
      { expect, isolated });
    for (const r of results) {
      const name = `${isolated ? 'isolated' : 'not isolated'}: ${r.name}`;
      if (r.ok) { passed++; console.log(`ok - ${name}`); } else { failed++; console.log(`not ok - ${name}\n  ${r.error.replace(/\n/g, '\n  ')}`); }
    }
  } catch (e) {
    failed++;
    console.log(`not ok - ${isolated ? 'isolated' : 'not isolated'}: page run\n  ${e}\n  ${errors.join('\n  ')}`);
  }
});
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
