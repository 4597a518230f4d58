# Fuzzing the reader and writers (tests/fuzz/fuzz_reader.c).
#
# Every build: fuzz_reader_seeds replays the fuzz check over the seed files
# (the malformed files of tests/data/errors and the fuzz regressions), so
# the check runs with gcc and under the sanitizers too.
#
# -DMARCATO_FUZZ=ON (clang, with -DMARCATO_SANITIZE=address,undefined):
# the libFuzzer binary fuzz_reader, and a CTest entry fuzz_reader_run that
# fuzzes for MARCATO_FUZZ_SECONDS over a corpus seeded from the same files.
set(MARCATO_FUZZ_SEEDS
    ${MARCATO_TEST_DATA}/errors/mrrc ${MARCATO_TEST_DATA}/errors/pymarc
    ${MARCATO_TEST_DATA}/errors/traject ${MARCATO_TEST_DATA}/errors/ruby-marc
    ${MARCATO_TEST_DATA}/errors/streams)
set(MARCATO_FUZZ_REGRESSIONS ${MARCATO_TEST_DATA}/errors/fuzz-regressions)

marcato_test(fuzz_reader_seeds
  SOURCES fuzz/seed_main.c fuzz/fuzz_reader.c
  ARGS ${MARCATO_FUZZ_SEEDS} ${MARCATO_FUZZ_REGRESSIONS})
target_link_libraries(fuzz_reader_seeds PRIVATE marcato_test_common)

# The writer property (tests/fuzz/fuzz_writer.c): every record read is
# written in every format and read back. Replayed over the damaged files,
# the regressions and the text-format samples, each as it is (the check
# sniffs the format; it takes no header bytes).
marcato_test(fuzz_writer_seeds
  SOURCES fuzz/seed_main.c fuzz/fuzz_writer.c
  ARGS ${MARCATO_FUZZ_SEEDS} ${MARCATO_FUZZ_REGRESSIONS}
       ${MARCATO_TEST_DATA}/formats)
target_link_libraries(fuzz_writer_seeds PRIVATE marcato_test_common)
target_compile_definitions(fuzz_writer_seeds PRIVATE
  FUZZ_CHECK=marcato_fuzz_writer FUZZ_NAME="fuzz_writer_seeds"
  FUZZ_RAW_SEEDS=1)

# The npm package's wasm glue (wasm/module/sources.cmake), compiled
# natively (and by Emscripten, its own target; not for WASI, whose libc lacks the mallinfo it uses) with the
# optional parts the core has (as wasm/module/CMakeLists.txt finds them):
# its batches are checked against the bounds JS relies on
# (tests/fuzz/fuzz_glue.c), over the same seeds and the text-format samples.
if(NOT CMAKE_SYSTEM_NAME STREQUAL "WASI")
  get_property(_fz_glue_xml GLOBAL PROPERTY MARCATO_HAVE_MARCXML_READER)
  set(MARCATO_GLUE_DEFS
      FUZZ_CHECK=marcato_fuzz_glue FUZZ_NAME="fuzz_glue_seeds"
      MARCATO_WASM_HAVE_MARC8=1 MARCATO_WASM_HAVE_MARCXML=1
      MARCATO_WASM_HAVE_JSON=1)
  # expat's getrandom shim (wasm/module/reader.c) under Emscripten.
  if(_fz_glue_xml)
    list(APPEND MARCATO_GLUE_DEFS MARCATO_WASM_HAVE_XML_READER=1)
  endif()
  get_property(_fz_glue_avram GLOBAL PROPERTY MARCATO_HAVE_AVRAM)
  if(_fz_glue_avram)
    list(APPEND MARCATO_GLUE_DEFS MARCATO_WASM_HAVE_AVRAM=1)
  endif()
  include(${PROJECT_SOURCE_DIR}/wasm/module/sources.cmake)
  marcato_test(fuzz_glue_seeds
    SOURCES fuzz/seed_main.c fuzz/fuzz_glue.c ${MARCATO_GLUE_SOURCES}
    ARGS ${MARCATO_FUZZ_SEEDS} ${MARCATO_FUZZ_REGRESSIONS}
         ${MARCATO_TEST_DATA}/formats)
  target_link_libraries(fuzz_glue_seeds PRIVATE marcato_test_common)
  target_compile_definitions(fuzz_glue_seeds PRIVATE ${MARCATO_GLUE_DEFS})
  target_include_directories(fuzz_glue_seeds PRIVATE ${MARCATO_GLUE_DIR}
                             ${MARCATO_GLUE_INCLUDES})
endif()

# The Python package's C extension (tests/fuzz/fuzz_python.c): its sources
# compiled into a program that embeds Python (the interpreter CMake finds,
# with its embedding library: Debian's python3-dev, which scripts/setup.sh
# installs, has one), replayed over its seeds in native builds that
# find Python's embedding library; fuzzers.cmake has its libFuzzer run. The
# interpreter keeps memory to the end: leak detection is off for it.
if(MARCATO_NATIVE AND TARGET marcato_pipeline)
  find_package(Python3 3.9 COMPONENTS Interpreter Development.Embed QUIET)
endif()
# (A variable of our own: later find_package(Python3) calls of other areas
# reset Python3_Development.Embed_FOUND.)
set(MARCATO_PY_EMBED ${Python3_Development.Embed_FOUND})
if(MARCATO_PY_EMBED)
  file(GLOB MARCATO_PY_EXT_SOURCES ${PROJECT_SOURCE_DIR}/python/src/*.c)
  set(MARCATO_PY_SEEDS ${MARCATO_TEST_DATA}/pymarc
      ${MARCATO_TEST_DATA}/errors/pymarc ${MARCATO_TEST_DATA}/formats
      ${MARCATO_TEST_DATA}/fuzz-python)
  # The extension's own warnings set (python/setup.py).
  set_source_files_properties(${MARCATO_PY_EXT_SOURCES} PROPERTIES
    COMPILE_OPTIONS "-Wno-missing-field-initializers;-Wno-cast-function-type;-Wno-shadow")
  function(marcato_python_fuzz_setup target)
    target_link_libraries(${target} PRIVATE marcato_pipeline Python3::Python)
    target_include_directories(${target} PRIVATE
                               ${PROJECT_SOURCE_DIR}/python/src)
    target_compile_definitions(${target} PRIVATE
      FUZZ_CHECK=marcato_fuzz_python _POSIX_C_SOURCE=200809L
      MARCATO_PYTHON_DIR="${PROJECT_SOURCE_DIR}/python")
  endfunction()
  marcato_test(fuzz_python_seeds
    SOURCES fuzz/seed_main.c fuzz/fuzz_python.c ${MARCATO_PY_EXT_SOURCES}
    ARGS ${MARCATO_PY_SEEDS})
  target_link_libraries(fuzz_python_seeds PRIVATE marcato_test_common)
  marcato_python_fuzz_setup(fuzz_python_seeds)
  target_compile_definitions(fuzz_python_seeds PRIVATE
    FUZZ_NAME="fuzz_python_seeds" FUZZ_RAW_SEEDS=1)
  set_tests_properties(fuzz_python_seeds PROPERTIES
                       ENVIRONMENT "ASAN_OPTIONS=detect_leaks=0")
endif()

if(MARCATO_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "MARCATO_FUZZ needs clang (libFuzzer): "
                        "-DCMAKE_C_COMPILER=clang-14")
  endif()
  if(NOT MARCATO_SANITIZE)
    message(FATAL_ERROR "MARCATO_FUZZ needs the whole build sanitized: "
                        "-DMARCATO_SANITIZE=address,undefined")
  endif()
  set(MARCATO_FUZZ_SECONDS 60 CACHE STRING
      "How long the fuzz_reader_run test fuzzes")
  # Coverage feedback from the core as well as from the target.
  target_compile_options(marcato_static PRIVATE -fsanitize=fuzzer-no-link)
  add_executable(fuzz_reader fuzz/libfuzzer_main.c fuzz/fuzz_reader.c)
  target_link_libraries(fuzz_reader PRIVATE marcato_static marcato_warnings)
  target_compile_options(fuzz_reader PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_reader PRIVATE -fsanitize=fuzzer)
  # New inputs go to a corpus in the build tree; the seed folders are read
  # only. Crashes are written there too (add them to fuzz-regressions).
  set(corpus ${CMAKE_CURRENT_BINARY_DIR}/fuzz-corpus)
  file(MAKE_DIRECTORY ${corpus})
  add_test(NAME fuzz_reader_run
           COMMAND fuzz_reader -max_total_time=${MARCATO_FUZZ_SECONDS}
                   -rss_limit_mb=2048 -max_len=65536
                   -artifact_prefix=${CMAKE_CURRENT_BINARY_DIR}/
                   ${corpus} ${MARCATO_FUZZ_SEEDS} ${MARCATO_FUZZ_REGRESSIONS})
  math(EXPR fuzz_timeout "${MARCATO_FUZZ_SECONDS} + 300")
  set_tests_properties(fuzz_reader_run PROPERTIES
                       TIMEOUT ${fuzz_timeout} LABELS fuzz)
endif()
