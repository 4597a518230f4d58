// The viewer's validation, end to end (run by e2e.mjs on a file open in
// `page`): the record view marks a schema problem at its subfield with the
// rule and the definition's label, and names fields, subfields and
// indicators from the schema; the statistics tab's report is the one
// `marcato validate --summary -t json` gives; "Show records" lists the
// records of a problem; the export of records with problems is the bytes
// `marcato validate --reject` writes.
import fs from 'node:fs';
import path from 'node:path';

/** `ok(cond, name, detail)` records a result; `cli` the native CLI or
 * null; `cliOut(argv)` its stdout. */
export async function checkValidation(page, options) {
  try {
    await validation(page, options);
  } finally {
    await page.click('#tab-records');
    await page.click('#query-clear');
  }
}

// A problem as both sides give it, to compare as sets.
const canon = (p) => JSON.stringify([p.rule, p.where, p.label ?? '', p.count, p.records, p.examples]);

async function validation(page, { mode, ok, cli, cliOut, file, out, shot }) {
  const want = cli ? JSON.parse(String(cliOut(['validate', '--summary', '-t', 'json', file]))) : null;

  // The statistics tab: check every record, compare the report.
  await page.click('#tab-stats');
  await page.click('#validation-run');
  await page.waitForSelector('#validation-total', { timeout: 120000 });
  const total = await page.locator('#validation-total').textContent();
  const got = await page.evaluate(() => window.__viewerValidation?.());
  if (want) {
    ok(total.startsWith(`${want.records.toLocaleString('en')} records, ${want.with_problems.toLocaleString('en')} with problems`),
      `${mode}: validation: records and records with problems as marcato validate`, total);
    const sortObj = (o) => JSON.stringify(Object.entries(o).sort());
    ok(sortObj(got.schemas) === sortObj(want.schemas), `${mode}: validation: records per schema`, JSON.stringify(got.schemas));
    ok(sortObj(got.rules) === sortObj(want.rules), `${mode}: validation: problems and records by rule`, sortObj(got.rules).slice(0, 200));
    const byCount = (e) => e.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    ok(JSON.stringify(got.tags) === JSON.stringify(byCount(Object.entries(want.tags))), `${mode}: validation: problems by tag`);
    const a = got.problems.map(canon).sort(), b = want.problems.map(canon).sort();
    ok(a.length === b.length && a.every((x, i) => x === b[i]), `${mode}: validation: every problem, count, records and examples as --summary`,
      `${a.length} vs ${b.length}: ${a.find((x, i) => x !== b[i])} vs ${b.find((x, i) => x !== a[i])}`);
  } else {
    ok(/^[\d,]+ records, [\d,]+ with problems/.test(total), `${mode}: validation report shown`, total);
  }
  const rows = await page.locator('#validation-report table.report').nth(2).locator('tbody tr').count();
  ok(rows > 0 && rows <= 25, `${mode}: validation: the most frequent problems listed (${rows})`);
  await shot('validation');

  // Export of records with problems: the bytes of --reject.
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 120000 }), page.click('#validation-reject')]);
  const saved = path.join(out, `${mode}-rejected.mrc`);
  await dl.saveAs(saved);
  const bytes = fs.readFileSync(saved);
  if (cli) {
    const rejectFile = path.join(out, `${mode}-cli-rejected.mrc`);
    cliOut(['validate', '-q', '--reject', rejectFile, '-o', path.join(out, `${mode}-cli-clean.mrc`), file]);
    const wantBytes = fs.readFileSync(rejectFile);
    ok(bytes.length > 0 && bytes.equals(wantBytes), `${mode}: validation: exported records are the bytes of validate --reject (${bytes.length} bytes)`,
      `${bytes.length} vs ${wantBytes.length}, first difference at ${bytes.findIndex((x, i) => x !== wantBytes[i])}`);
  } else {
    ok(bytes.length > 0, `${mode}: validation: records with problems exported`);
  }

  // "Show records" of a subfield problem: the list holds its records, the
  // record view marks the subfield with the rule and the subfield's label.
  const at = got.problems.findIndex((p) => /\$[a-z0-9]$/.test(p.where) && /Subfield$/.test(p.rule) && p.records > 1);
  const sub = got.problems[at];
  if (!sub) {
    ok(false, `${mode}: validation: a subfield problem to show`);
    return;
  }
  if (at >= 25) await page.click('#validation-more summary'); // past the first 25: folded
  await page.click(`#validation-report button[data-problem="${at}"]`);
  await page.waitForFunction((n) => window.__viewer.view && window.__viewer.view.length === n, sub.records, { timeout: 20000 });
  const first = await page.evaluate(() => window.__viewer.view.indices[0]);
  ok(first + 1 === sub.examples[0], `${mode}: validation: "Show records" lists the problem's ${sub.records} records`, String(first));
  await page.waitForFunction((i) => window.__viewer.lastRecord && window.__viewer.lastRecord.index === i, first, { timeout: 10000 });
  await page.click('#record [data-view="fields"]');
  const tag = sub.where.slice(0, 3), code = sub.where.slice(4);
  const marked = await page.waitForFunction(({ rule, tag, code }) => [...document.querySelectorAll('#record .sf.sf-problem')]
    .find((s) => s.closest('tr')?.querySelector('.tag')?.textContent === tag && s.querySelector('.sf-code')?.textContent === `$${code}` &&
      s.querySelector('.problem-badge')?.dataset.rules.split(' ').includes(rule))?.querySelector('.problem-badge').title ?? false,
  { rule: sub.rule, tag, code }, { timeout: 10000 }).then((h) => h.jsonValue(), () => '');
  ok(marked && marked.includes(sub.rule) && (!sub.label || marked.includes(sub.label)),
    `${mode}: validation: ${sub.rule} marked at ${sub.where} with the definition's label`, marked);
  // Names from the schema: the 245's name, its $a, its first indicator.
  const names = await page.evaluate(() => {
    const tr = [...document.querySelectorAll('#record table.fields tr')].find((r) => r.querySelector('.tag')?.textContent === '245');
    return tr ? [tr.querySelector('.fname')?.textContent, tr.querySelector('.sf-code')?.title, tr.querySelector('.ind')?.title] : null;
  });
  ok(names && /^Title Statement/.test(names[0]) && names[1] === 'Title' && /Indicator 1, Title added entry/.test(names[2]),
    `${mode}: validation: field, subfield and indicator names from the schema`, JSON.stringify(names));
  await page.click('#record [data-view="diags"]');
  const listed = await page.locator('#record .problem-list .diag').count();
  ok(listed > 0, `${mode}: validation: the record's problems listed under Diagnostics (${listed})`);
  await shot('validation-record');
}
