#!/usr/bin/env bash
# Install what marcato needs to build and test on Debian 12 (bookworm):
# compilers, CMake/Ninja, Emscripten, WASI (clang-14 + wasi-libc), the
# libraries of the optional readers, the peer tools the tests compare with,
# and Node.js. Installs only what is missing, so a second run takes about a
# second. Needs root or sudo for apt-get.
#
#   bash scripts/setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config python3
  clang-14 lld-14 llvm-14 libclang-rt-14-dev clang-format-14
  emscripten                                   # emcc 3.1.6 (em preset)
  wasi-libc libclang-rt-14-dev-wasm32          # wasm32-wasi (wasi preset)
  libexpat1-dev libcjson-dev                   # MARCXML / MARC-in-JSON readers
  libxml2-utils yaz                            # xmllint, yaz-marcdump (checks)
  libmarc4j-java default-jdk-headless          # MARC4J, the peer table's other
                                               # peer (java runs its source)
  chromium                                     # browser tests
  dpkg-dev                                     # apt-get source (expat and
                                               # cJSON for the wasm builds)
  python3-dev python3-setuptools python3-venv  # the Python package (python/)
  python3-pip python3-dask python3-distributed python3-pandas  # its Dask reader
)
# Node.js: the machines ship Node 20; install Debian's only when none is
# there (node:wasi needs Node 20 for version 'preview1').
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'
  then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 ||
      { echo "setup: need root or sudo for apt-get" >&2; exit 1; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq "${missing[@]}" \
    >/dev/null
else
  echo "setup: all ${#packages[@]} Debian packages present"
fi

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "setup: warning: Node $(node --version 2>/dev/null) found; the WASI" \
       "runner (node:wasi preview1) needs Node 20" >&2
fi

# JavaScript dependencies of each folder with a lock file (web/: the
# browser tests' playwright-core and the peers the benchmarks compare with).
for dir in . web; do
  if [ -f "$dir/package-lock.json" ]; then
    if [ ! -d "$dir/node_modules" ] ||
       [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
      echo "setup: npm ci in $dir"
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    fi
  fi
done
echo "setup: done"
