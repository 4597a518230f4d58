# MARC-8 <-> UTF-8: oracles (pymarc lines, yaz-marcdump on real records),
# round trips, unit tests, and the fuzz target's standalone runner.
marcato_test(charset_pymarc SOURCES charset/charset_pymarc.c
             ARGS ${MARCATO_TEST_DATA}/charset)

# YAZ's conversion of the real MARC-8 records is made in the test run (it
# is GPL-free but not ours to ship), then compared field by field.
set(MARCATO_REAL_MARC8 ${MARCATO_SHARED_DATA}/corpus/real-marc8.mrc)
find_program(MARCATO_YAZ_MARCDUMP yaz-marcdump)
set(charset_yaz_out "")
if(MARCATO_YAZ_MARCDUMP AND EXISTS ${MARCATO_REAL_MARC8})
  set(charset_yaz_out ${CMAKE_CURRENT_BINARY_DIR}/real-marc8.yaz.mrc)
  add_test(NAME charset_yaz_setup
           COMMAND sh -c "\"$0\" -f marc8 -t utf8 -l 9=97 -o marc \"$1\" > \"$2\""
                   ${MARCATO_YAZ_MARCDUMP} ${MARCATO_REAL_MARC8} ${charset_yaz_out})
  set_tests_properties(charset_yaz_setup PROPERTIES FIXTURES_SETUP charset_yaz)
endif()
marcato_test(charset_yaz SOURCES charset/charset_yaz.c
             ARGS ${MARCATO_REAL_MARC8} "${charset_yaz_out}")
if(charset_yaz_out)
  set_tests_properties(charset_yaz PROPERTIES FIXTURES_REQUIRED charset_yaz)
endif()

marcato_test(charset_roundtrip SOURCES charset/charset_roundtrip.c
             ARGS ${MARCATO_REAL_MARC8})

marcato_test(charset_unit SOURCES charset/charset_unit.c)

# Double-encoded UTF-8: repaired on Boston University's records, and no
# record of the real corpus changed (its files are skipped when absent).
marcato_test(charset_repair SOURCES charset/charset_repair.c
             ARGS ${MARCATO_TEST_DATA}/charset/bu_bibs.mrc
                  ${MARCATO_SHARED_DATA}/corpus/real-all.mrc
                  ${MARCATO_SHARED_DATA}/corpus/real-utf8.mrc
                  ${MARCATO_SHARED_DATA}/corpus/real-marc8.mrc)

# The fuzz target replayed over seeds and generated inputs (every build);
# with -DMARCATO_FUZZ=ON the lead links fuzz_marc8.c with -fsanitize=fuzzer.
marcato_test(charset_fuzz_seeds
  SOURCES charset/charset_fuzz_main.c charset/fuzz_marc8.c
  ARGS ${MARCATO_TEST_DATA}/charset/test_marc8.txt
       ${MARCATO_TEST_DATA}/pymarc/marc8.dat
       ${MARCATO_TEST_DATA}/pymarc/bad_marc8_escape.dat
       ${MARCATO_TEST_DATA}/pymarc/bad_eacc_encoding.dat
       ${MARCATO_TEST_DATA}/pymarc/diacritic.dat
       ${MARCATO_TEST_DATA}/charset/bu_bibs.mrc)

# Throughput (not a test): charset_bench real-marc8.mrc 50
add_executable(charset_bench charset/charset_bench.c)
target_link_libraries(charset_bench PRIVATE marcato_static marcato_warnings)
target_include_directories(charset_bench PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
