# Unit tests of the core, one program per area. Input records are built by
# tests/unit/mkrec.h, independently of the core's writer.

foreach(area reader reader_blob record builder write_iso2709 write_mrk write_room
        format)
  marcato_test(unit_${area} SOURCES unit/${area}.c)
  target_link_libraries(unit_${area} PRIVATE marcato_test_common)
endforeach()
# The compaction check looks at the record's storage size, which only the
# internal header shows.
target_include_directories(unit_builder PRIVATE
                           ${PROJECT_SOURCE_DIR}/core/src)
