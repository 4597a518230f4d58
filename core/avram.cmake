# Validation against Avram schemas (core/src/avram_*.c): needs cJSON to
# read schemas, so it is built where the MARC-in-JSON reader is
# (formats.cmake found cJSON). The schemas marcato ships
# (core/data/schemas, see its PROVENANCE.md) are embedded in the library
# by core/tools/gen_schemas.py, so no front end needs the files at run time.
set(MARCATO_HAVE_AVRAM OFF)
if(MARCATO_CJSON_FOUND)
  find_package(Python3 REQUIRED COMPONENTS Interpreter)
  set(_av_gen ${CMAKE_CURRENT_BINARY_DIR}/generated/avram_schemas.c)
  set(_av_schemas
      ${CMAKE_CURRENT_SOURCE_DIR}/data/schemas/marc21-bibliographic.json
      ${CMAKE_CURRENT_SOURCE_DIR}/data/schemas/marc21-authority.json
      ${CMAKE_CURRENT_SOURCE_DIR}/data/schemas/marc21-holdings.json)
  add_custom_command(
    OUTPUT ${_av_gen}
    COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/tools/gen_schemas.py
            ${_av_gen} ${_av_schemas}
    DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/tools/gen_schemas.py ${_av_schemas}
    COMMENT "Embedding the MARC 21 Avram schemas"
    VERBATIM)
  set(_av_sources src/avram_load.c src/avram_compile.c src/avram_regex.c
                  src/avram_validate.c src/avram_value.c src/avram_marc.c
                  src/avram_count.c src/avram_fixed.c)
  list(APPEND MARCATO_CORE_SOURCES ${_av_sources} ${_av_gen})
  set_source_files_properties(${_av_sources} PROPERTIES
    INCLUDE_DIRECTORIES "${MARCATO_CJSON_INCLUDE_DIRS}")
  set(MARCATO_HAVE_AVRAM ON)
endif()
set_property(GLOBAL PROPERTY MARCATO_HAVE_AVRAM ${MARCATO_HAVE_AVRAM})
# Tests that read JSON themselves (the Avram test suite runner) need it too.
set_property(GLOBAL PROPERTY MARCATO_CJSON_INCLUDE_DIRS "${MARCATO_CJSON_INCLUDE_DIRS}")
