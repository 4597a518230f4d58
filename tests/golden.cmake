# Golden tests on real records and the chunking sweep. Files copied into
# tests/data (see tests/data/PROVENANCE.md) always run; files read from
# ${MARCATO_SHARED_DATA} are skipped when it is absent.

# The real ISO 2709 files copied for these tests (tests/data/PROVENANCE.md);
# other folders of tests/data belong to other test areas.
set(MARCATO_GOLDEN_FILES "")
foreach(dir yaz pymarc ruby-marc traject rust-marc marcjs lc-marcedit)
  file(GLOB found CONFIGURE_DEPENDS ${MARCATO_TEST_DATA}/${dir}/*.mrc
       ${MARCATO_TEST_DATA}/${dir}/*.marc ${MARCATO_TEST_DATA}/${dir}/*.dat)
  list(APPEND MARCATO_GOLDEN_FILES ${found})
endforeach()
list(SORT MARCATO_GOLDEN_FILES)

# Number of records in corpus/real-all.mrc as stated in shared/data/README.md.
set(MARCATO_CORPUS ${MARCATO_SHARED_DATA}/corpus/real-all.mrc)
marcato_test(golden_roundtrip SOURCES golden/roundtrip.c
             ARGS --corpus ${MARCATO_CORPUS} 8046 ${MARCATO_GOLDEN_FILES})
target_link_libraries(golden_roundtrip PRIVATE marcato_test_common)

marcato_test(golden_yaz SOURCES golden/yaz.c ARGS ${MARCATO_TEST_DATA}/yaz)
target_link_libraries(golden_yaz PRIVATE marcato_test_common)

marcato_test(golden_mrk SOURCES golden/mrk.c ARGS ${MARCATO_TEST_DATA})
target_link_libraries(golden_mrk PRIVATE marcato_test_common)

# The sweep: every ISO 2709 file we have, well-formed or not, including
# the shared sources (GPL ones are only read there, never copied) and the
# other areas' fixtures in tests/data (whatever the bytes, the result must
# not depend on the chunking). Globbed at configure time; absent files are
# skipped.
file(GLOB_RECURSE MARCATO_SWEEP_FILES CONFIGURE_DEPENDS
     ${MARCATO_TEST_DATA}/*.mrc ${MARCATO_TEST_DATA}/*.marc
     ${MARCATO_TEST_DATA}/*.dat ${MARCATO_TEST_DATA}/*.bin)
if(EXISTS ${MARCATO_SHARED_DATA}/sources)
  file(GLOB_RECURSE MARCATO_SHARED_ISO CONFIGURE_DEPENDS
       ${MARCATO_SHARED_DATA}/sources/*.mrc
       ${MARCATO_SHARED_DATA}/sources/*.marc
       ${MARCATO_SHARED_DATA}/sources/*.dat
       ${MARCATO_SHARED_DATA}/sources/*.usmarc
       ${MARCATO_SHARED_DATA}/sources/*.bin
       ${MARCATO_SHARED_DATA}/sources/natlibfi-serializers/test-fixtures/iso2709/*)
  list(APPEND MARCATO_SWEEP_FILES ${MARCATO_SHARED_ISO})
endif()
list(SORT MARCATO_SWEEP_FILES)
marcato_test(golden_chunk_sweep SOURCES golden/chunk_sweep.c
             ARGS ${MARCATO_SWEEP_FILES} ${MARCATO_CORPUS})
target_link_libraries(golden_chunk_sweep PRIVATE marcato_test_common)
