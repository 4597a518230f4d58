#!/usr/bin/env node
// Browser tests: serve web/ from a tiny local HTTP server twice, with
// COOP/COEP headers (crossOriginIsolated: the threaded module is used)
// and without (records(..., {threads}) falls back to one thread), and run
// test/browser/suite.mjs in Debian's chromium through playwright-core.
// Prints one line per test and a final "N passed, N failed" line; exits
// non-zero on failure, 77 (skip) without chromium, playwright-core or
// the shared corpus.
//   node web/test/browser.mjs
import http from 'node:http';
import { existsSync, mkdtempSync, rmSync, createReadStream, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REAL_ALL, haveRealAll } from './helpers.js';

// `node --test test/` runs every file here: the browser suite is its own
// CI step (npm run test:browser), not part of that run.
if (process.env.NODE_TEST_CONTEXT) {
  console.log('# browser tests: run `node web/test/browser.mjs`');
  process.exit(0);
}
const WEB = fileURLToPath(new URL('../', import.meta.url));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
let chromium;
try { ({ chromium } = await import('playwright-core')); } catch { /* below */ }
if (!chromium || !existsSync(CHROMIUM) || !haveRealAll) {
  console.log(`skip: ${!chromium ? 'no playwright-core (npm ci in web/)' : !existsSync(CHROMIUM) ? `no ${CHROMIUM}` : 'no ../shared/data'}`);
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

const TYPES = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.json': 'application/json' };
function serve(isolated) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const headers = {};
    if (isolated) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    }
    if (url.pathname === '/') {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/html' });
      res.end('<!doctype html><meta charset="utf-8"><title>marcato</title><script type="module">import("/test/browser/suite.mjs").then((m) => { window.__suite = m; });</script>');
      return;
    }
    const file = url.pathname === '/data/real-all.mrc' ? REAL_ALL : path.join(WEB, path.normalize(url.pathname));
    if (!file.startsWith(WEB) && file !== REAL_ALL) { res.writeHead(403); res.end(); return; }
    if (!existsSync(file) || !statSync(file).isFile()) { res.writeHead(404, headers); res.end(); return; }
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const profile = mkdtempSync(path.join(tmpdir(), 'marcato-chromium-'));
let passed = 0, failed = 0;
// A fresh profile (--user-data-dir): playwright takes it as the first
// argument of launchPersistentContext.
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  for (const isolated of [true, false]) {
    const server = await serve(isolated);
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    try {
      await page.goto(`http://127.0.0.1:${server.address().port}/`);
      await page.waitForFunction(() => window.__suite, null, { timeout: 30000 });
      const results = await page.evaluate(({ expect: e, isolated: i }) => window.__suite.run({ expect: e, isolated: i }),
        { expect, isolated });
      for (const r of results) {
        const name = `${isolated ? 'isolated' : 'not isolated'}: ${r.name}`;
        if (r.ok) { passed++; console.log(`ok - ${name}`); } else { failed++; console.log(`not ok - ${name}\n  ${r.error.replace(/\n/g, '\n  ')}`); }
      }
    } catch (e) {
      failed++;
      console.log(`not ok - ${isolated ? 'isolated' : 'not isolated'}: page run\n  ${e}\n  ${errors.join('\n  ')}`);
    } finally {
      await page.close();
      server.close();
    }
  }
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
