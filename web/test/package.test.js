// The package's shape: package.json's sideEffects names exactly the
// modules that do something when imported (a bundler may drop the others'
// import when their exports go unused), and one module calls the wasm
// exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';

const SRC = new URL('../src/', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const modules = readdirSync(SRC).filter((f) => f.endsWith('.js')).sort();
const text = (f) => readFileSync(new URL(f, SRC), 'utf8');

// A statement at the top level of a module that is not a declaration,
// an import or an export (a call, an assignment): an import-time effect.
const DECLARATION = /^(?:import|export|const|let|var|function|async function|class|\/\/|\/\*|\*|\}|\)|\]|$)/;
function topLevelEffects(source) {
  return source.split('\n').filter((line) => !/^\s/.test(line) && !DECLARATION.test(line));
}

test('sideEffects names exactly the modules with import-time effects', () => {
  const withEffects = modules.filter((f) => topLevelEffects(text(f)).length).map((f) => `./src/${f}`);
  assert.deepEqual([...pkg.sideEffects].sort(), withEffects.sort());
  assert.deepEqual(withEffects.sort(), ['./src/browser.js', './src/node.js']);
});

test('wasm.js is the one module that calls the wasm exports', () => {
  const callers = modules.filter((f) => /\b_marc__wasm_\w+|\bHEAP(?:U8|32|U32)\b|memoryBuffer\(|PThread\b/.test(text(f)));
  assert.deepEqual(callers, ['wasm.js']);
});

test('node.js and browser.js export the same list, index.js', () => {
  for (const f of ['node.js', 'browser.js']) assert.match(text(f), /^export \* from '\.\/index\.js';$/m);
  assert.equal(modules.filter((f) => /^export \* from/m.test(text(f))).length, 2);
});

test('no module is over 600 lines', () => {
  for (const f of modules) assert.ok(text(f).split('\n').length <= 600, `${f} is over 600 lines`);
});
