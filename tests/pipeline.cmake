# The threaded pipeline through the CLI: determinism across thread counts,
# batch sizes and queue capacities; SIGPIPE and SIGINT behaviour.
if(MARCATO_NATIVE AND TARGET marcato_cli)
  foreach(t determinism signals)
    add_test(NAME pipeline_${t}
             COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/pipeline/${t}.sh
                     $<TARGET_FILE:marcato_cli> ${MARCATO_SHARED_DATA}
                     ${MARCATO_TEST_DATA})
    set_tests_properties(pipeline_${t} PROPERTIES SKIP_RETURN_CODE 77)
  endforeach()
endif()
