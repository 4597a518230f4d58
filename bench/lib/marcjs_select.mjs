// The select scenario written with marcjs in Node, for bench/run's
// "marcjs:select" row: the three columns of `marcato select -s 001 -s
// '245$a' -s '650$a'` (record number, then each column's values joined
// with '|', tabs and line breaks made spaces) as TSV on stdout, what a
// user of marcjs would write by hand.
//   node bench/lib/marcjs_select.mjs FILE.mrc > out.tsv
// marcjs comes from web/node_modules (a dev dependency of the package).
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { Iso2709Parser } = require('marcjs');

const tsv = (s) => s.replace(/[\t\n\r]/g, ' ');

// marcjs fields: [tag, value] for control fields, [tag, indicators,
// code, value, code, value, ...] for data fields.
function values(rec, tag, code) {
  const out = [];
  for (const f of rec.fields) {
    if (f[0] !== tag) continue;
    if (!code) out.push(f[1]);
    else for (let i = 2; i + 1 < f.length; i += 2) if (f[i] === code) out.push(f[i + 1]);
  }
  return tsv(out.join('|'));
}

let n = 0, text = 'record\t001\t245$a\t650$a\n';
const parser = new Iso2709Parser();
parser.on('data', (rec) => {
  text += `${++n}\t${values(rec, '001')}\t${values(rec, '245', 'a')}\t${values(rec, '650', 'a')}\n`;
  // Written in large pieces: one write per record would time stdout.
  if (text.length > 1 << 20) {
    if (!process.stdout.write(text)) {
      parser.pause();
      process.stdout.once('drain', () => parser.resume());
    }
    text = '';
  }
});
parser.on('end', () => process.stdout.write(text));
parser.on('error', (e) => {
  console.error(`marcjs_select: ${e.message}`);
  process.exitCode = 2;
});
fs.createReadStream(process.argv[2]).pipe(parser);
