// The CommonJS entry (src/node.cjs, package.json exports "require"):
// require('marcato') gives every name of the ES entry, the reading
// functions work before init(), the synchronous ones after it, and they
// give what the ES entry gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as esm from '../src/node.js';
import { REAL_ALL, haveRealAll } from './helpers.js';

const require = createRequire(import.meta.url);
const WEB = fileURLToPath(new URL('..', import.meta.url));

test('require gives the names of the ES entry', () => {
  const cjs = require('../src/node.cjs');
  const names = Object.keys(cjs).filter((k) => k !== 'load').sort();
  assert.deepEqual(names, Object.keys(esm).sort());
});

test('package.json sends require() to the CommonJS entry', () => {
  // Resolved as a package would be by its name, from the package's folder.
  const out = execFileSync(process.execPath, ['-e', "process.stdout.write(require.resolve('marcato'))"], { cwd: WEB, encoding: 'utf8' });
  assert.match(out, /src[\\/]node\.cjs$/);
});

test('CommonJS reads, counts and writes as the ES entry does', async () => {
  const cjs = require('../src/node.cjs');
  const file = haveRealAll ? REAL_ALL : fileURLToPath(new URL('../../tests/cli/data/tiny.mrc', import.meta.url));
  assert.throws(() => cjs.writer('mrk'), /await init\(\)/); // not loaded yet: says what to do
  const n = await cjs.count(file); // loads the package itself
  let first = null, m = 0;
  for await (const r of cjs.records(file)) {
    first ??= r;
    m++;
  }
  assert.ok(n > 0);
  assert.equal(m, n);
  await cjs.init();
  assert.equal(n, await esm.count(file));
  const w = cjs.writer('mrk');
  assert.equal(new TextDecoder().decode(w.write(first)), first.toMRK());
  assert.ok(first instanceof cjs.Record);
});

test('a writer made before init() writes once records() has started the package', () => {
  // A fresh process: the package not started.
  const script = `
    import { writer, records } from ${JSON.stringify(new URL('../src/node.js', import.meta.url).href)};
    const w = writer('mrk');
    let bad = null;
    try { writer('nope'); } catch (e) { bad = e.message; }
    let out = '';
    for await (const r of records(process.argv[1])) out += new TextDecoder().decode(w.write(r));
    console.log(JSON.stringify({ bad, starts: out.slice(0, 6), n: (out.match(/^=LDR/gm) ?? []).length }));`;
  const file = fileURLToPath(new URL('../../tests/cli/data/tiny.mrc', import.meta.url));
  const r = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script, file], { encoding: 'utf8' }));
  assert.match(r.bad, /no 'nope' writer/);
  assert.equal(r.starts, '=LDR  ');
  assert.ok(r.n > 0);
});
