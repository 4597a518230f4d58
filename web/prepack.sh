#!/bin/sh
# Run by `npm pack` and `npm publish` (package.json "prepack"): dist/ built
# by build.sh where emscripten is installed, else the dist/ already there
# must be complete (a machine without the wasm toolchain can still pack
# what CI built); README.md (the npm package's part of the project README)
# and LICENSE (when the project has one) beside package.json, so the
# tarball carries them. MARCATO_PREPACK_BUILD=0 skips the build.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
if [ "${MARCATO_PREPACK_BUILD:-1}" != 0 ] && command -v emcc >/dev/null 2>&1; then
  "$here/build.sh"
else
  for f in marcato.mjs marcato.wasm marcato-threads.mjs marcato-threads.wasm marcato-threads.worker.js package.json; do
    if [ ! -f "$here/dist/$f" ]; then
      echo "prepack: dist/$f is missing and emcc is not here to build it: run web/build.sh where emscripten is installed" >&2
      exit 1
    fi
  done
fi
node "$here/package-readme.mjs" "$root/README.md" "$here/README.md"
if [ -f "$root/LICENSE" ]; then cp "$root/LICENSE" "$here/LICENSE"; fi
