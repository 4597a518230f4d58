# Tests of the marcato command (tests/cli/cli_test.sh), run on every build
# that has the CLI: native directly, Emscripten and WASI through
# CMAKE_CROSSCOMPILING_EMULATOR (node; node + wasm/run-wasi.mjs). And, on
# native builds, the install test: install to a temporary prefix and build
# a consumer with pkg-config and with find_package(marcato).
find_program(MARCATO_BASH bash)

if(TARGET marcato_cli AND MARCATO_BASH)
  set(_marcato_cli_cmd $<TARGET_FILE:marcato_cli>)
  if(CMAKE_CROSSCOMPILING AND CMAKE_CROSSCOMPILING_EMULATOR)
    set(_marcato_cli_cmd ${CMAKE_CROSSCOMPILING_EMULATOR} $<TARGET_FILE:marcato_cli>)
  endif()
  foreach(group usage clean errors)
    add_test(NAME cli_${group}
      COMMAND ${MARCATO_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/cli/cli_test.sh
              ${group} ${PROJECT_VERSION} ${PROJECT_SOURCE_DIR}
              ${MARCATO_SHARED_DATA} ${CMAKE_CURRENT_BINARY_DIR}/cli-work/${group}
              -- ${_marcato_cli_cmd})
    set_tests_properties(cli_${group} PROPERTIES SKIP_RETURN_CODE 77
                         LABELS cli TIMEOUT 300)
  endforeach()
  add_test(NAME cli_select
    COMMAND ${MARCATO_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/cli/select_test.sh
            ${PROJECT_SOURCE_DIR} ${MARCATO_SHARED_DATA}
            ${CMAKE_CURRENT_BINARY_DIR}/cli-work/select -- ${_marcato_cli_cmd})
  set_tests_properties(cli_select PROPERTIES SKIP_RETURN_CODE 77
                       LABELS cli TIMEOUT 300)
endif()

# Install test: native builds only, and not with sanitizers (the consumer
# would link the instrumented static library without the runtime).
if(MARCATO_NATIVE AND NOT MARCATO_SANITIZE AND TARGET marcato_shared
   AND TARGET marcato_cli)
  add_test(NAME install_consumer
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/install/install_test.sh
            ${CMAKE_COMMAND} ${PROJECT_BINARY_DIR}
            ${CMAKE_CURRENT_BINARY_DIR}/install-work ${CMAKE_C_COMPILER}
            ${CMAKE_CURRENT_SOURCE_DIR}/cli/data/tiny.mrc)
  set_tests_properties(install_consumer PROPERTIES LABELS install TIMEOUT 300)
endif()
