#!/bin/sh
# The npm tarball installs into an empty folder without network and works:
# `npm pack` (which runs build.sh), `npm install --offline` of the tarball
# in a temporary project, then from `node -e`: import, init, count the
# records of a file, read them with {threads: 2}, write MARCXML; the
# tarball carries the README and the project's LICENSE (MIT, as package.json says).
# Prints "N passed, N failed"; exit 1 on failure.
#   sh web/test/pack.sh [FILE.mrc]
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
file=${1:-$here/../../shared/data/corpus/real-all.mrc}
[ -f "$file" ] || file=$here/../tests/cli/data/tiny.mrc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
check() { # name, command...
  name=$1; shift
  if out=$("$@" 2>&1); then passed=$((passed + 1)); echo "ok - $name"
  else failed=$((failed + 1)); echo "not ok - $name"; echo "$out" | sed 's/^/  /' | tail -20; fi
}
check "npm pack" sh -c "cd '$here' && npm pack --silent --pack-destination '$tmp' >'$tmp/pack.log'"
tgz=$(ls "$tmp"/marcato-*.tgz 2>/dev/null | head -1)
mkdir -p "$tmp/app"
check "tarball lists the dist files" sh -c "tar tzf '$tgz' | grep -c 'package/dist/' | grep -qx 6"
check "npm install --offline" sh -c "cd '$tmp/app' && npm init -y >/dev/null && npm install --offline --no-audit --no-fund '$tgz' >/dev/null"
check "node -e: import, init, count" sh -c "cd '$tmp/app' && node --input-type=module -e \"
import { init, count, records, writer } from 'marcato';
const info = await init();
const n = await count(process.argv[1]);
let m = 0;
for await (const r of records(process.argv[1], { threads: 2 })) m++;
const w = writer('iso2709');
if (!(n > 0) || m !== n) { console.error('count', n, 'threaded', m); process.exit(1); }
console.log(info.version, n, 'records');
\" '$file'"
check "tarball has the package README" sh -c "tar tzf '$tgz' | grep -qx package/README.md"
check "tarball has the project's LICENSE (the licence package.json declares)" sh -c "tar xzf '$tgz' -C '$tmp' package/LICENSE package/package.json && cmp -s '$tmp/package/LICENSE' '$here/../LICENSE' && grep -q '\"license\": \"MIT\"' '$tmp/package/package.json' && head -1 '$tmp/package/LICENSE' | grep -qx 'MIT License'"
check "prepack without the wasm toolchain packs the dist/ there" sh -c "cd '$here' && MARCATO_PREPACK_BUILD=0 sh prepack.sh >/dev/null"
check "prepack without dist/ and toolchain says what to do" sh -c "mkdir -p '$tmp/nodist' && cp '$here/prepack.sh' '$here/package-readme.mjs' '$tmp/nodist/' && ! MARCATO_PREPACK_BUILD=0 sh '$tmp/nodist/prepack.sh' 2>'$tmp/nodist.err' && grep -q 'run web/build.sh' '$tmp/nodist.err'"
check "types resolve" test -f "$tmp/app/node_modules/marcato/types/index.d.ts"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
