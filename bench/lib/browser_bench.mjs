#!/usr/bin/env node
// The JS scenarios in headless Chromium (Debian's /usr/bin/chromium through
// web/node_modules/playwright-core), served twice: with COOP/COEP
// (crossOriginIsolated: records(.., {threads}) uses the threaded module)
// and without (it falls back to one thread). JSON on stdout.
//   node bench/lib/browser_bench.mjs --file F [--rounds N] [--threads 2]
// Exit 77 without chromium or playwright-core.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumMissing, inEachMode, ready } from '../../web/test/chromium.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const opt = (n, d) => { const i = args.indexOf(n); return i < 0 ? d : args[i + 1]; };
const file = opt('--file');
const rounds = Number(opt('--rounds', 3));
const threads = Number(opt('--threads', 2));
const missing = chromiumMissing() ?? (file && existsSync(file) ? null : 'no --file');
if (missing) {
  console.error(`browser_bench: skipped (${missing})`);
  process.exit(77);
}
const out = { file, rounds, threads, pages: [] };
const resolve = (pathname) => {
  if (pathname === '/data/main.mrc') return file;
  if (!pathname.startsWith('/web/') && !pathname.startsWith('/bench/lib/')) return null;
  const f = path.join(ROOT, path.normalize(pathname));
  return f.startsWith(ROOT) ? f : null;
};
await inEachMode({ entry: '/bench/lib/browser_page.mjs', name: '__bench', resolve }, async (page, isolated, url, browser) => {
  out.chromium = browser.browser()?.version() ?? null;
  await ready(page, url, '__bench');
  const r = await page.evaluate((o) => window.__bench.run(o), { rounds, threads });
  out.pages.push({ served: isolated ? 'COOP/COEP' : 'plain', ...r });
});
console.log(JSON.stringify(out));
