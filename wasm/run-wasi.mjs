#!/usr/bin/env node
// Run a WASI (preview1) command module under Node's node:wasi.
//
//   node wasm/run-wasi.mjs MODULE.wasm [ARGS...]
//
// The host's root directory is preopened as "/", the environment is passed
// through with PWD set to the current directory (the marcato CLI changes to
// $PWD at start, so relative paths work), stdin/stdout/stderr are the
// process's own, and the module's exit code becomes this process's exit
// code. A trap (crash) exits with 134.
//
// Node 20's node:wasi keeps using a module's old memory after memory.grow,
// so a module that grows its memory can corrupt Node (wrong results, or a
// SIGSEGV in node). cmake/toolchain-wasi.cmake links with 256 MiB of
// initial memory to stay clear of it. CMake uses this script as the
// CMAKE_CROSSCOMPILING_EMULATOR of the wasi preset.
import fs from 'node:fs';
import path from 'node:path';
// Do not `import process from 'node:process'` nor touch process.stdout or
// process.stdin here: either makes Node switch the stdio pipes to
// non-blocking mode, and the module's reads and writes then fail with
// EAGAIN.

// node:wasi is experimental on Node 20: keep its warning off stderr, which
// the tests compare.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name !== 'ExperimentalWarning') console.warn(w);
});
const { WASI } = await import('node:wasi');

const [modulePath, ...args] = process.argv.slice(2);
if (!modulePath) {
  process.stderr.write('usage: run-wasi.mjs MODULE.wasm [ARGS...]\n');
  process.exit(2);
}

let code;
try {
  const bytes = fs.readFileSync(modulePath);
  const wasi = new WASI({
    version: 'preview1',
    args: [path.basename(modulePath, '.wasm'), ...args],
    env: { ...process.env, PWD: process.cwd() },
    preopens: { '/': '/' },
    // proc_exit returns from start() with the code. (returnOnExit: false
    // makes proc_exit call process.exit() from inside the module, and Node
    // 20 then sometimes dies with SIGSEGV.)
    returnOnExit: true,
  });
  const module = await WebAssembly.compile(bytes);
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  code = wasi.start(instance);
} catch (e) {
  process.stderr.write(`run-wasi: ${modulePath}: ${e && e.stack ? e.stack : e}\n`);
  code = 134;
}
process.exitCode = code ?? 0;
