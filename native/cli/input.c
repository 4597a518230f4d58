/* Reading the CLI's inputs: each is read once, front to back. Its first
 * bytes may be read early to learn its format; they are kept and handed
 * out first, so pipes, FIFOs and <(process substitution) work as files
 * do. */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_stdin(const cli_input *in) { return !strcmp(in->path, "-"); }

static int input_open(cli_input *in) {
  in->fd = is_stdin(in) ? 0 : open(in->path, O_RDONLY);
  if (in->fd < 0) return -1;
  /* A regular file closed after sniffing goes on after its head. */
  if (in->reopen_skip &&
      lseek(in->fd, (off_t)in->head_len, SEEK_SET) != (off_t)in->head_len) {
    close(in->fd);
    return in->fd = -1;
  }
  return 0;
}

marc_format cli_input_sniff(cli_input *in) {
  if (in->fd == -2 || in->head_len) return marc_sniff(in->head, in->head_len);
  if (in->fd < 0 && input_open(in) != 0) return MARC_FORMAT_NONE;
  while (in->head_len < CLI_HEAD && !cli_interrupted) {
    ssize_t got =
        read(in->fd, in->head + in->head_len, CLI_HEAD - in->head_len);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return MARC_FORMAT_NONE; /* read again, and reported */
    if (got == 0) break;
    in->head_len += (size_t)got;
  }
  /* Keep few descriptors open: a regular file is opened again when it is
   * read (standard input and pipes must stay open: they cannot). */
  struct stat sb;
  if (!is_stdin(in) && fstat(in->fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
    close(in->fd);
    in->fd = -1;
    in->reopen_skip = 1;
  }
  return marc_sniff(in->head, in->head_len);
}

int64_t cli_read_input(void *src, void *buf, size_t n) {
  cli_input *in = src;
  if (in->fd == -2) return 0;
  if (in->head_pos < in->head_len) {
    size_t k = in->head_len - in->head_pos;
    if (k > n) k = n;
    memcpy(buf, in->head + in->head_pos, k);
    in->head_pos += k;
    atomic_fetch_add(&in->st->bytes_read, (uint64_t)k);
    return (int64_t)k;
  }
  if (in->fd < 0 && input_open(in) != 0) return -1;
  for (;;) {
    if (cli_interrupted) return 0;
    ssize_t got = read(in->fd, buf, n);
    if (got > 0) atomic_fetch_add(&in->st->bytes_read, (uint64_t)got);
    if (got == 0) {
      if (in->fd > 0) close(in->fd);
      in->fd = -2; /* done: further reads see the end again */
    }
    if (got >= 0 || errno != EINTR) return (int64_t)got;
  }
}
