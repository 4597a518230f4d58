# CMake toolchain for WASI (wasm32-wasi, preview1) with Debian's clang-14,
# lld-14 and wasi-libc:
#   cmake -S . -B build/wasi -G Ninja \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-wasi.cmake
# Executables are .wasm command modules; CTest runs them with Node's
# node:wasi through wasm/run-wasi.mjs. WASI has no threads and no shared
# libraries: the project builds the static core and the serial CLI.
set(CMAKE_SYSTEM_NAME WASI)
set(CMAKE_SYSTEM_VERSION 1)
set(CMAKE_SYSTEM_PROCESSOR wasm32)

find_program(MARCATO_WASI_CLANG NAMES clang-14 clang REQUIRED)
find_program(MARCATO_WASI_AR NAMES llvm-ar-14 llvm-ar REQUIRED)
find_program(MARCATO_WASI_RANLIB NAMES llvm-ranlib-14 llvm-ranlib REQUIRED)
set(CMAKE_C_COMPILER ${MARCATO_WASI_CLANG})
set(CMAKE_C_COMPILER_TARGET wasm32-wasi)
set(CMAKE_AR ${MARCATO_WASI_AR} CACHE FILEPATH "Archiver")
set(CMAKE_RANLIB ${MARCATO_WASI_RANLIB} CACHE FILEPATH "Ranlib")

# A sysroot of symlinks to Debian's wasi-libc. Without it clang also
# searches /usr/include, so a header wasi-libc lacks (pthread.h...) would
# silently come from glibc; with it such a mistake fails to compile.
if(NOT MARCATO_WASI_SYSROOT)
  set(MARCATO_WASI_SYSROOT ${CMAKE_BINARY_DIR}/wasi-sysroot)
endif()
set(MARCATO_WASI_LIBC_INCLUDE /usr/include/wasm32-wasi)
set(MARCATO_WASI_LIBC_LIB /usr/lib/wasm32-wasi)
if(NOT EXISTS ${MARCATO_WASI_LIBC_INCLUDE}/stdio.h)
  message(FATAL_ERROR "wasi-libc not found in ${MARCATO_WASI_LIBC_INCLUDE} "
          "(apt-get install wasi-libc libclang-rt-14-dev-wasm32)")
endif()
if(NOT EXISTS ${MARCATO_WASI_SYSROOT}/include/wasm32-wasi)
  file(MAKE_DIRECTORY ${MARCATO_WASI_SYSROOT}/include
                      ${MARCATO_WASI_SYSROOT}/lib)
  file(CREATE_LINK ${MARCATO_WASI_LIBC_INCLUDE}
       ${MARCATO_WASI_SYSROOT}/include/wasm32-wasi SYMBOLIC)
  file(CREATE_LINK ${MARCATO_WASI_LIBC_LIB}
       ${MARCATO_WASI_SYSROOT}/lib/wasm32-wasi SYMBOLIC)
endif()
set(CMAKE_SYSROOT ${MARCATO_WASI_SYSROOT})
# pkg-config must not find the host's libraries (libcjson...) either.
set(ENV{PKG_CONFIG_LIBDIR} ${MARCATO_WASI_SYSROOT}/lib/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "")
# try_compile projects (compiler checks) reuse the same sysroot.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES MARCATO_WASI_SYSROOT)

# cmake/Platform/WASI.cmake: .wasm executables, static libraries only.
list(APPEND CMAKE_MODULE_PATH ${CMAKE_CURRENT_LIST_DIR})
set(CMAKE_EXECUTABLE_SUFFIX_C .wasm)
# Node 20's node:wasi keeps using a module's old memory after memory.grow
# (reads and writes land in freed memory: wrong results or a SIGSEGV in
# node). Starting with 256 MiB of linear memory (reserved, committed only
# when touched) keeps the tests and the CLI from growing it.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-Wl,--initial-memory=268435456")

# Run .wasm programs (CTest, custom commands) with node:wasi, through the
# runner that runs a module again when Node itself crashes after it
# (wasm/run-wasi-test.mjs says why).
find_program(MARCATO_NODE NAMES node nodejs REQUIRED)
cmake_path(ABSOLUTE_PATH CMAKE_CURRENT_LIST_DIR NORMALIZE OUTPUT_VARIABLE _dir)
cmake_path(GET _dir PARENT_PATH _top)
set(CMAKE_CROSSCOMPILING_EMULATOR ${MARCATO_NODE} ${_top}/wasm/run-wasi-test.mjs)

set(CMAKE_FIND_ROOT_PATH ${MARCATO_WASI_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
