# Golden errors: malformed files from peer projects and what a lenient
# reader must make of each (tests/errors/expected.tsv). MIT/BSD files are
# copied in tests/data/errors; GPL/Artistic ones are read from the shared
# data and skipped when it is absent.
marcato_test(golden_errors
  SOURCES errors/golden_errors.c errors/expect.c
  ARGS ${CMAKE_CURRENT_SOURCE_DIR}/errors/expected.tsv
       ${MARCATO_TEST_DATA}/errors ${MARCATO_SHARED_DATA})
target_link_libraries(golden_errors PRIVATE marcato_test_common)

# Peer table (tests/errors/README.md): marcato reads at least as many
# records as MARC4J and yaz-marcdump from every damaged file, and every
# difference is explained there. One JVM for all files; skipped when
# neither peer is installed.
find_package(Python3 COMPONENTS Interpreter QUIET)
if(MARCATO_NATIVE AND TARGET marcato_cli AND Python3_Interpreter_FOUND)
  add_test(NAME errors_peer_table COMMAND ${Python3_EXECUTABLE}
           ${CMAKE_CURRENT_SOURCE_DIR}/errors/peer_table.py
           $<TARGET_FILE:marcato_cli> ${MARCATO_TEST_DATA}
           ${MARCATO_SHARED_DATA})
  set_tests_properties(errors_peer_table PROPERTIES SKIP_RETURN_CODE 77)
endif()

# Sandwich test: clean + each damaged file + clean, converted to every
# format: the clean records come out byte for byte as the clean file
# alone gives them (tests/errors/sandwich.py).
if(MARCATO_NATIVE AND TARGET marcato_cli AND Python3_Interpreter_FOUND)
  add_test(NAME errors_sandwich COMMAND ${Python3_EXECUTABLE}
           ${CMAKE_CURRENT_SOURCE_DIR}/errors/sandwich.py
           $<TARGET_FILE:marcato_cli> ${MARCATO_TEST_DATA}
           ${MARCATO_SHARED_DATA})
endif()
