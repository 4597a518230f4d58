/* Where a byte range's first record begins (marcato_range.h). */
#include "marcato_range.h"

#include <errno.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

int64_t marc_range_first(int fd, uint64_t start) {
  if (start == 0) return 0;
  /* From start - 1: a terminator just before `start` means a record begins
   * exactly at `start`, and it belongs to this range. */
  if (lseek(fd, (off_t)(start - 1), SEEK_SET) < 0) return -1;
  uint8_t buf[65536];
  uint64_t pos = start - 1;
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) return (int64_t)pos; /* no boundary: at end of file */
    uint8_t *t = memchr(buf, 0x1D, (size_t)n);
    if (t) return (int64_t)(pos + (uint64_t)(t - buf) + 1);
    pos += (uint64_t)n;
  }
}
