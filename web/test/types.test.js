// The declarations (types/index.d.ts) type-check the README's JavaScript
// examples and test/types/api.ts under `tsc --strict`, as a user's project
// would see the package (node_modules/marcato). Needs TypeScript: $TSC,
// else web/node_modules/.bin/tsc; skips without it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './helpers.js';

const WEB = fileURLToPath(new URL('../', import.meta.url));
const TSC = process.env.TSC ?? path.join(WEB, 'node_modules', '.bin', 'tsc');

// What the README's examples take as given.
const PRELUDE = `// Free names of the README's examples.
declare const fs: {
  createWriteStream(path: string): { write(chunk: Uint8Array): boolean; end(chunk?: Uint8Array): void };
  createReadStream(path: string): AsyncIterable<Uint8Array>;
};
declare const input: { files: FileList }; // an <input type=file> with a file chosen
declare const list: HTMLElement;
`;

/** The \`\`\`js blocks of README.md's JavaScript section. */
export function readmeExamples() {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## JavaScript');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
}

test('README examples and test/types/api.ts type-check against types/index.d.ts', { skip: !existsSync(TSC) && `no TypeScript (set $TSC or install it in web/node_modules)` }, () => {
  const examples = readmeExamples();
  assert.ok(examples.length >= 2, 'README has its JS examples');
  const dir = mkdtempSync(path.join(tmpdir(), 'marcato-types-'));
  try {
    // The package as a dependency: node_modules/marcato is web/.
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(WEB, path.join(dir, 'node_modules', 'marcato'), 'dir');
    const files = examples.map((code, i) => {
      const f = `readme-${i + 1}.ts`;
      writeFileSync(path.join(dir, f), `${PRELUDE}\n${code}\nexport {};\n`);
      return f;
    });
    copyFileSync(path.join(WEB, 'test', 'types', 'api.ts'), path.join(dir, 'api.ts'));
    files.push('api.ts');
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, target: 'es2022', module: 'es2022', moduleResolution: 'bundler',
        lib: ['es2022', 'dom', 'dom.iterable'], types: [], skipLibCheck: false,
      },
      files,
    }));
    try {
      execFileSync(TSC, ['-p', dir], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      assert.fail(`tsc:\n${e.stdout}${e.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
