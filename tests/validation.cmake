# Validation against Avram schemas (tests/validation, see its README.md):
# built where the core has it (it needs cJSON).
get_property(_av_have GLOBAL PROPERTY MARCATO_HAVE_AVRAM)
get_property(_av_cjson GLOBAL PROPERTY MARCATO_CJSON_INCLUDE_DIRS)
if(_av_have)
  # The Avram test suite (tests/data/avram-suite, from avram-js).
  file(GLOB _av_suite ${MARCATO_TEST_DATA}/avram-suite/*.json)
  list(SORT _av_suite)
  marcato_test(avram_suite SOURCES validation/avram_suite.c ARGS ${_av_suite})
  target_link_libraries(avram_suite PRIVATE marcato_test_common)
  target_include_directories(avram_suite PRIVATE
                             ${PROJECT_SOURCE_DIR}/core/src ${_av_cjson})
  # marc_schema_validate on MARC records, bad schemas, patterns.
  marcato_test(avram_marc SOURCES validation/avram_marc.c)
  target_link_libraries(avram_marc PRIVATE marcato_test_common)
  # marc_record_validate_schema gives what the two calls give, on real and
  # damaged records.
  file(GLOB _av_one_pass ${MARCATO_TEST_DATA}/lc-marcedit/*.mrc
       ${MARCATO_TEST_DATA}/errors/mrrc/*.bin ${MARCATO_TEST_DATA}/traject/*.marc
       ${MARCATO_TEST_DATA}/ruby-marc/*.marc ${MARCATO_TEST_DATA}/ruby-marc/*.dat
       ${MARCATO_TEST_DATA}/yaz/*.marc)
  list(SORT _av_one_pass)
  marcato_test(one_pass SOURCES validation/one_pass.c ARGS ${_av_one_pass})
  target_link_libraries(one_pass PRIVATE marcato_test_common)
  # The fast path for clean data fields gives what the generic path gives,
  # on the same files and the corpus (skipped when ../shared/data is not
  # there).
  marcato_test(avram_settle SOURCES validation/avram_settle.c
               ARGS ${_av_one_pass} ${MARCATO_SHARED_DATA}/corpus/real-all.mrc)
  target_link_libraries(avram_settle PRIVATE marcato_test_common)
  target_include_directories(avram_settle PRIVATE
                             ${PROJECT_SOURCE_DIR}/core/src ${_av_cjson})
endif()

# marcato validate (tests/cli/validate_test.sh): problem lines, --schema,
# --rules, --summary, --reject, real data when ../shared/data is there.
find_program(MARCATO_BASH bash)
if(_av_have AND TARGET marcato_cli AND MARCATO_BASH)
  set(_av_cli $<TARGET_FILE:marcato_cli>)
  if(CMAKE_CROSSCOMPILING AND CMAKE_CROSSCOMPILING_EMULATOR)
    set(_av_cli ${CMAKE_CROSSCOMPILING_EMULATOR} $<TARGET_FILE:marcato_cli>)
  endif()
  add_test(NAME cli_validate
    COMMAND ${MARCATO_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/cli/validate_test.sh
            ${PROJECT_SOURCE_DIR} ${MARCATO_SHARED_DATA}
            ${CMAKE_CURRENT_BINARY_DIR}/cli-work/validate -- ${_av_cli})
  set_tests_properties(cli_validate PROPERTIES LABELS cli TIMEOUT 300)
elseif(TARGET marcato_cli AND MARCATO_BASH)
  # A build without cJSON (the em and wasi presets) has no Avram
  # validation: its test says so and checks that validate runs the
  # structure checks and refuses --schema and --rules with the reason.
  set(_av_cli $<TARGET_FILE:marcato_cli>)
  if(CMAKE_CROSSCOMPILING AND CMAKE_CROSSCOMPILING_EMULATOR)
    set(_av_cli ${CMAKE_CROSSCOMPILING_EMULATOR} $<TARGET_FILE:marcato_cli>)
  endif()
  add_test(NAME cli_validate_no_avram
    COMMAND ${MARCATO_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/cli/validate_no_avram_test.sh
            ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/cli-work/validate -- ${_av_cli})
  set_tests_properties(cli_validate_no_avram PROPERTIES LABELS cli TIMEOUT 300)
endif()

# Fuzz check of schema loading and validation (tests/fuzz/fuzz_schema.c):
# replayed over its seeds in every build; a libFuzzer run with
# -DMARCATO_FUZZ=ON (marcato_libfuzzer comes from fuzzers.cmake).
if(_av_have)
  set(_av_seeds ${MARCATO_TEST_DATA}/avram-fuzz
      ${PROJECT_SOURCE_DIR}/tests/cli/data/avram-profile.json
      ${PROJECT_SOURCE_DIR}/tests/cli/data/avram-broken.json)
  marcato_test(fuzz_schema_seeds
    SOURCES fuzz/seed_main.c fuzz/fuzz_schema.c ARGS ${_av_seeds})
  target_link_libraries(fuzz_schema_seeds PRIVATE marcato_test_common)
  target_compile_definitions(fuzz_schema_seeds PRIVATE
    FUZZ_CHECK=marcato_fuzz_schema FUZZ_NAME="fuzz_schema_seeds")
  # It compares the fast path with the generic one (an internal switch).
  target_include_directories(fuzz_schema_seeds PRIVATE
                             ${PROJECT_SOURCE_DIR}/core/src ${_av_cjson})
  if(MARCATO_FUZZ AND COMMAND marcato_libfuzzer)
    marcato_libfuzzer(fuzz_schema
      SOURCES fuzz/libfuzzer_main.c fuzz/fuzz_schema.c
      SEEDS ${MARCATO_TEST_DATA}/avram-fuzz
      DEFS FUZZ_CHECK=marcato_fuzz_schema)
    target_include_directories(fuzz_schema PRIVATE
                               ${PROJECT_SOURCE_DIR}/core/src ${_av_cjson})
  endif()
endif()
