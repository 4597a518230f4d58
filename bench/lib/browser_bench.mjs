#!/usr/bin/env node
// The JS scenarios in headless Chromium (Debian's /usr/bin/chromium through
// web/node_modules/playwright-core), served twice: with COOP/COEP
// (crossOriginIsolated: records(.., {threads}) uses the threaded module)
// and without (it falls back to one thread). JSON on stdout.
//   node bench/lib/browser_bench.mjs --file F [--rounds N] [--threads 2]
// Exit 77 without chromium or playwright-core.
import http from 'node:http';
import { existsSync, mkdtempSync, rmSync, createReadStream, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const opt = (n, d) => { const i = args.indexOf(n); return i < 0 ? d : args[i + 1]; };
const file = opt('--file');
const rounds = Number(opt('--rounds', 3));
const threads = Number(opt('--threads', 2));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
let chromium;
try { ({ chromium } = createRequire(path.join(ROOT, 'web/package.json'))('playwright-core')); } catch { /* below */ }
if (!chromium || !existsSync(CHROMIUM) || !file || !existsSync(file)) {
  console.error(`browser_bench: skipped (${!chromium ? 'no playwright-core: npm ci in web/' : !existsSync(CHROMIUM) ? `no ${CHROMIUM}` : 'no --file'})`);
  process.exit(77);
}
const TYPES = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
function serve(isolated) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const headers = isolated ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {};
    if (url.pathname === '/') {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/html' });
      res.end('<!doctype html><meta charset="utf-8"><title>bench</title><script type="module">import("/bench/lib/browser_page.mjs").then((m) => { window.__bench = m; });</script>');
      return;
    }
    let f = null;
    if (url.pathname === '/data/main.mrc') f = file;
    else if (url.pathname.startsWith('/web/') || url.pathname.startsWith('/bench/lib/')) f = path.join(ROOT, path.normalize(url.pathname));
    if (!f || (f !== file && !f.startsWith(ROOT)) || !existsSync(f) || !statSync(f).isFile()) { res.writeHead(404, headers); res.end(); return; }
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(f)] ?? 'application/octet-stream' });
    createReadStream(f).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
const profile = mkdtempSync(path.join(tmpdir(), 'marcato-bench-chromium-'));
const out = { file, rounds, threads, pages: [] };
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM, headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  out.chromium = browser.browser()?.version() ?? null;
  for (const isolated of [true, false]) {
    const server = await serve(isolated);
    const page = await browser.newPage();
    try {
      await page.goto(`http://127.0.0.1:${server.address().port}/`);
      await page.waitForFunction(() => window.__bench, null, { timeout: 30000 });
      const r = await page.evaluate((o) => window.__bench.run(o), { rounds, threads });
      out.pages.push({ served: isolated ? 'COOP/COEP' : 'plain', ...r });
    } finally {
      await page.close();
      server.close();
    }
  }
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify(out));
