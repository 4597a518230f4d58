# MARCXML, MARC-in-JSON and MARCMaker: writers, readers, round trips,
# golden comparisons with YAZ, schema validation, malformed inputs, fuzz
# targets run over their seeds. Tests of a reader that is not in the build
# (no expat / cJSON) skip it (marc_format_readable).
get_property(_fmt_xml GLOBAL PROPERTY MARCATO_HAVE_MARCXML_READER)
get_property(_fmt_json GLOBAL PROPERTY MARCATO_HAVE_JSON_READER)
set(_fmt_data ${MARCATO_TEST_DATA}/formats)

marcato_test(formats_write SOURCES formats/test_fmt_write.c)
marcato_test(formats_write_reporting SOURCES formats/test_write_reporting.c)

add_executable(fmt_tool formats/fmt_tool.c)
target_link_libraries(fmt_tool PRIVATE marcato_static marcato_warnings)
target_include_directories(fmt_tool PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
marcato_test(formats_roundtrip SOURCES formats/test_fmt_roundtrip.c
         ARGS ${MARCATO_SHARED_DATA})
marcato_test(formats_malformed SOURCES formats/test_fmt_malformed.c ARGS ${_fmt_data})
marcato_test(formats_iso_safe SOURCES formats/test_fmt_iso_safe.c)
marcato_test(formats_recover SOURCES formats/test_fmt_recover.c ARGS ${_fmt_data})

# Shell and Python driven checks through fmt_tool, which they run
# directly: native builds only (the wasm builds' fmt_tool needs node).
if(MARCATO_NATIVE)
add_test(NAME formats_xmllint COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/formats/xmllint.sh
         $<TARGET_FILE:fmt_tool> ${MARCATO_SHARED_DATA}
         ${CMAKE_CURRENT_BINARY_DIR}/formats_xmllint ${MARCATO_TEST_DATA})
set_tests_properties(formats_xmllint PROPERTIES SKIP_RETURN_CODE 77)
find_package(Python3 COMPONENTS Interpreter QUIET)
if(Python3_Interpreter_FOUND)
  add_test(NAME formats_yaz_golden COMMAND ${Python3_EXECUTABLE}
           ${CMAKE_CURRENT_SOURCE_DIR}/formats/yaz_golden.py
           $<TARGET_FILE:fmt_tool>
           ${MARCATO_SHARED_DATA}/sources/yaz/test/marc-files
           ${CMAKE_CURRENT_BINARY_DIR}/formats_yaz_golden)
  set_tests_properties(formats_yaz_golden PROPERTIES SKIP_RETURN_CODE 77)
  # Every pair of formats through the CLI on the real corpus.
  if(TARGET marcato_cli)
    add_test(NAME formats_pairs COMMAND ${Python3_EXECUTABLE}
             ${CMAKE_CURRENT_SOURCE_DIR}/formats/pairs.py
             $<TARGET_FILE:marcato_cli> ${MARCATO_SHARED_DATA}
             ${MARCATO_TEST_DATA})
    set_tests_properties(formats_pairs PROPERTIES SKIP_RETURN_CODE 77)
    # The writer property test (every reader and writer on the corpus,
    # the damaged files and the fuzz seeds: valid output, same record
    # back or a reported difference). Run it by hand with
    #   python3 tests/formats/property.py MARCATO SHARED_DATA TEST_DATA
    add_test(NAME formats_writer_property COMMAND ${Python3_EXECUTABLE}
             ${CMAKE_CURRENT_SOURCE_DIR}/formats/property.py
             $<TARGET_FILE:marcato_cli> ${MARCATO_SHARED_DATA}
             ${MARCATO_TEST_DATA})
    set_tests_properties(formats_writer_property PROPERTIES
                         SKIP_RETURN_CODE 77)
  endif()
endif()
endif()

# Fuzz targets: LLVMFuzzerTestOneInput in fuzz_*.c; here each runs once
# over the seeds through fuzz_main.c (the libFuzzer build links the same
# fuzz_*.c with -fsanitize=fuzzer instead).
set(_fmt_fuzz_mrk ${_fmt_data}/seed_records.mrk)
file(GLOB _fmt_fuzz_xml ${_fmt_data}/*.xml ${_fmt_data}/recover/*.xml)
file(GLOB _fmt_fuzz_json ${_fmt_data}/*.json)
# The MARCMaker reader is always built; the others where _fmt_xml and
# _fmt_json say.
foreach(t mrk xml json)
  if(t STREQUAL "mrk" OR _fmt_${t})
    marcato_test(formats_fuzz_${t} SOURCES formats/fuzz_${t}.c
                 formats/fuzz_main.c ARGS ${_fmt_fuzz_${t}})
  endif()
endforeach()

# Conversion benchmark (not a test): see the report for numbers vs YAZ.
add_executable(bench_fmt formats/bench_fmt.c)
target_link_libraries(bench_fmt PRIVATE marcato_static marcato_warnings)
target_include_directories(bench_fmt PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
