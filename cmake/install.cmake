# Installation for C users: header, libraries, the CLI, a pkg-config file
# and a CMake package:
#   find_package(marcato) -> marcato::marcato (shared where built, else
#   static), marcato::marcato_static, marcato::marcato_shared and, on
#   native builds, marcato::marcato_pipeline (the pthreads pipeline, static).
include(CMakePackageConfigHelpers)

install(FILES ${PROJECT_SOURCE_DIR}/core/include/marcato.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
set(_marcato_targets marcato_static)
if(TARGET marcato_shared)
  list(APPEND _marcato_targets marcato_shared)
endif()
set(MARCATO_INSTALL_PIPELINE OFF)
if(TARGET marcato_pipeline)
  # Installable only when its build-only dependencies are wrapped in
  # $<BUILD_INTERFACE:...> (a bare marcato_warnings cannot be exported).
  get_target_property(_marcato_pl_deps marcato_pipeline
                      INTERFACE_LINK_LIBRARIES)
  if("$<LINK_ONLY:marcato_warnings>" IN_LIST _marcato_pl_deps)
    message(STATUS "marcato_pipeline links marcato_warnings without "
            "$<BUILD_INTERFACE:>; it is not installed")
  else()
    set(MARCATO_INSTALL_PIPELINE ON)
  endif()
endif()
if(MARCATO_INSTALL_PIPELINE)
  list(APPEND _marcato_targets marcato_pipeline)
  install(FILES ${PROJECT_SOURCE_DIR}/native/include/marcato_pipeline.h
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endif()
install(TARGETS ${_marcato_targets} EXPORT marcatoTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET marcato_cli)
  install(TARGETS marcato_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(EXPORT marcatoTargets NAMESPACE marcato::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/marcato)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/marcatoConfig.cmake.in
  ${PROJECT_BINARY_DIR}/marcatoConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/marcato)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/marcatoConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/marcatoConfig.cmake
              ${PROJECT_BINARY_DIR}/marcatoConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/marcato)

# pkg-config. The .pc file finds the prefix from its own location, so the
# installed tree can be moved (cmake --install --prefix DIR works for any
# DIR). Libraries the static core links (expat, cJSON where found) go to
# Libs.private for `pkg-config --static`.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(MARCATO_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH _marcato_pc_up "/r/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/r")
  string(REGEX REPLACE "/$" "" _marcato_pc_up "${_marcato_pc_up}")
  set(MARCATO_PC_PREFIX "\${pcfiledir}/${_marcato_pc_up}")
endif()
set(MARCATO_PC_LIBS_PRIVATE "")
get_target_property(_marcato_deps marcato_static INTERFACE_LINK_LIBRARIES)
if(_marcato_deps)
  foreach(_dep IN LISTS _marcato_deps)
    if(_dep MATCHES "^(.*/)?lib([^/]+)\\.(so|a|dylib)(\\.[0-9.]*)?$")
      string(APPEND MARCATO_PC_LIBS_PRIVATE " -l${CMAKE_MATCH_2}")
    elseif(_dep MATCHES "^-l")
      string(APPEND MARCATO_PC_LIBS_PRIVATE " ${_dep}")
    endif()
  endforeach()
endif()
string(STRIP "${MARCATO_PC_LIBS_PRIVATE}" MARCATO_PC_LIBS_PRIVATE)
configure_file(${PROJECT_SOURCE_DIR}/cmake/marcato.pc.in
               ${PROJECT_BINARY_DIR}/marcato.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/marcato.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
