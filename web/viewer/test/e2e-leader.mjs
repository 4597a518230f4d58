// The record view's leader table against the bibliographic schema the core
// embeds (run by e2e.mjs with a bibliographic record shown in `page`):
// every position's element and the meaning of its value are the schema's
// label and code (the viewer has no table of its own for them).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SCHEMA = path.resolve(path.dirname(fileURLToPath(import.meta.url)),
  '../../../core/data/schemas/marc21-bibliographic.json');

/** `ok(cond, name, detail)` records a result. */
export async function checkLeaderFromSchema(page, { mode, ok }) {
  const ldr = JSON.parse(fs.readFileSync(SCHEMA, 'utf8')).fields.LDR;
  const defs = Object.values(ldr.positions).sort((a, b) => a.start - b.start);
  // Rows: position, value (blanks as ␣), element, meaning.
  const rows = await page.locator('#record details.leader').first().locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  ok(rows.length === defs.length, `${mode}: leader: a row per position of the schema's LDR (${defs.length})`, `${rows.length} rows`);
  const wrong = defs.map((d, i) => {
    const [, shown = '', element, meaning] = rows[i] ?? [];
    const code = d.codes?.[shown.replace(/␣/g, ' ')];
    return element === d.label && (code === undefined || meaning === code) ? null : `${d.start}: ${element} / ${meaning}`;
  }).filter(Boolean);
  ok(!wrong.length, `${mode}: leader: each position's element and meaning are the schema's label and code`, wrong.slice(0, 3).join('; '));
  const type = rows.find((r) => r[0] === '06');
  ok(type && type[3] === ldr.positions['6-6'].codes[type[1]], `${mode}: leader/06 decoded from the schema`, type?.join(' | '));
}
