#!/bin/sh
# Build the C libraries of the optional readers for Emscripten, from
# Debian's source packages (nothing is copied into the repository):
#   expat  -> MARCXML reader (marc_xml_reader_*)
#   cJSON  -> MARC-in-JSON reader (marc_json_reader_*)
# Each is built twice, plain and with -pthread (objects without atomics
# cannot be linked into the shared-memory threaded module), and installed
# into $DEPS/st and $DEPS/mt (include/, lib/, lib/pkgconfig/).
#
#   wasm/module/deps.sh            (DEPS defaults to build/wasm-deps)
#
# Needs a deb-src entry for bookworm main (added when missing, as root),
# dpkg-dev (dpkg-source), emcc, cmake and ninja. A second run does nothing.
# expat is built without /dev/urandom (the modules have no file system):
# getrandom() (Emscripten: crypto.getRandomValues) seeds its hash salt.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
deps=${DEPS:-$root/build/wasm-deps}
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
if [ -f "$deps/mt/lib/libcjson.a" ] && [ -f "$deps/st/lib/libexpat.a" ] &&
   [ -f "$deps/mt/lib/libexpat.a" ] && [ -f "$deps/st/lib/libcjson.a" ]; then
  exit 0
fi
mkdir -p "$deps/src"
cd "$deps/src"
if ! ls expat_*.dsc >/dev/null 2>&1 || ! ls cjson_*.dsc >/dev/null 2>&1; then
  if ! grep -rqs '^Types: deb-src' /etc/apt/sources.list.d/ &&
     ! grep -qs '^deb-src' /etc/apt/sources.list; then
    if [ "$(id -u)" != 0 ]; then
      echo "deps.sh: add a deb-src entry for bookworm main (needs root)" >&2
      exit 1
    fi
    # The same mirror the machine's binary packages come from.
    uri=$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null |
          awk 'NR == 1 { print $2 }')
    [ -n "$uri" ] || uri=$(awk '$1 == "deb" { print $2; exit }' \
                          /etc/apt/sources.list 2>/dev/null)
    [ -n "$uri" ] || { echo "deps.sh: no Debian mirror configured" >&2; exit 1; }
    printf '%s\n' 'Types: deb-src' "URIs: $uri" \
      'Suites: bookworm' 'Components: main' \
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' \
      > /etc/apt/sources.list.d/marcato-src.sources
    apt-get update -qq
  fi
  apt-get source -qq --download-only expat cjson
fi
[ -d expat ] || { dpkg-source -x --no-check expat_*.dsc expat-src >/dev/null &&
                  mv expat-src expat; }
[ -d cjson ] || { dpkg-source -x --no-check cjson_*.dsc cjson-src >/dev/null &&
                  mv cjson-src cjson; }
# Debian's expat source has the library in expat/ (upstream layout) or at
# the top.
exsrc=$deps/src/expat
[ -f "$exsrc/expat/CMakeLists.txt" ] && exsrc=$exsrc/expat

for kind in st mt; do
  flags="-O2 -DHAVE_GETRANDOM=1"
  [ "$kind" = mt ] && flags="$flags -pthread"
  prefix=$deps/$kind
  mkdir -p "$prefix/include" "$prefix/lib/pkgconfig"
  if [ ! -f "$prefix/lib/libexpat.a" ]; then
    emcmake cmake -S "$exsrc" -B "$deps/build-expat-$kind" -G Ninja \
      -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS="$flags" \
      -DCMAKE_INSTALL_PREFIX="$prefix" -DEXPAT_SHARED_LIBS=OFF \
      -DEXPAT_BUILD_TOOLS=OFF -DEXPAT_BUILD_EXAMPLES=OFF \
      -DEXPAT_BUILD_TESTS=OFF -DEXPAT_BUILD_DOCS=OFF \
      -DEXPAT_BUILD_PKGCONFIG=OFF -DEXPAT_DEV_URANDOM=OFF >"$deps/expat-$kind.log" 2>&1 || { cat "$deps/expat-$kind.log" >&2; exit 1; }
    # Debian's security patches test "#if XML_DTD == 1"; 2.5.0's CMake
    # defines it empty.
    sed -i 's/^#define XML_DTD$/#define XML_DTD 1/' \
      "$deps/build-expat-$kind/expat_config.h"
    ninja -C "$deps/build-expat-$kind" -j2 install >"$deps/expat-$kind.log" 2>&1 ||
      { tail -20 "$deps/expat-$kind.log" >&2; exit 1; }
  fi
  if [ ! -f "$prefix/lib/libcjson.a" ]; then
    emcc $flags -c "$deps/src/cjson/cJSON.c" -o "$deps/cJSON-$kind.o"
    emar rcs "$prefix/lib/libcjson.a" "$deps/cJSON-$kind.o"
    cp "$deps/src/cjson/cJSON.h" "$prefix/include/"
    printf '%s\n' "prefix=$prefix" 'Name: libcjson' 'Description: cJSON' \
      'Version: 1.7.15' 'Cflags: -I${prefix}/include' \
      'Libs: -L${prefix}/lib -lcjson' > "$prefix/lib/pkgconfig/libcjson.pc"
  fi
done
echo "wasm deps: $deps/st $deps/mt"
