// The viewer as a cataloger's workbench, end to end (run by e2e.mjs on
// real-marc8.mrc, open in `page`): the items of the workbench issue that
// were broken or misleading, editing with the edits in the exports,
// compare, 880 pairs, 006/007/008 decoded, permalinks, copy field,
// statistics bars that filter, forgiving search.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as marcato from '../../src/node.js';
import { matchesPlain, plainTerms } from '../worker-plain.js';
import { iso2709 } from '../../test/iso2709-fixture.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

async function waitFilter(page) {
  await page.waitForFunction(() => !window.__viewer.view || window.__viewer.view.done || /error/.test(document.getElementById('message').className), null, { timeout: 60000 });
  return page.evaluate(() => (window.__viewer.view ? window.__viewer.view.length : -1));
}
async function shown(page, idx) {
  await page.waitForFunction((i) => window.__viewer.lastRecord && window.__viewer.lastRecord.index === i, idx, { timeout: 15000 });
}
async function search(page, q) {
  await page.fill('#query', q);
  await page.press('#query', 'Enter');
  return waitFilter(page);
}
async function exportTo(page, out, name, { format, scope = 'filtered', convert = false }) {
  await page.selectOption('#export-scope', scope);
  await page.selectOption('#export-format', format);
  if (await page.locator('#export-convert').isVisible()) await page.setChecked('#export-convert', convert);
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), page.click('#export-button')]);
  const file = path.join(out, name);
  await dl.saveAs(file);
  await page.waitForFunction(() => !document.getElementById('export-button').disabled);
  return fs.readFileSync(file);
}

// An ISO 2709 file's records by the lengths their leaders state.
function splitIso(buf) {
  const out = [];
  for (let at = 0; at + 5 <= buf.length;) {
    const n = Number(String(buf.subarray(at, at + 5)));
    if (!(n >= 24)) break;
    out.push(buf.subarray(at, at + n));
    at += n;
  }
  return out;
}

// What plain words find, computed in Node with the package and the same
// folding: the browser's answer must be these record numbers.
async function plainExpected(file, text) {
  await marcato.init();
  const terms = plainTerms(text);
  const out = [];
  for await (const r of marcato.records(file)) if (matchesPlain(r, terms)) out.push(r.index);
  return out;
}

/** `ok(cond, name, detail)` records a result; `cli`/`cliOut` the native
 * CLI (or null); `file` is real-marc8.mrc, open in the page. */
export async function checkWorkbench(page, { mode, ok, cli, cliOut, file, out }) {
  const original = fs.readFileSync(file);
  await page.click('#query-clear');
  await page.waitForFunction(() => !window.__viewer.view);

  // Broken: a leftover invalid number in "Go to #" blocked Filter.
  await page.fill('#jump', '0');
  const n0 = await search(page, 'LDR/06=j');
  ok(n0 > 0, `${mode}: an invalid "Go to #" does not block Filter (${n0} records)`);
  await page.fill('#jump', '');

  // Misleading: plain words, capitals AND, accents typed precomposed, ISBNs.
  for (const q of ['jazz', 'corps ÉTRANGERS', 'jazz AND blues']) {
    const got = await search(page, q);
    const want = await plainExpected(file, q);
    const idx = await page.evaluate(() => Array.from(window.__viewer.view?.indices.subarray(0, window.__viewer.view.length) ?? []));
    ok(got > 0 && JSON.stringify(idx) === JSON.stringify(want), `${mode}: plain words "${q}" find ${want.length} records`, `got ${got}`);
  }
  // The filter compares MARC-8 records as their bytes: the structured
  // query cannot find the accented title, and the message says what can.
  await search(page, '245$a~*étrangers');
  const hint = await page.locator('#message').textContent();
  ok(/plain words \(no tags\) find MARC-8 records/.test(hint), `${mode}: an accented query that finds nothing points to plain words`, hint);
  const upper = await search(page, 'LDR/06=j AND 650$a~*jazz');
  const lower = cli ? Number(String(cliOut(['count', '-'], cliOut(['filter', 'LDR/06=j and 650$a~*jazz', file]))).trim()) : upper;
  ok(upper > 0 && upper === lower, `${mode}: AND in capitals is the query's and (${upper})`, `${lower}`);
  const isbn = await search(page, '0-8391-0882-6');
  ok(isbn >= 1, `${mode}: an ISBN with hyphens finds its record (${isbn})`);

  // Misleading: leader/09 of a MARC-8 record is shown as read; header says what happened.
  await page.click('#query-clear');
  await page.waitForFunction(() => !window.__viewer.view);
  await page.fill('#jump', '1');
  await page.press('#jump', 'Enter');
  await shown(page, 0);
  await page.click('#record [data-view="fields"]');
  const l09 = await page.locator('#record .positions tr', { hasText: 'Character coding scheme' }).first().textContent();
  ok(/^09␣/.test(l09) && /MARC-8/.test(l09), `${mode}: leader/09 of a MARC-8 record shows its blank (MARC-8)`, l09);
  const meta = await page.locator('#record .rec-meta').textContent();
  ok(/Record 1 of 1,973(?! read)/.test(meta) && /MARC-8 \(shown converted to Unicode\)/.test(meta), `${mode}: record header: count when read, encoding as read`, meta);
  const prog = await page.locator('#progress-text').textContent();
  ok(!/\d\.\d{4,}/.test(prog) && !/\b1 records\b/.test(prog), `${mode}: progress line rounds its numbers`, prog);

  // 008 (books) and 007 decoded from the schema table.
  const s008 = await page.locator('#record details summary', { hasText: '008 positions' }).first().textContent();
  ok(/008 positions \(Books\)/.test(s008), `${mode}: 008 decoded for the record's material`, s008);
  const ill = await page.locator('#record .positions tr', { hasText: 'Illustrations' }).count();
  ok(ill >= 1, `${mode}: 008/18-21 named (${ill})`);

  // Permalink: the record shown is in the address.
  const hash = await page.evaluate(() => location.hash);
  ok(hash === '#record=1', `${mode}: permalink #record=1`, hash);
  await page.evaluate(() => { location.hash = '#record=7'; });
  await shown(page, 6);
  ok(true, `${mode}: #record=7 in the address shows record 7`);

  // Editing: the title changed in the MRK editor, applied, marked, exported.
  await page.click('#record [data-view="edit"]');
  const ed = page.locator('#mrk-editor');
  const before = await ed.inputValue();
  // Typed precomposed, with a character MARC-8 lacks (an arrow).
  const edited = before.replace(/^(=245 {2}..\$a)/m, '$1EDITED Édité → ');
  ok(edited !== before, `${mode}: the editor holds the record as MRK`);
  await ed.fill(edited);
  await page.waitForFunction(() => /no problems/.test(document.getElementById('edit-status').textContent));
  await ed.fill(edited.replace(/^=245 {2}/m, '=24 '));
  await page.waitForFunction(() => /problem/.test(document.getElementById('edit-status').textContent) && document.querySelector('.edit-problems li'));
  const prob = await page.locator('.edit-problems li').first().textContent();
  ok(/^line \d+: TAG_INVALID/.test(prob), `${mode}: live parsing names the line of a bad tag`, prob);
  await ed.fill(edited);
  await page.click('#edit-apply');
  await page.waitForFunction(() => window.__viewer.lastRecord?.modified && window.__viewer.edited.has(6));
  const chip = await page.locator('#record .modified-chip').textContent();
  ok(/Modified/.test(chip), `${mode}: the record shows it is modified`, chip);
  const rowMod = await page.locator('#list .row.modified').count();
  ok(rowMod === 1, `${mode}: its list row is marked (${rowMod})`);
  const t245 = await page.evaluate(() => window.__viewer.lastRecord.fields.find((f) => f.tag === '245').subfields[0][1]);
  ok(t245.startsWith('EDITED '), `${mode}: the record view shows the edit`, t245);

  // Compare with the record as read: 245 changed, the rest the same.
  await page.click('#record [data-view="compare"]');
  await page.waitForSelector('#record table.compare');
  const changed = await page.locator('#record table.compare tr.changed td.tag').allTextContents();
  ok(changed.join(',') === '245', `${mode}: compare with the record as read: 245 changed`, changed.join(','));
  await page.fill('#compare-with', '8');
  await page.click('#record .compare-form button[type=submit]');
  await page.waitForFunction(() => /record 8/.test(document.querySelector('#record table.compare th:nth-child(3)')?.textContent ?? ''));
  const summary = await page.locator('#record .compare-summary').textContent();
  ok(/changed/.test(summary), `${mode}: compare two records of the file`, summary);

  // The edit reaches every export (the package's writers).
  await page.locator('#list').focus();
  await page.keyboard.press('Escape');
  await page.evaluate(() => { location.hash = '#record=7'; });
  await page.locator('#list').focus();
  await page.keyboard.press('Space');
  for (const [fmt, test] of [
    ['mrk', (b) => /=245 {2}..\$aEDITED /.test(String(b))],
    ['marcxml', (b) => /<subfield code="a">EDITED /.test(String(b))],
    // Saved in the encoding the file had: MARC-8 (ANSEL acute before its
    // letter, the arrow as a reference).
    ['iso2709', (b) => b.includes(Buffer.from('\x1faEDITED \xe2Edit\xe2e &#x2192; ', 'latin1')) && b[9] === 0x20],
  ]) {
    const b = await exportTo(page, out, `${mode}-edited.${fmt}`, { format: fmt, scope: 'selected' });
    ok(test(b), `${mode}: the edited record exported as ${fmt}`, String(b.subarray(0, 80)));
  }
  await page.keyboard.press('Escape');
  // Read back in Node, the MARC-8 record is the edited record (the .mrk
  // export, UTF-8): equal after NFC.
  await marcato.init();
  const saved = (f) => path.join(out, f);
  const [as8] = [...marcato.recordsSync(fs.readFileSync(saved(`${mode}-edited.iso2709`)))];
  const [asMrk] = [...marcato.recordsSync(fs.readFileSync(saved(`${mode}-edited.mrk`)), { format: 'mrk' })];
  const same8 = JSON.stringify(as8.toJSON().fields).normalize('NFC') === JSON.stringify(asMrk.toJSON().fields).normalize('NFC');
  ok(same8 && as8.subfield('245', 'a').normalize('NFC').startsWith('EDITED Édité → ') && !as8.diagnostics.length,
    `${mode}: the edited record saved as MARC-8 reads back as edited`, as8.subfield('245', 'a'));

  // ISO 2709 of the whole file keeps MARC-8 and every byte of the records
  // not edited; the edited one is written by the package.
  const all = await exportTo(page, out, `${mode}-all.mrc`, { format: 'iso2709' });
  const msg = await page.locator('#message').textContent();
  const a = splitIso(original), b = splitIso(all);
  const same = a.length === b.length && a.every((r, i) => i === 6 || r.equals(b[i]));
  ok(same && !a[6].equals(b[6]) && a[6][9] === 0x20 && b[6][9] === 0x20, `${mode}: records not edited exported byte for byte (MARC-8 kept), the edited one rewritten in MARC-8`, `${a.length} vs ${b.length}`);
  ok(all.length > original.length * 0.9 && /MARC-8 kept for 1,973 records/.test(msg) && /1 edited record/.test(msg) && /1 character MARC-8 lacks/.test(msg),
    `${mode}: the export says MARC-8 is kept, what was edited and what MARC-8 lacks`, msg);
  const conv = await exportTo(page, out, `${mode}-utf8.mrc`, { format: 'iso2709', convert: true });
  const convMsg = await page.locator('#message').textContent();
  ok(conv[9] === 0x61 && /converted to UTF-8/.test(convMsg), `${mode}: "MARC-8 → UTF-8" converts and says so`, convMsg);

  // Compare with a record of another file: record 7 of the converted
  // export (UTF-8, with the edit) has the same fields as record 7 here.
  await page.evaluate(() => { location.hash = '#record=7'; });
  await shown(page, 6);
  await page.click('#record [data-view="compare"]');
  await page.fill('#compare-with', '7');
  await page.setInputFiles('#compare-file', path.join(out, `${mode}-utf8.mrc`));
  await page.waitForFunction((n) => document.querySelector('#record table.compare th:nth-child(3)')?.textContent.includes(n), `${mode}-utf8.mrc`);
  const differ = await page.evaluate(() => [...document.querySelectorAll('#record table.compare tbody tr:not(.same) td.tag')].map((td) => td.textContent).filter((t) => t !== 'LDR'));
  const rowsCompared = await page.locator('#record table.compare tbody tr').count();
  ok(differ.length === 0 && rowsCompared > 5, `${mode}: compare with the same record of another file (MARC-8 read vs UTF-8 written): fields the same`, differ.join(','));

  // Undo: the record is as read again; the export is the original file.
  await page.evaluate(() => { location.hash = '#record=7'; });
  await shown(page, 6);
  await page.locator('#record').focus();
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => window.__viewer.lastRecord && !window.__viewer.lastRecord.modified && !window.__viewer.edited.size);
  const back = await exportTo(page, out, `${mode}-undone.mrc`, { format: 'iso2709' });
  ok(back.equals(original), `${mode}: after undo, ISO 2709 export is the file byte for byte (${back.length} bytes)`);

  // Field actions: delete a field, copy a field.
  await page.click('#record [data-view="fields"]');
  const nFields = await page.evaluate(() => window.__viewer.lastRecord.fields.length);
  await page.locator('#record tr[data-field="1"] button[aria-label^="Delete"]').click();
  await page.waitForFunction((n) => window.__viewer.lastRecord.modified && window.__viewer.lastRecord.fields.length === n - 1, nFields);
  ok(true, `${mode}: a field deleted from its row (${nFields} → ${nFields - 1} fields)`);
  await page.keyboard.press('Control+z');
  await page.locator('#record').focus();
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => !window.__viewer.lastRecord.modified);
  await page.locator('#record tr[data-field="0"] button[aria-label^="Copy"]').click();
  await page.waitForFunction(() => /Copied|by hand/.test(document.getElementById('message').textContent));
  const copied = await page.locator('#message').textContent();
  ok(/=001 {2}/.test(copied), `${mode}: copy field gives its MRK line`, copied);

  // 880 pairs: the 880 right after the field it links to.
  const with880 = await search(page, '880');
  ok(with880 > 0, `${mode}: records with 880 (${with880})`);
  const first880 = await page.evaluate(() => window.__viewer.view.indices[0]);
  await shown(page, first880);
  const pairs = await page.evaluate(() => [...document.querySelectorAll('#record .fields tr.linked-880')].map((tr) => {
    const prev = tr.previousElementSibling;
    const p6 = /880-(\d\d)/.exec(prev.querySelector('.data')?.textContent ?? '');
    const m6 = /^\$6(\d{3})-(\d\d)/.exec(tr.querySelector('.data').textContent);
    return [prev.querySelector('.tag').textContent, p6?.[1], m6?.[1], m6?.[2]];
  }));
  ok(pairs.length > 0 && pairs.every(([tag, occ, t6, o6]) => (tag === t6 || tag === '880') && (occ === o6 || tag === '880')), `${mode}: each 880 follows its $6 partner`, JSON.stringify(pairs));

  // A statistics bar filters.
  await page.click('#query-clear');
  await page.click('#tab-stats');
  const jCount = await page.evaluate(() => window.__viewer.stats.types.j);
  await page.locator('#stats g.pick[data-key="j"]').first().focus();
  await page.keyboard.press('Enter');
  const nj = await page.evaluate(() => window.__viewer.view?.length ?? -1);
  const onRecords = await page.locator('#panel-records').isVisible();
  ok(onRecords && nj === jCount, `${mode}: the record type bar "j" lists its ${jCount} records`, String(nj));
  await page.click('#query-clear');
}

/** A PNG is not MARC: the page says so. Record numbers of a file opened
 * while another loads are the new file's. */
export async function checkOpening(page, { mode, ok, openPath, files }) {
  const png = path.resolve(HERE, '../docs/records.png');
  await openPath(page, png);
  const msg = await page.locator('#message').textContent();
  ok(/looks like a PNG image/.test(msg), `${mode}: a PNG is reported as not MARC`, msg);
  // One record whose leader says MARC-8 (09 blank) and whose bytes are
  // UTF-8: the header says how it was read; counts and speeds read well.
  const lied = Array.from(iso2709('00000nam  2200000 a 4500', [['001', 'lied1'], ['245', '10', [['a', 'Les corps étrangers']]]]));
  const before1 = await page.evaluate(() => window.__viewer.fileId);
  await page.evaluate((b) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(b)], 'lied.mrc'));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, lied);
  await page.waitForFunction((b) => window.__viewer.fileId > b && window.__viewer.done, before1);
  await shown(page, 0);
  const meta = await page.locator('#record .rec-meta').textContent();
  ok(/MARC-8 in leader\/09, but read as UTF-8/.test(meta), `${mode}: a record whose leader says MARC-8 but whose bytes are UTF-8 says so`, meta);
  const count = await page.locator('#list-count').textContent();
  const prog = await page.locator('#progress-text').textContent();
  ok(/^1 record$/.test(count) && /^1 record · /.test(prog) && !/\d\.\d{4,}/.test(prog), `${mode}: "1 record", speeds rounded`, `${count} | ${prog}`);
  if (!files.all || !files.marc8) return;
  // A second file opened while the first is still being read.
  const before = await page.evaluate(() => window.__viewer.fileId);
  await page.setInputFiles('#file-input', files.all);
  await page.waitForFunction((b) => window.__viewer.fileId > b && window.__viewer.total > 0, before);
  await page.setInputFiles('#file-input', files.marc8);
  await page.waitForFunction((b) => window.__viewer.fileId > b + 1 && window.__viewer.done, before, { timeout: 60000 });
  await shown(page, 0);
  const r = await page.evaluate(() => ({ id: window.__viewer.lastRecord.id, fileId: window.__viewer.fileId, f001: window.__viewer.lastRecord.fields.find((f) => f.tag === '001')?.value.trim(), listed: window.__viewer.ids[0] }));
  ok(r.id === r.fileId && r.f001 === r.listed, `${mode}: after opening a second file mid-read, the record shown is the new file's`, JSON.stringify(r));

  // The last file remembered: a handle (here one of the origin's private
  // file system, which needs no permission prompt) kept in IndexedDB is
  // offered again after a reload.
  const bytes = Array.from(fs.readFileSync(files.marc8).subarray(0, 20000));
  const remembered = await page.evaluate(async (b) => {
    const m = await import('./recent.js');
    if (!m.canRemember()) return false;
    const root = await navigator.storage.getDirectory();
    const fh = await root.getFileHandle('remembered.mrc', { create: true });
    const w = await fh.createWritable();
    await w.write(new Uint8Array(b));
    await w.close();
    await m.remember(fh);
    return true;
  }, bytes);
  if (!remembered) return;
  await page.reload();
  await page.waitForFunction(() => window.__viewer.caps);
  await page.waitForSelector('#reopen:not([hidden])');
  const label = await page.locator('#reopen').textContent();
  ok(label === 'Reopen remembered.mrc', `${mode}: the last file is offered after a reload`, label);
  await page.click('#reopen');
  await page.waitForFunction(() => window.__viewer.done && window.__viewer.file?.name === 'remembered.mrc');
  const n = await page.evaluate(() => window.__viewer.total);
  ok(n > 0, `${mode}: "Reopen" reads the remembered file (${n} records)`);
}
