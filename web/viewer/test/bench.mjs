#!/usr/bin/env node
// Time to first record and total time of the viewer on a large real file,
// with the isolation headers (threaded build when the package has one) and
// without (single-threaded fallback).
//
//   node web/viewer/test/bench.mjs [--mb 200] [--runs 2] [--export]
//        [--modes threads,single,plain] [--formats iso2709,marcxml,json,mrk]
//
// Three configurations: crossOriginIsolated with the threaded reader,
// crossOriginIsolated with ?threads=0 (same page, single-threaded reader:
// what decides the viewer's default), and without isolation. --export
// also exports the whole file in each format and reports the time and the
// peak resident memory of all of Chromium's processes (sampled with ps
// every 100 ms) during the export; the load's peak is sampled the same
// way. --modes picks configurations (threads: isolated, threaded reader;
// single: isolated, ?threads=0; plain: no isolation), in that order.
// Each load and each export prints a line as it ends (a long run keeps
// what it measured), with the load average then: the machine may be
// shared.
// The file is ../shared/data/corpus/real-all.mrc repeated to about --mb
// megabytes, written once to the temp dir. Prints one line per run and a
// JSON summary.
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const VIEWER = path.resolve(HERE, '..');
const WEB = path.resolve(VIEWER, '..');
const ROOT = path.resolve(WEB, '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const MB = opt('--mb', 200);
const RUNS = opt('--runs', 2);
const EXPORT = args.includes('--export');
const list = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1].split(',') : dflt);
const MODES = list('--modes', ['threads', 'single', 'plain']);
const FORMATS = list('--formats', ['iso2709', 'marcxml', 'json', 'mrk']);
const loadAverage = () => os.loadavg().map((x) => +x.toFixed(2));

// Resident memory of every process whose command line names `dir` (the
// browser's profile: all of its processes), in MB.
function rssMB(dir) {
  try {
    const pids = execFileSync('pgrep', ['-f', dir], { encoding: 'utf8' }).trim().split('\n').join(',');
    const kb = execFileSync('ps', ['-o', 'rss=', '-p', pids], { encoding: 'utf8' }).trim().split('\n').reduce((a, x) => a + Number(x), 0);
    return kb / 1024;
  } catch {
    return 0;
  }
}

function loadPlaywright() {
  for (const t of [process.env.PLAYWRIGHT_CORE, path.join(WEB, 'node_modules/'), path.join(VIEWER, 'node_modules/'), '/tmp/viewer-deps/node_modules/'].filter(Boolean)) {
    try {
      return createRequire(t.endsWith('/') ? t : t + '/')(t.endsWith('playwright-core') ? t : 'playwright-core');
    } catch { /* next */ }
  }
  throw new Error('playwright-core not found (npm ci in web/, or PLAYWRIGHT_CORE=...)');
}
const { chromium } = loadPlaywright();

const src = path.resolve(ROOT, '../shared/data/corpus/real-all.mrc');
const one = fs.readFileSync(src);
const copies = Math.max(1, Math.round((MB * 1e6) / one.length));
const big = path.join(os.tmpdir(), `marcato-viewer-big-${copies}.mrc`);
if (!fs.existsSync(big) || fs.statSync(big).size !== one.length * copies) {
  const fd = fs.openSync(big, 'w');
  for (let i = 0; i < copies; i++) fs.writeSync(fd, one);
  fs.closeSync(fd);
}
const size = one.length * copies;
console.log(`file: ${big} (${(size / 1e6).toFixed(0)} MB, ${copies} copies of real-all.mrc)`);

const LAUNCH = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function startServer(isolation) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [path.join(VIEWER, 'serve.mjs'), '--port', '0', ...(isolation ? [] : ['--no-isolation'])],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    p.stdout.on('data', (d) => {
      const m = /listening on (http:\S+)/.exec(String(d));
      if (m) resolve({ proc: p, url: m[1] });
    });
    p.on('exit', (c) => reject(new Error(`server exited ${c}`)));
  });
}

const results = [];
const CONFIGS = { threads: [true, true], single: [true, false], plain: [false, false] };
for (const [isolation, threads] of MODES.map((m) => CONFIGS[m])) {
  const { proc, url: base } = await startServer(isolation);
  const url = threads ? `${base}?threads=1` : `${base}?threads=0`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'marcato-viewer-bench-'));
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', args: LAUNCH, headless: true, viewport: { width: 1400, height: 900 } });
  try {
    const page = ctx.pages()[0] ?? await ctx.newPage();
    // Long tasks (over 50 ms) on the page's main thread while it reads.
    await page.addInitScript(() => {
      window.__longTasks = 0;
      new PerformanceObserver((l) => { window.__longTasks += l.getEntries().length; }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(url);
    await page.waitForFunction(() => window.__viewer.caps, null, { timeout: 30000 });
    const caps = await page.evaluate(() => window.__viewer.caps);
    for (let run = 0; run < RUNS; run++) {
      await page.evaluate(() => { window.__longTasks = 0; });
      const before = await page.evaluate(() => window.__viewer.fileId);
      let loadPeak = rssMB(dir);
      const loadSampler = setInterval(() => { loadPeak = Math.max(loadPeak, rssMB(dir)); }, 100);
      await page.setInputFiles('#file-input', big);
      await page.waitForFunction((b) => window.__viewer.fileId > b, before);
      await page.waitForFunction(() => window.__viewer.done, null, { timeout: 1800000, polling: 100 });
      clearInterval(loadSampler);
      const r = await page.evaluate(() => ({ total: window.__viewer.total, t: window.__viewer.timings, heap: performance.memory ? performance.memory.usedJSHeapSize : 0, longTasks: window.__longTasks ?? -1 }));
      console.log(JSON.stringify({ loaded: url.replace(base, ''), records: r.total, firstRowMs: Math.round(r.t.firstRowMs), totalMs: Math.round(r.t.totalMs), loadPeakRssMB: Math.round(loadPeak), loadAverage: loadAverage() }));
      const q = '650$a~*jazz and LDR/06=j';
      await page.fill('#query', q);
      const t0 = Date.now();
      await page.press('#query', 'Enter');
      await page.waitForFunction(() => window.__viewer.view && window.__viewer.view.done, null, { timeout: 1800000, polling: 100 });
      const qms = Date.now() - t0;
      const matches = await page.evaluate(() => window.__viewer.view.length);
      await page.click('#query-clear');
      const exports = {};
      for (const fmt of EXPORT && run === 0 ? FORMATS : []) {
        await page.selectOption('#export-format', fmt);
        const baseline = rssMB(dir);
        let peak = baseline;
        const sampler = setInterval(() => { peak = Math.max(peak, rssMB(dir)); }, 100);
        const t1 = Date.now();
        const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 3600000 }), page.click('#export-button')]);
        const out = path.join(dir, `export.${fmt}`);
        await dl.saveAs(out);
        clearInterval(sampler);
        exports[fmt] = { s: +((Date.now() - t1) / 1000).toFixed(1), MB: +(fs.statSync(out).size / 1e6).toFixed(0), beforeRssMB: Math.round(baseline), peakRssMB: Math.round(peak), loadAverage: loadAverage() };
        console.log(JSON.stringify({ exported: fmt, ...exports[fmt] }));
        fs.rmSync(out);
      }
      const row = {
        mode: isolation ? 'crossOriginIsolated' : 'no isolation',
        threads: caps.threads,
        threadsUsed: await page.evaluate(() => window.__viewer.threadsUsed),
        records: r.total,
        firstRowMs: Math.round(r.t.firstRowMs),
        totalMs: Math.round(r.t.totalMs),
        loadPeakRssMB: Math.round(loadPeak),
        MBps: +(size / 1e6 / (r.t.totalMs / 1000)).toFixed(1),
        queryMs: qms,
        queryMatches: matches,
        pageHeapMB: +(r.heap / 1e6).toFixed(1),
        longTasks: r.longTasks,
        ...(EXPORT && run === 0 ? { exports } : {}),
        loadAverage: loadAverage(),
      };
      results.push(row);
      console.log(JSON.stringify(row));
    }
  } finally {
    await ctx.close();
    proc.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
console.log(JSON.stringify({ file: { size, copies }, results }, null, 1));
