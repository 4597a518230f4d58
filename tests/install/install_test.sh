#!/bin/sh
# Install marcato from a build tree into a temporary prefix, then build the
# consumer program (tests/install/consumer) against the installed copy with
# pkg-config (shared and static) and with find_package(marcato), and run
# each build on a small MARC file.
#
#   install_test.sh CMAKE BUILD_DIR WORK_DIR CC INPUT.mrc
set -eu
cmake=$1 build=$2 work=$3 cc=$4 input=$5
src=$(cd "$(dirname "$0")" && pwd)/consumer
prefix=$work/prefix
fail=0 pass=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

rm -rf "$work"
mkdir -p "$work"
"$cmake" --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log"; echo "FAIL cmake --install"; exit 1; }
ok "cmake --install --prefix $prefix"

# What must be there (the library directory may be lib or lib/<triplet>).
libdir=$(dirname "$(find "$prefix" -name marcato.pc | head -n 1)")
libdir=${libdir%/pkgconfig}
for f in include/marcato.h bin/marcato; do
  if [ -e "$prefix/$f" ]; then ok "installed $f"; else bad "installed $f"; fi
done
for f in libmarcato.a libmarcato.so pkgconfig/marcato.pc \
         cmake/marcato/marcatoConfig.cmake \
         cmake/marcato/marcatoConfigVersion.cmake \
         cmake/marcato/marcatoTargets.cmake; do
  if [ -e "$libdir/$f" ]; then ok "installed ${libdir#"$prefix"/}/$f"
  else bad "installed ${libdir#"$prefix"/}/$f"; fi
done
if "$prefix/bin/marcato" --version | grep -q '^marcato '; then
  ok "installed CLI runs"
else
  bad "installed CLI runs"
fi

# Run a consumer: it prints the version, a line per record and a summary.
check_run() { # NAME COMMAND...
  name=$1; shift
  if "$@" "$input" >"$work/$name.out" 2>&1 &&
     grep -q '^marcato ' "$work/$name.out" &&
     grep -q ' records, 0 problems' "$work/$name.out" &&
     grep -q '^=245  10\$aA made-up title' "$work/$name.out"; then
    ok "$name runs"
  else
    bad "$name runs"; cat "$work/$name.out"
  fi
}

# pkg-config, with the prefix as installed (marcato.pc is relocatable).
if command -v pkg-config >/dev/null 2>&1; then
  export PKG_CONFIG_PATH="$libdir/pkgconfig"
  if [ "$(pkg-config --modversion marcato)" != "" ]; then
    ok "pkg-config --modversion marcato: $(pkg-config --modversion marcato)"
  else
    bad "pkg-config finds marcato"
  fi
  # shellcheck disable=SC2046
  if $cc -std=c11 -Wall -Wextra -Werror -o "$work/consumer-pc" \
       "$src/consumer.c" $(pkg-config --cflags --libs marcato); then
    ok "cc consumer.c \$(pkg-config --cflags --libs marcato)"
    check_run consumer-pc env LD_LIBRARY_PATH="$libdir" "$work/consumer-pc"
  else
    bad "cc consumer.c \$(pkg-config --cflags --libs marcato)"
  fi
  # Static: a directory holding only libmarcato.a comes first, and
  # --static adds the core's own dependencies (Libs.private).
  mkdir -p "$work/static-lib"
  ln -sf "$libdir/libmarcato.a" "$work/static-lib/libmarcato.a"
  # shellcheck disable=SC2046
  if $cc -std=c11 -Wall -Wextra -Werror -o "$work/consumer-pc-static" \
       "$src/consumer.c" -L"$work/static-lib" \
       $(pkg-config --static --cflags --libs marcato); then
    ok "cc consumer.c \$(pkg-config --static --cflags --libs marcato)"
    check_run consumer-pc-static "$work/consumer-pc-static"
    if ldd "$work/consumer-pc-static" 2>/dev/null | grep -q libmarcato; then
      bad "consumer-pc-static does not need libmarcato.so"
    else
      ok "consumer-pc-static does not need libmarcato.so"
    fi
  else
    bad "cc consumer.c \$(pkg-config --static --cflags --libs marcato)"
  fi
else
  echo "skip pkg-config (not installed)"
fi

# The C examples in README.md: each ```c block is a whole program.
readme=$(cd "$(dirname "$0")/../.." && pwd)/README.md
if [ -f "$readme" ] && command -v pkg-config >/dev/null 2>&1; then
  awk -v dir="$work" '
    /^```c$/ { n++; f = dir "/readme-" n ".c"; printf "" > f; inside = 1; next }
    /^```/   { inside = 0; next }
    inside   { print >> f }' "$readme"
  for c in "$work"/readme-*.c; do
    [ -f "$c" ] || continue
    exe=${c%.c}
    # shellcheck disable=SC2046
    if $cc -std=c11 -Wall -Wextra -Werror -o "$exe" "$c" \
         $(pkg-config --cflags --libs marcato); then
      ok "README example $(basename "$c") compiles"
    else
      bad "README example $(basename "$c") compiles"; continue
    fi
    if LD_LIBRARY_PATH="$libdir" "$exe" "$input" >"$exe.out" 2>"$exe.err"
    then ok "README example $(basename "$c") runs"
    else bad "README example $(basename "$c") runs"; cat "$exe.err"; fi
  done
  # The first reads a file and writes its records back unchanged.
  if [ -f "$work/readme-1.out" ] && cmp -s "$work/readme-1.out" "$input"; then
    ok "README reader example copies the input byte for byte"
  else
    bad "README reader example copies the input byte for byte"
  fi
fi

# find_package(marcato) from a CMake project.
if "$cmake" -S "$src" -B "$work/consumer-build" -DCMAKE_C_COMPILER="$cc" \
     -DCMAKE_PREFIX_PATH="$prefix" >"$work/consumer-cmake.log" 2>&1 &&
   "$cmake" --build "$work/consumer-build" >>"$work/consumer-cmake.log" 2>&1
then
  ok "find_package(marcato) consumer builds"
  check_run consumer-cmake-shared "$work/consumer-build/consumer_shared"
  check_run consumer-cmake-static "$work/consumer-build/consumer_static"
  if [ -e "$prefix/include/marcato_pipeline.h" ]; then
    if "$work/consumer-build/consumer_pipeline" >/dev/null; then
      ok "consumer of marcato::marcato_pipeline runs"
    else
      bad "consumer of marcato::marcato_pipeline runs"
    fi
  fi
else
  bad "find_package(marcato) consumer builds"; cat "$work/consumer-cmake.log"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
