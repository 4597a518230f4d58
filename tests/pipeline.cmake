# The threaded pipeline through the CLI: determinism across thread counts,
# batch sizes and queue capacities; SIGPIPE and SIGINT behaviour.
if(MARCATO_NATIVE AND TARGET marcato_cli)
  foreach(t determinism signals split)
    add_test(NAME pipeline_${t}
             COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/pipeline/${t}.sh
                     $<TARGET_FILE:marcato_cli> ${MARCATO_SHARED_DATA}
                     ${MARCATO_TEST_DATA})
    set_tests_properties(pipeline_${t} PROPERTIES SKIP_RETURN_CODE 77)
  endforeach()
endif()

# The C API of the pipeline, on copied real files (tests/data).
if(MARCATO_NATIVE AND TARGET marcato_pipeline)
  marcato_test(pipeline_api SOURCES pipeline/api.c
    ARGS ${MARCATO_TEST_DATA}/lc-marcedit/marc_sample_data.mrc
         ${MARCATO_TEST_DATA}/yaz/marc0.marc
         ${MARCATO_TEST_DATA}/pymarc/bad_records.mrc
         ${MARCATO_TEST_DATA}/traject/george_eliot.marc)
  target_link_libraries(pipeline_api PRIVATE marcato_pipeline)
endif()
