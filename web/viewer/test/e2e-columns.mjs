// The viewer's columns view, end to end (run by e2e.mjs on real-marc8.mrc,
// open in `page`): MARCspecs typed into inputs, the table's first pages
// against `marcato select -t jsonl`, the CSV export byte for byte against
// `marcato select -t csv` (MARC-8 converted, traject shorthand, repeated
// values joined), and a bad spec's message and marked input.
import fs from 'node:fs';
import path from 'node:path';

/** `ok(cond, name, detail)` records a result; `cli` the native CLI or
 * null; `cliOut(argv)` its stdout. */
export async function checkColumns(page, options) {
  try {
    await columns(page, options);
  } finally {
    await page.locator('#column-specs input').nth(1).fill('245$a');
    await page.click('#tab-records'); // the checks after this one start there
  }
}

async function columns(page, { mode, ok, cli, cliOut, file, out, shot }) {
  const specs = ['001', '245$a', '650$a', '008/35-37', '245ab'];
  await page.click('#tab-columns');
  await page.click('#columns-add');
  await page.locator('#column-specs input').last().fill(specs[3]);
  await page.click('#columns-add');
  await page.locator('#column-specs input').last().fill(specs[4]); // traject shorthand, as select takes it
  await page.click('#columns-form button[type=submit]');
  await page.waitForFunction((n) => document.querySelectorAll('#columns-table tbody tr').length === 100 &&
    document.querySelectorAll('#columns-table thead th').length === n + 1, specs.length, { timeout: 30000 });
  const head = await page.locator('#columns-table thead th').allTextContents();
  ok(head.join(',') === ['record', ...specs].join(','), `${mode}: columns header`, head.join(','));
  const rows = await page.evaluate(() => [...document.querySelectorAll('#columns-table tbody tr')]
    .map((tr) => [...tr.children].map((td) => td.textContent)));
  if (cli) {
    const argv = ['select', ...specs.flatMap((s) => ['-s', s])];
    const want = String(cliOut([...argv, '-t', 'jsonl', file])).split('\n').filter(Boolean).slice(0, 100)
      .map((l) => { const o = JSON.parse(l); return [String(o.record), ...specs.map((s) => o[s].join('|'))]; });
    ok(JSON.stringify(rows) === JSON.stringify(want), `${mode}: the first 100 rows are marcato select's`,
      JSON.stringify(rows.find((r, i) => JSON.stringify(r) !== JSON.stringify(want[i]))));
    await page.click('#columns-next');
    await page.waitForFunction(() => document.querySelector('#columns-table tbody td')?.textContent === '101');
    const range = await page.locator('#columns-range').textContent();
    ok(/^records 101–200 of 1,973$/.test(range), `${mode}: next page`, range);
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), page.click('#columns-export')]);
    const saved = path.join(out, `${mode}-columns.csv`);
    await dl.saveAs(saved);
    ok(/-columns\.csv$/.test(dl.suggestedFilename()), `${mode}: CSV download name`, dl.suggestedFilename());
    const csv = fs.readFileSync(saved);
    const wantCsv = cliOut([...argv, '-t', 'csv', file]);
    ok(csv.length > 0 && csv.equals(wantCsv), `${mode}: the CSV is the bytes of marcato select -t csv (${csv.length} bytes)`,
      `${csv.length} vs ${wantCsv.length} bytes, first difference at ${csv.findIndex((b, i) => b !== wantCsv[i])}`);
  } else {
    ok(rows[0][0] === '1' && rows[0][2] === 'How to program a computer', `${mode}: first row`, JSON.stringify(rows[0]));
  }
  // A bad spec: its input is marked and the message says where.
  await page.locator('#column-specs input').nth(1).fill('245$a{$2=lcsh}');
  await page.click('#columns-form button[type=submit]');
  await page.waitForFunction(() => /error/.test(document.getElementById('message').className));
  const msg = await page.locator('#message').textContent();
  ok(/position 9: comparison string must start with/.test(msg), `${mode}: a bad spec's position shown`, msg);
  const invalid = await page.locator('#column-specs input').nth(1).getAttribute('aria-invalid');
  ok(invalid === 'true', `${mode}: the bad spec's input is marked`);
  await shot('columns');
}
