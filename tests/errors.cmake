# Golden errors: malformed files from peer projects and what a lenient
# reader must make of each (tests/errors/expected.tsv). MIT/BSD files are
# copied in tests/data/errors; GPL/Artistic ones are read from the shared
# data and skipped when it is absent.
marcato_test(golden_errors
  SOURCES errors/golden_errors.c errors/expect.c
  ARGS ${CMAKE_CURRENT_SOURCE_DIR}/errors/expected.tsv
       ${MARCATO_TEST_DATA}/errors ${MARCATO_SHARED_DATA})
target_link_libraries(golden_errors PRIVATE marcato_test_common)
