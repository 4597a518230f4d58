#!/usr/bin/env node
// End-to-end tests of the MARC viewer in headless Chromium.
//
//   node web/viewer/test/e2e.mjs [--big] [--docs] [--only isolated|plain]
//
// Starts web/viewer/serve.mjs on a free port twice: with the isolation
// headers (crossOriginIsolated, threaded build when the package has one)
// and with --no-isolation (single-threaded fallback), and runs every check
// in both. --big also opens a file of 100,000+ records (corpus/real-all.mrc
// repeated, written to the temp dir) and checks the virtual list and
// timings. Screenshots go to $TMPDIR/marcato-viewer-e2e/; --docs copies a
// few into web/viewer/docs/. Counts are compared with the native CLI
// (build/*/native/marcato) when one is built, else with known counts.
// Needs playwright-core (web/node_modules, web/viewer/node_modules, or
// PLAYWRIGHT_CORE=/path/to/node_modules/playwright-core) and
// /usr/bin/chromium. Last line: "N passed, N failed"; exit 1 on failure.
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { iso2709, concat } from '../../test/iso2709-fixture.js';
import { checkColumns } from './e2e-columns.mjs';
import { checkOpening, checkWorkbench } from './e2e-workbench.mjs';
import { checkLayout } from './e2e-layout.mjs';
import { checkValidation } from './e2e-validation.mjs';
import { checkSavePicker } from './e2e-export.mjs';
import { checkLeaderFromSchema } from './e2e-leader.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const VIEWER = path.resolve(HERE, '..');
const WEB = path.resolve(VIEWER, '..');
const ROOT = path.resolve(WEB, '..');
const SHARED = path.resolve(ROOT, '../shared/data');
const args = process.argv.slice(2);
const BIG = args.includes('--big');
const DOCS = args.includes('--docs');
const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1] : '';
const OUT = path.join(os.tmpdir(), 'marcato-viewer-e2e');
fs.mkdirSync(OUT, { recursive: true });
// The 006/007/008 table web/build.sh generates from the core's schema.
execFileSync(process.execPath, [path.join(VIEWER, 'data/gen-fixed-fields.mjs')], { stdio: 'ignore' });

function loadPlaywright() {
  const tries = [process.env.PLAYWRIGHT_CORE, path.join(WEB, 'node_modules/'), path.join(VIEWER, 'node_modules/'),
    path.join(ROOT, 'node_modules/'), '/tmp/viewer-deps/node_modules/'].filter(Boolean);
  for (const t of tries) {
    try {
      const req = createRequire(t.endsWith('/') ? t : t + '/');
      return req(t.endsWith('playwright-core') ? t : 'playwright-core');
    } catch { /* next */ }
  }
  console.error('e2e: playwright-core not found: run `npm ci` in web/ (or `npm i --no-save playwright-core`), or set PLAYWRIGHT_CORE');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const { chromium } = loadPlaywright();

// ---------------------------------------------------------------- files
const FILES = {
  marc8: fs.existsSync(path.join(SHARED, 'corpus/real-marc8.mrc')) ? path.join(SHARED, 'corpus/real-marc8.mrc') : null,
  all: path.join(SHARED, 'corpus/real-all.mrc'),
  truncated: path.join(ROOT, 'tests/data/errors/mrrc/e005_truncated_record.bin'),
  badDirectory: path.join(ROOT, 'tests/data/errors/mrrc/e101_directory_non_digit_length.bin'),
  junk: path.join(ROOT, 'tests/data/errors/streams/junk_between_sound.bin'),
  xml: path.join(ROOT, 'tests/data/formats/seed_collection.xml'),
  json: path.join(ROOT, 'tests/data/formats/seed_array.json'),
  yaz: path.join(ROOT, 'tests/data/yaz/marc1.marc'),
};
const KNOWN = { marc8: 1973, all: 8046 };

function findCLI() {
  // As the package's tests take it (scripts/test-web.sh sets it).
  if (process.env.MARCATO_CLI && fs.existsSync(process.env.MARCATO_CLI)) return process.env.MARCATO_CLI;
  const b = path.join(ROOT, 'build');
  if (!fs.existsSync(b)) return null;
  const c = fs.readdirSync(b).map((d) => path.join(b, d, 'native/marcato')).filter((p) => fs.existsSync(p))
    .map((p) => ({ p, t: fs.statSync(p).mtimeMs })).sort((x, y) => y.t - x.t);
  for (const { p } of c) {
    try {
      execFileSync(p, ['count', '/dev/null'], { stdio: 'pipe' });
      return p;
    } catch { /* not runnable: next */ }
  }
  return null;
}
const CLI = findCLI();
function cliOut(argv, input) {
  try {
    return execFileSync(CLI, argv, { stdio: ['pipe', 'pipe', 'ignore'], input, maxBuffer: 1 << 30 });
  } catch (e) {
    return e.stdout; // exit 1 when input had problems: output is still complete
  }
}
function cliCount(file) {
  if (!CLI) return null;
  return Number(String(cliOut(['count', file])).trim());
}
function cliFilterCount(query, file) {
  if (!CLI) return null;
  const out = cliOut(['filter', query, file]);
  return Number(String(cliOut(['count', '-'], out)).trim());
}
// The 001 of each record `marcato filter` writes, in order ('' for none),
// as the viewer's list shows them (trimmed, at most 40 characters).
function cliFilterIds(query, file) {
  const out = String(cliOut(['filter', query, '-t', 'jsonl', file]));
  return out.split('\n').filter(Boolean).map((line) => {
    const f = JSON.parse(line).fields.find((x) => '001' in x);
    return f ? String(f['001']).trim().slice(0, 40) : '';
  });
}
// Queries whose answers the viewer's search and `marcato filter` must
// agree on, record for record: ASCII and not, positions, regular
// expressions counted in characters or bytes, indicators, patterns, the
// leader of records converted from MARC-8.
const PARITY = [
  'LDR/06=j and 650$a~*jazz', '245$a~^[[:upper:]]', '245$a~^.{5}$', '245$a~^.{1,3}$', '100$a~é',
  '245$a~*é', 'LDR/09=a', '008/35-37=ger or 008/35-37=fre', '6XX$a~*music and not 650.ind2=0',
  '020$a~^[0-9]{9}[0-9X]', 'not 245$c', '1XX$d~^[0-9]{4}-', '245$ab~*^the ', '1..', '650$x~*history',
  // MARCspec operands: subspecs, indexes, character ranges.
  '650$a{$2=\\fast}', '650[0]$a{^2=\\0} and not 7..', '245$a/0-2=\\The or 600$a{$d}',
];

// ---------------------------------------------------------------- harness
let passed = 0, failed = 0;
const failures = [];
function ok(cond, name, detail = '') {
  if (cond) {
    passed++;
    console.log(`ok   ${name}`);
  } else {
    failed++;
    failures.push(name);
    console.log(`FAIL ${name}${detail ? ` -- ${detail}` : ''}`);
  }
}
async function check(name, fn) {
  try {
    await fn();
  } catch (e) {
    ok(false, name, e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : String(e));
  }
}

function startServer(isolation) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [path.join(VIEWER, 'serve.mjs'), '--port', '0', ...(isolation ? [] : ['--no-isolation'])],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    const t = setTimeout(() => reject(new Error('server did not start')), 10000);
    p.stdout.on('data', (d) => {
      const m = /listening on (http:\S+)/.exec(String(d));
      if (m) {
        clearTimeout(t);
        resolve({ proc: p, url: m[1] });
      }
    });
    p.on('exit', (c) => reject(new Error(`server exited ${c}`)));
  });
}

const LAUNCH = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function waitDone(page, timeout = 120000) {
  await page.waitForFunction(() => window.__viewer.done || window.__viewer.errors.length, null, { timeout });
  return page.evaluate(() => ({ total: window.__viewer.total, t: window.__viewer.timings, errors: window.__viewer.errors, format: window.__viewer.format }));
}
async function openPath(page, file) {
  const before = await page.evaluate(() => window.__viewer.fileId);
  await page.setInputFiles('#file-input', file);
  await page.waitForFunction((b) => window.__viewer.fileId > b, before);
  return waitDone(page);
}
async function waitFilter(page) {
  await page.waitForFunction(() => !window.__viewer.view || window.__viewer.view.done || /error/.test(document.getElementById('message').className), null, { timeout: 60000 });
  return page.evaluate(() => (window.__viewer.view ? window.__viewer.view.length : -1));
}
async function shownIndex(page, idx) {
  await page.waitForFunction((i) => window.__viewer.lastRecord && window.__viewer.lastRecord.index === i, idx, { timeout: 10000 });
}

// ---------------------------------------------------------------- the checks
async function suite(isolation) {
  const mode = isolation ? 'isolated' : 'plain';
  const { proc, url } = await startServer(isolation);
  // A fresh user-data-dir per run.
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'marcato-viewer-chromium-'));
  const ctx = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium', args: LAUNCH, headless: true,
    viewport: { width: 1400, height: 900 }, acceptDownloads: true, permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = ctx.pages()[0] ?? await ctx.newPage();
  const cspErrors = [], pageErrors = [];
  page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) cspErrors.push(m.text()); });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const shot = (name) => page.screenshot({ path: path.join(OUT, `${mode}-${name}.png`) });
  try {
    await check(`${mode}: page loads with its headers`, async () => {
      // The threaded reader is opt-in (?threads=1): the isolated run takes it.
      const resp = await page.goto(isolation ? `${url}?threads=1` : url);
      const h = resp.headers();
      ok(/script-src 'self' 'wasm-unsafe-eval'/.test(h['content-security-policy'] ?? ''), `${mode}: CSP header forbids inline script`);
      ok((h['cross-origin-embedder-policy'] === 'require-corp') === isolation, `${mode}: COEP header ${isolation ? 'present' : 'absent'}`);
      await page.waitForFunction(() => window.__viewer.caps, null, { timeout: 20000 });
      const caps = await page.evaluate(() => ({ ...window.__viewer.caps, coi: self.crossOriginIsolated }));
      ok(caps.coi === isolation, `${mode}: crossOriginIsolated is ${isolation}`);
      ok(!isolation ? caps.threads === false : true, `${mode}: no threads without isolation`, JSON.stringify(caps));
      console.log(`     capabilities: ${JSON.stringify(caps)}`);
      const wasm = await page.evaluate(async () => (await fetch('../dist/marcato.wasm')).headers.get('content-type'));
      ok(wasm === 'application/wasm', `${mode}: .wasm served as application/wasm`, wasm);
      const js = await page.evaluate(async () => (await fetch('../src/browser.js')).headers.get('content-type'));
      ok(/^text\/javascript/.test(js), `${mode}: .js served as text/javascript`, js);
    });

    if (FILES.marc8) {
      await check(`${mode}: MARC-8 file: count and titles`, async () => {
        const r = await openPath(page, FILES.marc8);
        const want = cliCount(FILES.marc8) ?? KNOWN.marc8;
        ok(r.total === want, `${mode}: real-marc8.mrc has ${want} records`, `got ${r.total}`);
        ok(r.t.firstRowMs > 0 && r.t.firstRowMs <= r.t.totalMs, `${mode}: first rows shown before the end (${r.t.firstRowMs.toFixed(0)} ms of ${r.t.totalMs.toFixed(0)} ms)`);
        const first = await page.locator('#list .row').first().locator('.c-title').textContent();
        ok(first === 'How to program a computer', `${mode}: first title in the list`, first);
        await shownIndex(page, 0);
        const h2 = await page.locator('#record-title').textContent();
        ok(h2 === 'How to program a computer', `${mode}: record view title`, h2);
        const tag245 = await page.locator('#record .fields td.tag', { hasText: '245' }).first().getAttribute('title');
        ok(tag245 === 'Title Statement', `${mode}: 245 named from fields.json`, tag245);
        await checkLeaderFromSchema(page, { mode, ok });
        await shot('marc8');
      });

      await check(`${mode}: keyboard navigation`, async () => {
        await page.locator('#list').focus();
        await page.keyboard.press('Home');
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Enter');
        await shownIndex(page, 2);
        const ad = await page.locator('#list').getAttribute('aria-activedescendant');
        const pos = await page.locator(`#${ad}`).getAttribute('aria-posinset');
        ok(pos === '3', `${mode}: arrow keys move the active row (aria-activedescendant)`, pos);
        const focused = await page.evaluate(() => document.activeElement.id);
        ok(focused === 'record', `${mode}: Enter opens the record and focuses it`, focused);
        const rows = await page.locator('#list .row').count();
        ok(rows < 80, `${mode}: the list keeps few rows in the DOM (${rows})`);
      });

      await check(`${mode}: jump to record N`, async () => {
        await page.fill('#jump', '1500');
        await page.press('#jump', 'Enter');
        await shownIndex(page, 1499);
        ok(true, `${mode}: jump to 1500 shows record 1500`);
      });

      await check(`${mode}: views (MRK, MARCXML, JSON, raw)`, async () => {
        for (const [view, re] of [['mrk', /^=LDR {2}/], ['xml', /<record xmlns=/], ['json', /"leader":/], ['raw', /¶/]]) {
          await page.click(`#record [data-view="${view}"]`);
          const t = await page.locator('#record pre.out').first().textContent();
          ok(re.test(t), `${mode}: ${view} view`, t.slice(0, 80));
        }
        await page.click('#record [data-view="fields"]');
      });

      await check(`${mode}: query search`, async () => {
        const q = 'LDR/06=j and 650$a~*jazz';
        await page.fill('#query', q);
        await page.press('#query', 'Enter');
        const n = await waitFilter(page);
        const want = cliFilterCount(q, FILES.marc8);
        ok(n > 0 && (want === null || n === want), `${mode}: "${q}" finds ${want ?? 'some'} records`, `got ${n}`);
        await shot('query');
        // Every listed record is a musical sound recording.
        const types = await page.locator('#list .row:not([hidden]) .c-type').allTextContents();
        ok(types.length > 0 && types.every((t) => t === 'j'), `${mode}: filtered rows have type j`, types.join(''));
        await page.fill('#query', '245$a~*(');
        await page.press('#query', 'Enter');
        await page.waitForFunction(() => /error/.test(document.getElementById('message').className));
        const msg = await page.locator('#message').textContent();
        ok(/query: invalid regular expression at position/.test(msg), `${mode}: a bad query is reported`, msg);
      });

      await check(`${mode}: export of the filtered set (ISO 2709)`, async () => {
        const q = 'LDR/06=c';
        await page.fill('#query', q);
        await page.press('#query', 'Enter');
        const n = await waitFilter(page);
        await page.selectOption('#export-scope', 'filtered');
        await page.selectOption('#export-format', 'iso2709');
        const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-button')]);
        const file = path.join(OUT, `${mode}-export.mrc`);
        await dl.saveAs(file);
        ok(/-filtered\.mrc$/.test(dl.suggestedFilename()), `${mode}: download name`, dl.suggestedFilename());
        const got = cliCount(file) ?? fs.readFileSync(file).filter((b) => b === 0x1d).length;
        ok(got === n && n > 0, `${mode}: exported ${n} records`, `file has ${got}`);
        if (CLI) {
          const again = cliFilterCount(q, file);
          ok(again === n, `${mode}: every exported record matches the query`, `${again}`);
        }
      });

      await check(`${mode}: export of selected records (MARCXML, JSON, MRK)`, async () => {
        await page.click('#query-clear');
        await page.waitForFunction(() => !window.__viewer.view);
        await page.locator('#list').focus();
        await page.keyboard.press('Home');
        await page.keyboard.press('Space');
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Space');
        const sel = await page.evaluate(() => window.__viewer.selected.size);
        ok(sel === 2, `${mode}: Space selects records`, String(sel));
        await page.selectOption('#export-scope', 'selected');
        for (const [fmt, test] of [
          ['marcxml', (t) => (t.match(/<record[ >]/g) ?? []).length === 2 && t.startsWith('<?xml') && /<\/collection>\s*$/.test(t)],
          ['json', (t) => { const j = JSON.parse(t); return j.length === 2 && j[0].leader.length === 24; }],
          ['mrk', (t) => (t.match(/^=LDR/gm) ?? []).length === 2],
        ]) {
          await page.selectOption('#export-format', fmt);
          const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-button')]);
          const file = path.join(OUT, `${mode}-selected.${fmt}`);
          await dl.saveAs(file);
          const text = fs.readFileSync(file, 'utf8');
          let good = false;
          try { good = test(text); } catch { good = false; }
          ok(good, `${mode}: selected records exported as ${fmt}`, text.slice(0, 120));
        }
        await page.keyboard.press('Escape');
      });

      await check(`${mode}: diagnostics filter and view`, async () => {
        await page.check('#diag-only');
        const n = await waitFilter(page);
        const expected = await page.evaluate(() => window.__viewer.stats.recordsWithDiags);
        ok(n === expected && n > 0, `${mode}: "with diagnostics only" lists ${expected} records`, String(n));
        const idx = await page.evaluate(() => window.__viewer.view.indices[0]);
        await shownIndex(page, idx);
        await page.click('#record [data-view="diags"]');
        await page.waitForSelector('#record .diag pre.hex .hl');
        const d = await page.locator('#record .diag').first().textContent();
        ok(/SUBFIELD_DELIMITER|INDICATOR_COUNT|[A-Z_]{6,}/.test(d) && /byte offset/.test(d), `${mode}: diagnostic with code and offset`, d.slice(0, 120));
        const hl = await page.locator('#record .diag pre.hex .hl').first().getAttribute('title');
        ok(/^byte /.test(hl), `${mode}: hex view highlights the byte`, hl);
        await shot('diagnostics');
        await page.uncheck('#diag-only');
      });

      await check(`${mode}: statistics charts`, async () => {
        await page.click('#tab-stats');
        const charts = await page.locator('#stats svg.chart').count();
        ok(charts >= 4, `${mode}: ${charts} SVG charts`);
        // Names come from data files the page loads on its own time: wait
        // for them (a loaded machine can be slow) rather than sample once.
        const named = await page.waitForFunction(() => {
          const t = document.getElementById('stats').textContent;
          return /Language material/.test(t) && /MARC-8/.test(t) && /650 Subject Added Entry[–-]Topical Term/.test(t);
        }, null, { timeout: 15000 }).then(() => true, () => false);
        ok(named, `${mode}: charts name types, encodings, tags`);
        await shot('stats');
        await page.click('#tab-records');
      });

      await check(`${mode}: columns view: a table of MARCspec values, CSV as marcato select`,
        () => checkColumns(page, { mode, ok, cli: CLI, cliOut, file: FILES.marc8, out: OUT, shot }));

      await check(`${mode}: workbench: search, edit, compare, export, 880, 008, permalinks`,
        () => checkWorkbench(page, { mode, ok, cli: CLI, cliOut, file: FILES.marc8, out: OUT }));

      await check(`${mode}: export through the save-file picker, and the picker cancelled`,
        () => checkSavePicker(page, { mode, ok, out: OUT }));

      await check(`${mode}: zoom, reflow and an automated accessibility check`,
        () => checkLayout(page, { mode, ok, shot }));

      await check(`${mode}: validation: problems at fields, the report of validate --summary, records of a problem, --reject`,
        () => checkValidation(page, { mode, ok, cli: CLI, cliOut, file: FILES.marc8, out: OUT, shot }));
    }

    await check(`${mode}: opening: not MARC, a second file while the first is read`,
      () => checkOpening(page, { mode, ok, openPath, files: { all: fs.existsSync(FILES.all) ? FILES.all : null, marc8: FILES.marc8 } }));

    if (CLI && fs.existsSync(FILES.all)) {
      await check(`${mode}: search gives the records marcato filter gives`, async () => {
        await openPath(page, FILES.all);
        for (const q of PARITY) {
          await page.fill('#query', q);
          await page.press('#query', 'Enter');
          await waitFilter(page);
          const got = await page.evaluate(() => {
            const v = window.__viewer.view;
            return v ? Array.from(v.indices.subarray(0, v.length), (i) => window.__viewer.ids[i]) : null;
          });
          // Accented letters match composed or decomposed (unless negated).
          const other = q.normalize('NFC') === q ? q.normalize('NFD') : q.normalize('NFC');
          const want = cliFilterIds(other !== q && !/\bnot\b/.test(q) ? `(${q}) or (${other})` : q, FILES.all);
          ok(got !== null && got.join('\n') === want.join('\n'), `${mode}: "${q}": ${want.length} records as marcato filter`,
            `viewer ${got ? got.length : 'error'}`);
        }
        await page.click('#query-clear');
      });
    }

    await check(`${mode}: malformed files`, async () => {
      for (const f of [FILES.truncated, FILES.badDirectory, FILES.junk]) {
        if (!fs.existsSync(f)) continue;
        const r = await openPath(page, f);
        const want = cliCount(f);
        ok(want === null ? r.total >= 0 : r.total === want, `${mode}: ${path.basename(f)}: ${r.total} records (CLI: ${want})`);
        const nd = await page.evaluate(() => window.__viewer.stats.diagnostics);
        ok(nd > 0, `${mode}: ${path.basename(f)}: diagnostics reported (${nd})`);
        if (r.total) {
          await shownIndex(page, 0);
          await page.click('#record [data-view="diags"]');
          const items = await page.locator('#record .diag').count();
          ok(items > 0 || (await page.evaluate(() => window.__viewer.ndiag[0])) === 0, `${mode}: ${path.basename(f)}: diagnostics view lists ${items}`);
          await page.click('#record [data-view="fields"]');
        }
        if (r.total > 1) {
          // The record after the damage is re-read from its bytes and shown.
          await page.locator('#list').focus();
          await page.keyboard.press('End');
          await shownIndex(page, r.total - 1);
          const errs = await page.evaluate(() => window.__viewer.lastRecord.errors.length);
          const fields = await page.locator('#record .fields tbody tr').count();
          ok(errs === 0 && fields > 3, `${mode}: ${path.basename(f)}: the last record is shown (${fields} rows)`);
        }
      }
    });

    await check(`${mode}: MARCXML input`, async () => {
      if (!fs.existsSync(FILES.xml)) return;
      const readers = await page.evaluate(() => window.__viewer.caps.readers);
      const before = await page.evaluate(() => window.__viewer.fileId);
      await page.setInputFiles('#file-input', FILES.xml);
      await page.waitForFunction((b) => window.__viewer.fileId > b, before);
      if (readers.includes('marcxml')) {
        const r = await waitDone(page);
        const xml = fs.readFileSync(FILES.xml, 'utf8');
        const want = (xml.match(/<(\w+:)?record[\s>]/g) ?? []).length;
        ok(r.format === 'marcxml' && r.total === want, `${mode}: MARCXML read: ${r.total} records`, `want ${want}`);
      } else {
        await page.waitForFunction(() => /error/.test(document.getElementById('message').className));
        const msg = await page.locator('#message').textContent();
        ok(/cannot read MARCXML/.test(msg), `${mode}: MARCXML not in this package build: clear message`, msg);
      }
    });

    await check(`${mode}: MARC-in-JSON input`, async () => {
      if (!fs.existsSync(FILES.json)) return;
      const readers = await page.evaluate(() => window.__viewer.caps.readers);
      ok(readers.includes('json'), `${mode}: this package build reads MARC-in-JSON`, readers.join(','));
      if (!readers.includes('json')) return;
      const r = await openPath(page, FILES.json);
      const want = JSON.parse(fs.readFileSync(FILES.json, 'utf8')).length;
      ok(r.format === 'json' && r.total === want, `${mode}: MARC-in-JSON read: ${r.total} records`, `want ${want}`);
    });

    await check(`${mode}: MARCMaker and JSON Lines input, by sniffing`, async () => {
      const mrk = path.join(ROOT, 'tests/data/formats/seed_records.mrk');
      if (fs.existsSync(mrk)) {
        const r = await openPath(page, mrk);
        const want = (fs.readFileSync(mrk, 'utf8').match(/^=LDR/gm) ?? []).length;
        ok(r.format === 'mrk' && r.total === want, `${mode}: .mrk read: ${r.total} records`, `${r.format}, want ${want}`);
      }
      if (CLI && fs.existsSync(FILES.all)) {
        const lines = path.join(OUT, 'five.jsonl');
        fs.writeFileSync(lines, cliOut(['head', '-n', '5', '-t', 'jsonl', FILES.all]));
        const want = fs.readFileSync(lines, 'utf8').split('\n').filter(Boolean).length;
        const r = await openPath(page, lines);
        ok(r.format === 'jsonl' && r.total === want && want > 1, `${mode}: JSON Lines read: ${r.total} records`, `${r.format}, want ${want}`);
      }
    });

    await check(`${mode}: hostile record renders inert`, async () => {
      const rec = iso2709('00000nam a2200000 a 4500', [
        ['001', 'evil<b>1</b>'],
        ['245', '10', [['a', '<script>window.__pwned=1</script>'], ['c', '"><svg onload=window.__pwned=4>']]],
        ['500', '  ', [['a', '<img src=x onerror=window.__pwned=3>']]],
        ['856', '40', [['u', 'javascript:window.__pwned=2'], ['y', '<a href="javascript:window.__pwned=5">click</a>']]],
      ]);
      const bytes = Array.from(concat([rec, rec]));
      const before = await page.evaluate(() => window.__viewer.fileId);
      // Drag and drop, as a cataloger would.
      await page.evaluate((b) => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array(b)], 'hostile.mrc', { type: 'application/marc' }));
        window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, bytes);
      await page.waitForFunction((b) => window.__viewer.fileId > b, before);
      const r = await waitDone(page);
      ok(r.total === 2, `${mode}: hostile file opened by drop (${r.total} records)`);
      await shownIndex(page, 0);
      const title = await page.locator('#list .row').first().locator('.c-title').textContent();
      ok(title.startsWith('<script>window.__pwned=1</script>'), `${mode}: script tag shown literally in the list`, title);
      const h2 = await page.locator('#record-title').textContent();
      ok(h2.includes('<script>window.__pwned=1</script>'), `${mode}: script tag shown literally in the record`, h2);
      const data = await page.locator('#record .fields').textContent();
      ok(data.includes('<img src=x onerror=window.__pwned=3>') && data.includes('javascript:window.__pwned=2'), `${mode}: img/javascript: text shown literally`);
      for (const view of ['mrk', 'xml', 'json', 'raw']) {
        await page.click(`#record [data-view="${view}"]`);
        await page.waitForTimeout(50);
      }
      await page.click('#record [data-view="fields"]');
      await page.locator('#list').focus();
      await page.keyboard.press('ArrowDown');
      await shownIndex(page, 1);
      await page.click('#tab-stats');
      await page.click('#tab-records');
      await page.waitForTimeout(300);
      const pwned = await page.evaluate(() => window.__pwned);
      ok(pwned === undefined, `${mode}: window.__pwned stays undefined`, String(pwned));
      const injected = await page.evaluate(() => document.querySelectorAll('#record script, #record img, #record svg, #record a[href^="javascript"], #list script, #list img').length);
      ok(injected === 0, `${mode}: no elements built from record content`, String(injected));
      await shot('hostile');
    });

    if (BIG && isolation !== null) {
      await check(`${mode}: 100,000+ records`, async () => {
        const big = bigFile(13);
        const r = await openPath(page, big.path);
        const want = (cliCount(FILES.all) ?? KNOWN.all) * big.copies;
        ok(r.total === want, `${mode}: big file has ${want} records`, String(r.total));
        console.log(`     big file ${(big.size / 1e6).toFixed(0)} MB: first row ${r.t.firstRowMs.toFixed(0)} ms, total ${(r.t.totalMs / 1000).toFixed(2)} s`);
        const rows = await page.locator('#list .row').count();
        ok(rows < 80, `${mode}: ${rows} row elements for ${r.total} records`);
        await page.fill('#jump', String(want - 5));
        await page.press('#jump', 'Enter');
        await shownIndex(page, want - 6);
        const ad = await page.locator('#list').getAttribute('aria-activedescendant');
        const vis = await page.locator(`#${ad}`).isVisible();
        ok(vis, `${mode}: jump near the end keeps the active row visible`);
        // Scrolling: frames stay short while the list scrolls.
        const frames = await page.evaluate(async () => {
          const box = document.getElementById('list');
          const times = [];
          let last = performance.now();
          for (let i = 0; i < 60; i++) {
            box.scrollTop = (i / 60) * box.scrollHeight;
            await new Promise((res) => requestAnimationFrame(res));
            const now = performance.now();
            times.push(now - last);
            last = now;
          }
          times.sort((a, b) => a - b);
          return { median: times[30], p95: times[57] };
        });
        console.log(`     scroll frames: median ${frames.median.toFixed(1)} ms, p95 ${frames.p95.toFixed(1)} ms`);
        ok(frames.p95 < 100, `${mode}: scrolling the big list stays smooth (p95 ${frames.p95.toFixed(1)} ms)`);
        await shot('big');
      });
    }
    ok(cspErrors.length === 0, `${mode}: no CSP violations`, cspErrors.join(' | '));
    ok(pageErrors.length === 0, `${mode}: no page errors`, pageErrors.join(' | '));
  } finally {
    await ctx.close();
    proc.kill();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

let bigCache = null;
function bigFile(copies) {
  if (bigCache) return bigCache;
  const p = path.join(os.tmpdir(), `marcato-viewer-big-${copies}.mrc`);
  const src = fs.readFileSync(FILES.all);
  if (!fs.existsSync(p) || fs.statSync(p).size !== src.length * copies) {
    const fd = fs.openSync(p, 'w');
    for (let i = 0; i < copies; i++) fs.writeSync(fd, src);
    fs.closeSync(fd);
  }
  bigCache = { path: p, copies, size: src.length * copies };
  return bigCache;
}

const modes = ONLY === 'isolated' ? [true] : ONLY === 'plain' ? [false] : [true, false];
for (const isolation of modes) {
  try {
    await suite(isolation);
  } catch (e) {
    ok(false, `${isolation ? 'isolated' : 'plain'}: suite`, e.message);
  }
}

if (DOCS) {
  const docs = path.join(VIEWER, 'docs');
  fs.mkdirSync(docs, { recursive: true });
  for (const [from, to] of [['isolated-marc8.png', 'records.png'], ['isolated-stats.png', 'statistics.png'], ['isolated-diagnostics.png', 'diagnostics.png']]) {
    const f = path.join(OUT, from);
    if (fs.existsSync(f)) fs.copyFileSync(f, path.join(docs, to));
  }
}
console.log(`screenshots: ${OUT}`);
if (failures.length) console.log(`failed: ${failures.join('; ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
