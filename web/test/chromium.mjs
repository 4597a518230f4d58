// Headless Chromium for the package's browser tests and the benchmarks'
// browser section: one way to find Debian's chromium and playwright-core,
// serve files with or without COOP/COEP, and run a page in each mode.
import http from 'node:http';
import { existsSync, mkdtempSync, rmSync, createReadStream, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const WEB = fileURLToPath(new URL('../', import.meta.url));

/** playwright-core's chromium from web/node_modules, or null. */
export function playwrightChromium() {
  try { return createRequire(path.join(WEB, 'package.json'))('playwright-core').chromium; } catch { return null; }
}

/** Why Chromium tests cannot run here, or null when they can. */
export function chromiumMissing() {
  if (!playwrightChromium()) return 'no playwright-core (npm ci in web/)';
  if (!existsSync(CHROMIUM)) return `no ${CHROMIUM}`;
  return null;
}

const TYPES = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.json': 'application/json' };

/** A local HTTP server on a free port: `/` is a page that imports `entry`
 * and sets `window[name]` to the module; every other path is the file
 * `resolve(pathname)` names (null: 404). `isolated` adds COOP/COEP, so the
 * page is crossOriginIsolated and the threaded module can run. */
function serve({ isolated, entry, name, resolve }) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const headers = isolated ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {};
    if (url.pathname === '/') {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/html' });
      res.end(`<!doctype html><meta charset="utf-8"><title>marcato</title><script type="module">import(${JSON.stringify(entry)}).then((m) => { window.${name} = m; });</script>`);
      return;
    }
    const file = resolve(url.pathname);
    if (!file || !existsSync(file) || !statSync(file).isFile()) { res.writeHead(404, headers); res.end(); return; }
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

/** Run `fn(page, isolated, url, browser)` on a fresh page in each mode
 * (with COOP/COEP first, then without), in one headless Chromium with a
 * fresh profile that is removed afterwards. `url` is the page `serve`
 * makes: fn loads it (after setting up any listeners) and waits for it with
 * `ready(page, name)`. */
export async function inEachMode({ entry, name, resolve }, fn) {
  const profile = mkdtempSync(path.join(tmpdir(), 'marcato-chromium-'));
  const browser = await playwrightChromium().launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    for (const isolated of [true, false]) {
      const server = await serve({ isolated, entry, name, resolve });
      const page = await browser.newPage();
      try {
        await fn(page, isolated, `http://127.0.0.1:${server.address().port}/`, browser);
      } finally {
        await page.close();
        server.close();
      }
    }
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Load `url` and wait until the page's module has set window[name]. */
export async function ready(page, url, name) {
  await page.goto(url);
  await page.waitForFunction((n) => window[n], name, { timeout: 30000 });
}
