# Validation against Avram schemas (tests/validation, see its README.md):
# built where the core has it (it needs cJSON).
get_property(_av_have GLOBAL PROPERTY MARCATO_HAVE_AVRAM)
get_property(_av_cjson GLOBAL PROPERTY MARCATO_CJSON_INCLUDE_DIRS)
if(_av_have)
  # The Avram test suite (tests/data/avram-suite, from avram-js).
  file(GLOB _av_suite ${MARCATO_TEST_DATA}/avram-suite/*.json)
  list(SORT _av_suite)
  marcato_test(avram_suite SOURCES validation/avram_suite.c ARGS ${_av_suite})
  target_include_directories(avram_suite PRIVATE
                             ${PROJECT_SOURCE_DIR}/core/src ${_av_cjson})
  # marc_schema_validate on MARC records, bad schemas, patterns.
  marcato_test(avram_marc SOURCES validation/avram_marc.c)
  target_link_libraries(avram_marc PRIVATE marcato_test_common)
endif()
