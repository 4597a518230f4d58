# MARCXML, MARC-in-JSON and MARCMaker: writers and the MARCMaker reader
# have no dependency and build everywhere; the MARCXML reader needs expat
# and the MARC-in-JSON reader cJSON, and are built only where those are
# found (native builds with libexpat1-dev / libcjson-dev; the Emscripten
# and WASI builds once expat and cJSON are built for them).
#
# Libraries are linked by path, not through imported targets, so that
# install(EXPORT) of marcato_static stays valid. Whether a reader is in the
# build is published as a global property for the tests and the CLI.
list(APPEND MARCATO_CORE_SOURCES
  src/xml_write.c
  src/write_changes.c
  src/json_write.c
  src/mrk_read.c
  src/format.c
  src/input.c
)

find_package(EXPAT QUIET)
if(EXPAT_FOUND)
  list(APPEND MARCATO_CORE_SOURCES src/xml_read.c)
  list(APPEND MARCATO_CORE_LIBS ${EXPAT_LIBRARIES})
  set_source_files_properties(src/xml_read.c PROPERTIES
    INCLUDE_DIRECTORIES "${EXPAT_INCLUDE_DIRS}")
endif()
set_property(GLOBAL PROPERTY MARCATO_HAVE_MARCXML_READER ${EXPAT_FOUND})

set(MARCATO_CJSON_FOUND OFF)
find_package(PkgConfig QUIET)
# pkg-config answers for the host: a cross build (Emscripten, WASI) would
# link the host's library.
if(PKG_CONFIG_FOUND AND NOT CMAKE_CROSSCOMPILING)
  pkg_check_modules(MARCATO_CJSON QUIET libcjson)
endif()
# Cross builds name a cJSON built for the target (wasm/module/deps.sh
# builds one from Debian's source package).
set(MARCATO_CJSON_INCLUDE_DIR "" CACHE PATH "cJSON headers for cross builds")
set(MARCATO_CJSON_LIBRARY "" CACHE FILEPATH "cJSON library for cross builds")
if(NOT MARCATO_CJSON_FOUND AND MARCATO_CJSON_INCLUDE_DIR AND
   MARCATO_CJSON_LIBRARY)
  set(MARCATO_CJSON_FOUND ON)
  set(MARCATO_CJSON_INCLUDE_DIRS ${MARCATO_CJSON_INCLUDE_DIR})
  set(MARCATO_CJSON_LINK_LIBRARIES ${MARCATO_CJSON_LIBRARY})
endif()
if(MARCATO_CJSON_FOUND)
  list(APPEND MARCATO_CORE_SOURCES src/json_read.c src/json_frame.c)
  list(APPEND MARCATO_CORE_LIBS ${MARCATO_CJSON_LINK_LIBRARIES})
  set_source_files_properties(src/json_read.c PROPERTIES
    INCLUDE_DIRECTORIES "${MARCATO_CJSON_INCLUDE_DIRS}")
endif()
set_property(GLOBAL PROPERTY MARCATO_HAVE_JSON_READER ${MARCATO_CJSON_FOUND})

# marc_input dispatches to the readers this build has, and
# marc_format_readable tells which they are.
set(_marcato_reader_defs "")
if(EXPAT_FOUND)
  list(APPEND _marcato_reader_defs MARCATO_HAVE_MARCXML_READER)
endif()
if(MARCATO_CJSON_FOUND)
  list(APPEND _marcato_reader_defs MARCATO_HAVE_JSON_READER)
endif()
set_source_files_properties(src/format.c src/input.c PROPERTIES
  COMPILE_DEFINITIONS "${_marcato_reader_defs}")

# Avram validation needs cJSON, found above.
include(${CMAKE_CURRENT_SOURCE_DIR}/avram.cmake)
