#!/usr/bin/env node
// CTest's runner of WASI modules (the wasi preset's
// CMAKE_CROSSCOMPILING_EMULATOR): wasm/run-wasi.mjs in a child process,
// run once more when that child dies by SIGSEGV.
//
//   node wasm/run-wasi-test.mjs MODULE.wasm [ARGS...]
//
// Node 20's node:wasi now and then crashes so after a module has finished
// (seen in this project's CI: a different test each time, after it had
// printed that all its checks passed; not reproduced in 70 runs alone). A
// module cannot cause that: its own faults are wasm traps, which
// run-wasi.mjs turns into exit code 134, so a SIGSEGV is Node's. The
// child's output is held until it ends and dropped when it crashed, so a
// rerun does not print it twice. Standard input is the child's own: a test
// that read it before the crash reads nothing the second time and fails,
// as it would have. Users run wasm/run-wasi.mjs, which streams.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const runner = path.join(path.dirname(fileURLToPath(import.meta.url)),
                         'run-wasi.mjs');

// All of `bytes` to file descriptor `fd` (a pipe may take it in parts).
function writeAll(fd, bytes) {
  for (let at = 0; at < bytes.length;)
    at += fs.writeSync(fd, bytes, at, bytes.length - at);
}

let r;
for (let attempt = 1; attempt <= 2; attempt++) {
  r = spawnSync(process.execPath, [runner, ...process.argv.slice(2)], {
    stdio: ['inherit', 'pipe', 'pipe'],
    maxBuffer: 1 << 30,
  });
  if (r.signal !== 'SIGSEGV' || attempt === 2) break;
  writeAll(2, Buffer.from(`run-wasi-test: node died with SIGSEGV running ` +
                          `${process.argv[2]}; running it once more\n`));
}
if (r.error) {
  writeAll(2, Buffer.from(`run-wasi-test: ${r.error.message}\n`));
  process.exit(134);
}
writeAll(1, r.stdout);
writeAll(2, r.stderr);
// A second crash is reported as one: the process dies by the same signal.
if (r.signal) process.kill(process.pid, r.signal);
process.exitCode = r.status ?? 134;
