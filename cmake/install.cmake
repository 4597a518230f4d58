# Installation for C users: headers, libraries, the CLI, a pkg-config file
# and a CMake package (find_package(marcato) -> marcato::marcato).
include(CMakePackageConfigHelpers)

install(FILES ${PROJECT_SOURCE_DIR}/core/include/marcato.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
set(_marcato_targets marcato_static)
if(TARGET marcato_shared)
  list(APPEND _marcato_targets marcato_shared)
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

configure_file(${PROJECT_SOURCE_DIR}/cmake/marcato.pc.in
               ${PROJECT_BINARY_DIR}/marcato.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/marcato.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
