// Export to a file the user chooses (File System Access API), end to end
// (run by e2e.mjs with a file open in `page`). Headless Chromium cannot
// show the save dialog, so window.showSaveFilePicker is replaced by one
// that answers as the dialog would: a real FileSystemFileHandle (a file in
// the origin's private file system, which the page hands to the worker as
// it would the user's choice; its writable stream collects the bytes), or
// an AbortError for a cancelled dialog. The bytes written through the
// handle must be the bytes of the download path for the same export.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const PICKED = 'marcato-e2e-picked';

// Install the replacement picker: `answer` 'file' or 'cancel'. It records
// the names it was asked for in window.__picker.
async function stubPicker(page, answer) {
  await page.evaluate(({ answer, PICKED }) => {
    window.__picker = window.__picker ?? [];
    window.showSaveFilePicker = async (opts) => {
      window.__picker.push(opts?.suggestedName ?? '');
      if (answer === 'cancel') throw new DOMException('The user aborted a request.', 'AbortError');
      const dir = await navigator.storage.getDirectory();
      await dir.removeEntry(PICKED).catch(() => {});
      return dir.getFileHandle(PICKED, { create: true });
    };
  }, { answer, PICKED });
}

// SHA-256 and size of the picked file, computed in the page.
function pickedDigest(page) {
  return page.evaluate(async (PICKED) => {
    const dir = await navigator.storage.getDirectory();
    const f = await (await dir.getFileHandle(PICKED)).getFile();
    const d = await crypto.subtle.digest('SHA-256', await f.arrayBuffer());
    return { size: f.size, sha: Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, '0')).join('') };
  }, PICKED);
}

async function idle(page) {
  await page.waitForFunction(() => !document.getElementById('export-button').disabled);
}

/** `ok(cond, name, detail)` records a result; `out` a folder for files. */
export async function checkSavePicker(page, { mode, ok, out }) {
  await page.click('#query-clear');
  await page.waitForFunction(() => !window.__viewer.view);
  await page.selectOption('#export-scope', 'filtered'); // no filter: every record
  // The download path first (the box unticked), as a reference.
  if (await page.locator('#export-choose').isVisible()) await page.uncheck('#export-choose');
  for (const format of ['mrk', 'iso2709']) {
    await page.selectOption('#export-format', format);
    if (await page.locator('#export-convert').isVisible()) await page.uncheck('#export-convert');
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), page.click('#export-button')]);
    const file = path.join(out, `${mode}-reference.${format}`);
    await dl.saveAs(file);
    await idle(page);
    const want = fs.readFileSync(file);

    // The picker: the page shows "Choose where to save" where the browser
    // has the API (the check box is made visible for the replacement).
    await stubPicker(page, 'file');
    await page.evaluate(() => { document.getElementById('export-choose-label').hidden = false; });
    await page.check('#export-choose');
    let downloads = 0;
    const count = () => downloads++;
    page.on('download', count);
    await page.click('#export-button');
    await page.waitForFunction(() => /written .* to marcato-e2e-picked/.test(document.getElementById('message').textContent), null, { timeout: 60000 });
    await idle(page);
    page.off('download', count);
    const got = await pickedDigest(page);
    const sha = crypto.createHash('sha256').update(want).digest('hex');
    const asked = await page.evaluate(() => window.__picker.at(-1));
    ok(got.size === want.length && got.sha === sha && downloads === 0,
      `${mode}: ${format} saved through showSaveFilePicker is the download's bytes (${want.length} bytes, no download)`, `${got.size} bytes, ${downloads} downloads`);
    ok(new RegExp(`-all\\.${format === 'iso2709' ? 'mrc' : 'mrk'}$`).test(asked), `${mode}: the picker is offered the export's name`, asked);
    await page.uncheck('#export-choose');
  }

  // Cancelling the dialog: nothing written, no error, the page ready.
  await stubPicker(page, 'cancel');
  await page.check('#export-choose');
  const before = await page.locator('#message').textContent();
  const calls = await page.evaluate(() => window.__picker.length);
  await page.click('#export-button');
  await page.waitForFunction((n) => window.__picker.length > n, calls);
  await page.waitForTimeout(300); // what a wrongly handled rejection would show
  const after = await page.evaluate(() => ({
    text: document.getElementById('message').textContent,
    cls: document.getElementById('message').className,
    busy: document.getElementById('export-button').disabled,
    errors: window.__viewer.errors.length,
  }));
  ok(after.text === before && !/error/.test(after.cls) && !after.busy && after.errors === 0,
    `${mode}: cancelling the save dialog (AbortError) leaves no error and the export ready`, JSON.stringify(after));
  // Any other failure of the picker is said.
  await page.evaluate(() => { window.showSaveFilePicker = async () => { throw new DOMException('Not allowed here.', 'SecurityError'); }; });
  await page.click('#export-button');
  await page.waitForFunction(() => /Cannot save there: Not allowed here/.test(document.getElementById('message').textContent));
  ok(!(await page.evaluate(() => document.getElementById('export-button').disabled)), `${mode}: a picker that fails says so and leaves the export ready`);
  await page.uncheck('#export-choose');
}
