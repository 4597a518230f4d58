# MARCspec: the published test suite (compile / reject) and evaluation on
# records. The suite's JSON is read with cJSON, where the core found it.
get_property(marcato_have_json GLOBAL PROPERTY MARCATO_HAVE_JSON_READER)
set(marcato_spec_cjson_inc "")
if(MARCATO_CJSON_INCLUDE_DIR)
  set(marcato_spec_cjson_inc ${MARCATO_CJSON_INCLUDE_DIR})
else()
  find_package(PkgConfig QUIET)
  if(PKG_CONFIG_FOUND AND NOT CMAKE_CROSSCOMPILING)
    pkg_check_modules(MARCATO_SPEC_CJSON QUIET libcjson)
    set(marcato_spec_cjson_inc ${MARCATO_SPEC_CJSON_INCLUDE_DIRS})
  endif()
endif()
if(marcato_have_json AND NOT CMAKE_CROSSCOMPILING)
  marcato_test(spec_suite SOURCES spec/spec_suite.c
               ARGS ${MARCATO_TEST_DATA}/marcspec-test-suite)
  target_include_directories(spec_suite PRIVATE ${marcato_spec_cjson_inc})
  target_link_libraries(spec_suite PRIVATE marcato_test_common)
endif()

marcato_test(spec_eval SOURCES spec/spec_eval.c
             ARGS ${MARCATO_TEST_DATA} ${MARCATO_SHARED_DATA})
target_link_libraries(spec_eval PRIVATE marcato_test_common)

# The spec compiler's fuzz check, replayed over its seeds in every build;
# with -DMARCATO_FUZZ=ON also a libFuzzer run (tests/fuzzers.cmake).
marcato_test(fuzz_spec_seeds SOURCES fuzz/seed_main.c fuzz/fuzz_spec.c
             ARGS ${MARCATO_TEST_DATA}/spec-seeds)
target_link_libraries(fuzz_spec_seeds PRIVATE marcato_test_common)
target_compile_definitions(fuzz_spec_seeds PRIVATE
                           FUZZ_CHECK=marcato_fuzz_spec
                           FUZZ_NAME="fuzz_spec_seeds")
if(MARCATO_FUZZ AND COMMAND marcato_libfuzzer)
  set(spec_seeds ${CMAKE_CURRENT_BINARY_DIR}/fuzz-seeds/spec)
  file(MAKE_DIRECTORY ${spec_seeds})
  file(GLOB spec_seed_files ${MARCATO_TEST_DATA}/spec-seeds/seed*.txt)
  file(COPY ${spec_seed_files} DESTINATION ${spec_seeds})
  marcato_libfuzzer(fuzz_spec SOURCES fuzz/libfuzzer_main.c fuzz/fuzz_spec.c
                    SEEDS ${spec_seeds} DEFS FUZZ_CHECK=marcato_fuzz_spec)
endif()

# The analytics hand-off: select's csv and jsonl loaded into DuckDB from
# Node (tests/analytics); native builds, skipped without the dev
# dependency.
if(TARGET marcato_cli AND MARCATO_NATIVE AND MARCATO_BASH)
  add_test(NAME analytics_duckdb
    COMMAND ${MARCATO_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/analytics/duckdb_test.sh
            ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/analytics-work
            -- $<TARGET_FILE:marcato_cli>)
  set_tests_properties(analytics_duckdb PROPERTIES SKIP_RETURN_CODE 77
                       LABELS cli TIMEOUT 300)
endif()
