# Platform file for CMAKE_SYSTEM_NAME WASI (CMake 3.25 has none); found
# through CMAKE_MODULE_PATH set by cmake/toolchain-wasi.cmake. WASI
# programs are static .wasm command modules: no shared libraries, no rpath.
set(CMAKE_EXECUTABLE_SUFFIX .wasm)
set(CMAKE_STATIC_LIBRARY_PREFIX lib)
set(CMAKE_STATIC_LIBRARY_SUFFIX .a)
set(CMAKE_FIND_LIBRARY_PREFIXES lib)
set(CMAKE_FIND_LIBRARY_SUFFIXES .a)
set_property(GLOBAL PROPERTY TARGET_SUPPORTS_SHARED_LIBS FALSE)
