#!/usr/bin/env node
// A script run once: a fresh process imports the package (or marcjs),
// reads every record of a file and touches its tags, and prints JSON with
// the time from process start to the first record and to the end.
//   node web/bench/cold.mjs marcato|marcjs FILE.mrc
import { createRequire } from 'node:module';
import { createReadStream } from 'node:fs';

const [who, file] = process.argv.slice(2);
let first = 0;
let n = 0;
let tags = 0;
const t0 = performance.now();
if (who === 'marcato') {
  const { init, records } = await import('../src/node.js');
  await init();
  for await (const rec of records(file)) {
    if (!n++) first = performance.now();
    for (const f of rec.fields) tags += f.tag.length;
  }
} else if (who === 'marcjs') {
  const { Iso2709Parser } = createRequire(import.meta.url)('marcjs');
  await new Promise((resolve, reject) => {
    const p = new Iso2709Parser();
    p.on('data', (rec) => {
      if (!n++) first = performance.now();
      for (const f of rec.fields) tags += f[0].length;
    });
    p.on('end', resolve);
    p.on('error', reject);
    createReadStream(file).pipe(p);
  });
} else {
  console.error('usage: cold.mjs marcato|marcjs FILE');
  process.exit(2);
}
const t1 = performance.now();
// performance.now() counts from the process's time origin (its start).
console.log(JSON.stringify({ who, records: n, tags, firstRecordMs: +first.toFixed(1), endMs: +t1.toFixed(1), importStartMs: +t0.toFixed(1) }));
