# Unit tests of the core, one program per area. Input records are built by
# tests/unit/mkrec.h, independently of the core's writer.

foreach(area reader reader_blob record builder write_iso2709 write_mrk write_room
        format delim_scan)
  marcato_test(unit_${area} SOURCES unit/${area}.c)
  target_link_libraries(unit_${area} PRIVATE marcato_test_common)
endforeach()
# The compaction check looks at the record's storage size, which only the
# internal header shows.
target_include_directories(unit_builder PRIVATE
                           ${PROJECT_SOURCE_DIR}/core/src)
# The validators' delimiter scan is an internal header; the second program
# runs its portable word path (the wasm builds') on this machine.
marcato_test(unit_delim_scan_portable SOURCES unit/delim_scan.c)
target_compile_definitions(unit_delim_scan_portable PRIVATE
                           MARC__SCAN_PORTABLE)
foreach(t unit_delim_scan unit_delim_scan_portable)
  target_include_directories(${t} PRIVATE ${PROJECT_SOURCE_DIR}/core/src)
endforeach()
