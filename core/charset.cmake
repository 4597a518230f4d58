# MARC-8 <-> UTF-8 and NFC: sources, and the tables generated at build time
# from the Library of Congress code tables (data/codetables.xml) and
# Python's unicodedata. The generated files live in the build directory.
find_package(Python3 REQUIRED COMPONENTS Interpreter)

set(MARCATO_GEN_DIR ${CMAKE_CURRENT_BINARY_DIR}/generated)
file(MAKE_DIRECTORY ${MARCATO_GEN_DIR})

add_custom_command(
  OUTPUT ${MARCATO_GEN_DIR}/marc8_tables.h ${MARCATO_GEN_DIR}/marc8_tables.c
  COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/tools/gen_marc8.py
          ${CMAKE_CURRENT_SOURCE_DIR}/data/codetables.xml
          ${MARCATO_GEN_DIR}/marc8_tables.h ${MARCATO_GEN_DIR}/marc8_tables.c
  DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/tools/gen_marc8.py
          ${CMAKE_CURRENT_SOURCE_DIR}/tools/gen_common.py
          ${CMAKE_CURRENT_SOURCE_DIR}/data/codetables.xml
  COMMENT "Generating MARC-8 tables"
  VERBATIM)

add_custom_command(
  OUTPUT ${MARCATO_GEN_DIR}/nfc_tables.h ${MARCATO_GEN_DIR}/nfc_tables.c
  COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/tools/gen_nfc.py
          ${MARCATO_GEN_DIR}/nfc_tables.h ${MARCATO_GEN_DIR}/nfc_tables.c
  DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/tools/gen_nfc.py
          ${CMAKE_CURRENT_SOURCE_DIR}/tools/gen_common.py
  COMMENT "Generating Unicode NFC tables"
  VERBATIM)

list(APPEND MARCATO_CORE_SOURCES
  src/utf8.c
  src/utf8_repair.c
  src/nfc.c
  src/marc8_decode.c
  src/marc8_encode.c
  src/marc8_record.c
  ${MARCATO_GEN_DIR}/marc8_tables.c
  ${MARCATO_GEN_DIR}/nfc_tables.c
)
# The core's sources include the generated headers by name.
include_directories(${MARCATO_GEN_DIR})
