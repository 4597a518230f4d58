# The wasm glue's sources (one file a job; glue.h says which), for the
# modules (wasm/module/CMakeLists.txt) and the native fuzz check of the
# glue (tests/fuzz.cmake). threads.c only for the -pthread module.
set(MARCATO_GLUE_DIR ${CMAKE_CURRENT_LIST_DIR})
set(MARCATO_GLUE_SOURCES
    ${MARCATO_GLUE_DIR}/layout.c ${MARCATO_GLUE_DIR}/text_index.c
    ${MARCATO_GLUE_DIR}/charset.c ${MARCATO_GLUE_DIR}/batch.c
    ${MARCATO_GLUE_DIR}/reader.c ${MARCATO_GLUE_DIR}/writer.c
    ${MARCATO_GLUE_DIR}/query.c ${MARCATO_GLUE_DIR}/spec.c
    ${MARCATO_GLUE_DIR}/schema.c)
set(MARCATO_GLUE_THREADS_SOURCES ${MARCATO_GLUE_SOURCES}
    ${MARCATO_GLUE_DIR}/threads.c)
# fmt_utf8.h: the UTF-8 decoder the glue shares with the core's writers.
set(MARCATO_GLUE_INCLUDES ${PROJECT_SOURCE_DIR}/core/src)
