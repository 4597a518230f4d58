#!/bin/sh
# Build the npm package's wasm module and copy it to web/dist/:
#   web/build.sh                 (build dir: build/web-em)
#   BUILD_DIR=build/x web/build.sh
# Needs Debian's emscripten (emcc 3.1.6), cmake and ninja. CI runs it
# before `npm test`; `npm pack` runs it (prepack), so the published
# package contains dist/ and its users need no build step. dist/ is not
# committed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${BUILD_DIR:-build/web-em}
case $build in /*) ;; *) build=$root/$build ;; esac
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}   # emcc's optimizer needs acorn
# Host libraries found through pkg-config (cJSON...) cannot link into wasm.
export PKG_CONFIG_LIBDIR=/nonexistent
if [ ! -f "$build/build.ninja" ]; then
  emcmake cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_TESTING=OFF -DMARCATO_BUILD_CLI=OFF -DMARCATO_BUILD_BENCH=OFF
fi
ninja -C "$build" -j"${JOBS:-2}" marcato_wasm
mkdir -p "$here/dist"
cp "$build/wasm/module/marcato.js" "$build/wasm/module/marcato.wasm" "$here/dist/"
echo "web/dist: $(wc -c < "$here/dist/marcato.wasm") bytes wasm, $(wc -c < "$here/dist/marcato.js") bytes js"
