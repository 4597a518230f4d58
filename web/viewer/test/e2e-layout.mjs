// Zoom, reflow and an automated accessibility check of the viewer (run by
// e2e.mjs with a file open and a record shown). Browser zoom of a
// 1400x900 window to 200% lays the page out as a 700x450 CSS px window,
// to 400% as 350x225; WCAG 1.4.10 asks for no sideways scrolling at 320
// CSS px wide. At each size: nothing scrolls sideways, the list, its
// footer and the record do not draw over each other, and axe-core (npm,
// a dev dependency) finds no serious or critical violation.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function axeSource() {
  for (const base of [process.env.AXE_CORE_DIR, WEB].filter(Boolean)) {
    try {
      return fs.readFileSync(createRequire(path.join(base, 'package.json')).resolve('axe-core/axe.min.js'), 'utf8');
    } catch { /* next */ }
  }
  return null;
}

const SIZES = [
  { name: '100%', width: 1400, height: 900 },
  { name: '200% zoom', width: 700, height: 450 },
  { name: '320 px wide (400% zoom)', width: 320, height: 640 },
];

// Boxes that must not overlap, by selector.
const APART = [['.list-foot', '#record'], ['.list-foot', '.list'], ['.rec-head', '#record .views'], ['.toolbar', '.split']];

export async function checkLayout(page, { mode, ok, shot }) {
  const axe = axeSource();
  if (axe) await page.evaluate(axe); // evaluate runs outside the page's CSP
  else ok(false, `${mode}: axe-core found (npm ci in web/, or AXE_CORE_DIR)`);
  try {
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.click('#record [data-view="fields"]');
      await page.waitForTimeout(150);
      const sideways = await page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
      ok(sideways <= 0, `${mode}: ${size.name}: nothing scrolls sideways`, `${sideways} px too wide`);
      const overlaps = await page.evaluate((pairs) => pairs.filter(([a, b]) => {
        const x = document.querySelector(a)?.getBoundingClientRect(), y = document.querySelector(b)?.getBoundingClientRect();
        if (!x || !y || !x.height || !y.height) return false;
        return x.left < y.right - 1 && y.left < x.right - 1 && x.top < y.bottom - 1 && y.top < x.bottom - 1;
      }).map((p) => p.join(' / ')), APART);
      ok(overlaps.length === 0, `${mode}: ${size.name}: list, footer and record do not overlap`, overlaps.join('; '));
      const rows = await page.locator('#list .row:not([hidden])').count();
      ok(rows >= 3, `${mode}: ${size.name}: the list shows rows (${rows})`);
      if (size.width === 320) await shot('reflow-320');
      if (axe) {
        const v = await page.evaluate(async () => {
          const r = await window.axe.run(document, { resultTypes: ['violations'] });
          return r.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')
            .map((x) => `${x.id} (${x.nodes.length}): ${x.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`);
        });
        ok(v.length === 0, `${mode}: ${size.name}: axe-core finds no serious violation`, v.join(' | '));
      }
    }
  } finally {
    await page.setViewportSize({ width: 1400, height: 900 });
  }
}
