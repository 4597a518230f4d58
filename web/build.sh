#!/bin/sh
# Build the npm package's wasm modules and copy them to web/dist/:
#   web/build.sh                 (build dir: build/web-em)
#   BUILD_DIR=build/x web/build.sh
#   MARCATO_WASM_READERS=0 web/build.sh   (no expat/cJSON: no MARCXML and
#                                          MARC-in-JSON readers)
# Needs Debian's emscripten (emcc 3.1.6), cmake and ninja; for the MARCXML
# and MARC-in-JSON readers, expat and cJSON built from Debian's source
# packages by wasm/module/deps.sh (needs dpkg-dev and a deb-src entry).
# CI runs it before `npm test`; `npm pack` runs it (prepack), so the
# published package contains dist/ and its users need no build step. dist/
# is not committed.
#
# dist/: marcato.mjs + marcato.wasm (single-threaded), marcato-threads.mjs
# + .wasm + .worker.js (pthreads), and a package.json that makes the
# worker script CommonJS for Node (the .mjs files stay ES modules).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${BUILD_DIR:-build/web-em}
case $build in /*) ;; *) build=$root/$build ;; esac
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}   # emcc's optimizer needs acorn
deps=${DEPS:-$root/build/wasm-deps}
extra=""
if [ "${MARCATO_WASM_READERS:-1}" != 0 ]; then
  if DEPS=$deps "$root/wasm/module/deps.sh"; then
    # MARCATO_CJSON_*: for core/formats.cmake once it accepts a cJSON for
    # cross builds (it skips pkg-config there).
    extra="-DEXPAT_INCLUDE_DIR=$deps/st/include -DEXPAT_LIBRARY=$deps/st/lib/libexpat.a -DMARCATO_CJSON_INCLUDE_DIR=$deps/st/include -DMARCATO_CJSON_LIBRARY=$deps/st/lib/libcjson.a -DCMAKE_FIND_ROOT_PATH=$deps/st -DMARCATO_WASM_DEPS_MT=$deps/mt"
    # emcmake sets PKG_CONFIG_LIBDIR to its sysroot and PKG_CONFIG_PATH
    # to $EM_PKG_CONFIG_PATH.
    export EM_PKG_CONFIG_PATH=$deps/st/lib/pkgconfig PKG_CONFIG_LIBDIR=/nonexistent
  else
    echo "web/build.sh: expat/cJSON not built: no MARCXML/JSON readers" >&2
    export PKG_CONFIG_LIBDIR=/nonexistent
  fi
else
  # Host libraries found through pkg-config (cJSON...) cannot link into wasm.
  export PKG_CONFIG_LIBDIR=/nonexistent
fi
export PKG_CONFIG_PATH=
# Configured every time (cheap when nothing changed), so the dependency
# paths reach an existing build directory too.
# shellcheck disable=SC2086
emcmake cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DBUILD_TESTING=OFF -DMARCATO_BUILD_CLI=OFF -DMARCATO_BUILD_BENCH=OFF \
  $extra >/dev/null
ninja -C "$build" -j"${JOBS:-2}" marcato_wasm marcato_wasm_threads
mkdir -p "$here/dist"
rm -f "$here/dist/marcato.js" # older layout
m=$build/wasm/module
cp "$m/marcato.mjs" "$m/marcato.wasm" "$m/marcato-threads.mjs" \
   "$m/marcato-threads.wasm" "$m/marcato-threads.worker.js" "$here/dist/"
printf '{"type": "commonjs"}\n' > "$here/dist/package.json"
# The viewer's 006/007/008 table, from the schema the core embeds.
node "$here/viewer/data/gen-fixed-fields.mjs" "$here/viewer/data/fixed-fields.json"
for f in marcato.wasm marcato-threads.wasm; do
  echo "web/dist/$f: $(wc -c < "$here/dist/$f") bytes"
done
