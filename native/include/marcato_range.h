/*
 * marcato_range.h: the records of one byte range of an ISO 2709 file.
 *
 * A range [start, end) holds the records that start in it. Its first
 * record begins just after the first record terminator (0x1D) at or after
 * byte start - 1 (at 0 for start 0), so ranges that tile a file give every
 * record exactly once, whatever their size: `marcato split --range` and the
 * Python package's Dask reader both cut files this way.
 */
#ifndef MARCATO_RANGE_H
#define MARCATO_RANGE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The offset in the file open on `fd` where the first record of a range
 * starting at `start` begins (the file's size when no record does), or -1
 * on a read error (errno kept). Moves the file offset. */
int64_t marc_range_first(int fd, uint64_t start);

#ifdef __cplusplus
}
#endif
#endif
