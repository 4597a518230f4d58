#!/usr/bin/env node
// The npm package's README: the section "JavaScript: the npm package" of
// the project README (one text for both, so they cannot disagree), with a
// title and a link to the project. prepack.sh writes it to web/README.md.
//   node web/package-readme.mjs ROOT_README OUT
import fs from 'node:fs';

const [from, to] = process.argv.slice(2);
const text = fs.readFileSync(from, 'utf8');
const start = text.indexOf('\n## JavaScript: the npm package');
if (start < 0) {
  console.error(`package-readme: no "## JavaScript: the npm package" section in ${from}`);
  process.exit(1);
}
const next = text.indexOf('\n## ', start + 1);
const body = text.slice(start + 1, next < 0 ? undefined : next).replace(/^## JavaScript: the npm package\n/, '');
fs.writeFileSync(to, `# marcato\n\nMARC 21 records in Node and browsers, compiled from marcato's C11 core to WebAssembly.\n${body.trimEnd()}\n`);
console.log(`${to}: ${fs.statSync(to).size} bytes`);
