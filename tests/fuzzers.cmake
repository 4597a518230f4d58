# libFuzzer runs of every parser entry point beyond the ISO 2709 reader
# (tests/fuzz.cmake has that one): the MARC-8 decoder and the MARCXML,
# MARC-in-JSON and MARCMaker readers. Each fuzzes for
# MARCATO_FUZZ_OTHER_SECONDS from its seeds (the same seeds its replay test
# uses in every build). Only with -DMARCATO_FUZZ=ON.
if(MARCATO_FUZZ)
  set(MARCATO_FUZZ_OTHER_SECONDS 30 CACHE STRING
      "How long each of the other fuzz_*_run tests fuzzes")
  function(marcato_libfuzzer name)
    cmake_parse_arguments(F "" "" "SOURCES;SEEDS;DEFS" ${ARGN})
    add_executable(${name} ${F_SOURCES})
    target_link_libraries(${name} PRIVATE marcato_static marcato_warnings)
    target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}
                               ${CMAKE_CURRENT_SOURCE_DIR}/formats)
    target_compile_definitions(${name} PRIVATE ${F_DEFS})
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    set(corpus ${CMAKE_CURRENT_BINARY_DIR}/${name}-corpus)
    file(MAKE_DIRECTORY ${corpus})
    add_test(NAME ${name}_run
             COMMAND ${name} -max_total_time=${MARCATO_FUZZ_OTHER_SECONDS}
                     -rss_limit_mb=2048 -max_len=65536
                     -artifact_prefix=${CMAKE_CURRENT_BINARY_DIR}/${name}-
                     ${corpus} ${F_SEEDS})
    math(EXPR timeout "${MARCATO_FUZZ_OTHER_SECONDS} + 300")
    set_tests_properties(${name}_run PROPERTIES TIMEOUT ${timeout}
                         LABELS fuzz)
  endfunction()

  # libFuzzer reads seed directories: give each target one of its own.
  set(seeds ${CMAKE_CURRENT_BINARY_DIR}/fuzz-seeds)
  file(MAKE_DIRECTORY ${seeds}/marc8 ${seeds}/xml ${seeds}/json ${seeds}/mrk)
  file(COPY ${MARCATO_TEST_DATA}/pymarc/marc8.dat
            ${MARCATO_TEST_DATA}/pymarc/bad_marc8_escape.dat
            ${MARCATO_TEST_DATA}/pymarc/bad_eacc_encoding.dat
            ${MARCATO_TEST_DATA}/pymarc/diacritic.dat
            ${MARCATO_TEST_DATA}/charset/bu_bibs.mrc
       DESTINATION ${seeds}/marc8)
  file(GLOB xml_seeds ${MARCATO_TEST_DATA}/formats/*.xml
       ${MARCATO_TEST_DATA}/formats/recover/*.xml)
  file(GLOB json_seeds ${MARCATO_TEST_DATA}/formats/*.json)
  file(GLOB mrk_seeds ${MARCATO_TEST_DATA}/formats/*.mrk)
  if(xml_seeds)
    file(COPY ${xml_seeds} DESTINATION ${seeds}/xml)
  endif()
  if(json_seeds)
    file(COPY ${json_seeds} DESTINATION ${seeds}/json)
  endif()
  if(mrk_seeds)
    file(COPY ${mrk_seeds} DESTINATION ${seeds}/mrk)
  endif()

  marcato_libfuzzer(fuzz_marc8 SOURCES charset/fuzz_marc8.c
                    SEEDS ${seeds}/marc8)
  # The wasm glue's batches (tests/fuzz.cmake has its definitions).
  file(MAKE_DIRECTORY ${seeds}/glue)
  file(GLOB glue_seeds ${MARCATO_TEST_DATA}/errors/mrrc/*
       ${MARCATO_TEST_DATA}/formats/*.xml ${MARCATO_TEST_DATA}/formats/*.json
       ${MARCATO_TEST_DATA}/formats/*.mrk)
  list(FILTER glue_seeds EXCLUDE REGEX "PROVENANCE")
  if(glue_seeds)
    file(COPY ${glue_seeds} DESTINATION ${seeds}/glue)
  endif()
  # The glue's sources and include folders as fuzz.cmake lists them for
  # fuzz_glue_seeds: the glue is compiled into the fuzzer, not linked.
  marcato_libfuzzer(fuzz_glue SOURCES fuzz/libfuzzer_main.c fuzz/fuzz_glue.c
                    ${MARCATO_GLUE_SOURCES}
                    SEEDS ${seeds}/glue DEFS ${MARCATO_GLUE_DEFS})
  target_include_directories(fuzz_glue PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz
                             ${MARCATO_GLUE_DIR} ${MARCATO_GLUE_INCLUDES})
  # The writer property: seeds of every format, each as it is.
  file(MAKE_DIRECTORY ${seeds}/writer)
  file(GLOB writer_seeds ${MARCATO_TEST_DATA}/errors/*/*
       ${MARCATO_TEST_DATA}/formats/*)
  list(FILTER writer_seeds EXCLUDE REGEX "\\.md$")
  if(writer_seeds)
    file(COPY ${writer_seeds} DESTINATION ${seeds}/writer)
  endif()
  marcato_libfuzzer(fuzz_writer SOURCES fuzz/libfuzzer_main.c
                    fuzz/fuzz_writer.c SEEDS ${seeds}/writer
                    DEFS FUZZ_CHECK=marcato_fuzz_writer)
  target_include_directories(fuzz_writer PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz)
  marcato_libfuzzer(fuzz_mrk SOURCES formats/fuzz_mrk.c SEEDS ${seeds}/mrk)
  # The Python extension in an embedded interpreter (tests/fuzz.cmake).
  if(MARCATO_PY_EMBED)
    file(MAKE_DIRECTORY ${seeds}/python)
    file(GLOB python_seeds ${MARCATO_TEST_DATA}/pymarc/*
         ${MARCATO_TEST_DATA}/errors/pymarc/* ${MARCATO_TEST_DATA}/formats/*
         ${MARCATO_TEST_DATA}/fuzz-python/python-*)
    list(FILTER python_seeds EXCLUDE REGEX "\\.md$")
    file(COPY ${python_seeds} DESTINATION ${seeds}/python)
    marcato_libfuzzer(fuzz_python SOURCES fuzz/libfuzzer_main.c
                      fuzz/fuzz_python.c ${MARCATO_PY_EXT_SOURCES}
                      SEEDS ${seeds}/python)
    target_include_directories(fuzz_python PRIVATE
                               ${CMAKE_CURRENT_SOURCE_DIR}/fuzz)
    marcato_python_fuzz_setup(fuzz_python)
    set_tests_properties(fuzz_python_run PROPERTIES
                         ENVIRONMENT "ASAN_OPTIONS=detect_leaks=0")
  endif()
  get_property(_fz_xml GLOBAL PROPERTY MARCATO_HAVE_MARCXML_READER)
  get_property(_fz_json GLOBAL PROPERTY MARCATO_HAVE_JSON_READER)
  if(_fz_xml)
    marcato_libfuzzer(fuzz_xml SOURCES formats/fuzz_xml.c
                      SEEDS ${seeds}/xml)
  endif()
  if(_fz_json)
    marcato_libfuzzer(fuzz_json SOURCES formats/fuzz_json.c
                      SEEDS ${seeds}/json)
  endif()
endif()
