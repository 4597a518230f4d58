/* Convert between formats with the core's readers and writers, for the
 * shell-driven tests (xmllint, YAZ) and by hand:
 *   fmt_tool FROM TO IN OUT     FROM: iso xml json mrk
 *                               TO:   iso xml json jsonl mrk dump
 * Exit 0 on success, 1 when a record could not be written, 2 on usage or
 * I/O errors. */
#include "formats/fmt_test.h"

/* The tool's short names; "dump" is the canonical dump (MARC_FORMAT_AUTO
 * here). */
static const struct {
  const char *name;
  marc_format fmt;
} names[] = {{"iso", MARC_FORMAT_ISO2709}, {"xml", MARC_FORMAT_MARCXML},
             {"json", MARC_FORMAT_JSON},   {"jsonl", MARC_FORMAT_JSONL},
             {"mrk", MARC_FORMAT_MRK},     {"dump", MARC_FORMAT_AUTO}};

static int parse_fmt(const char *s, marc_format *f) {
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(s, names[i].name) == 0) {
      *f = names[i].fmt;
      return 1;
    }
  return 0;
}

int main(int argc, char **argv) {
  marc_format from, to;
  if (argc != 5 || !parse_fmt(argv[1], &from) || !parse_fmt(argv[2], &to) ||
      from == MARC_FORMAT_AUTO || from == MARC_FORMAT_JSONL ||
      !marc_format_readable(from)) {
    fprintf(stderr, "usage: fmt_tool iso|xml|json|mrk "
                    "iso|xml|json|jsonl|mrk|dump IN OUT\n");
    return 2;
  }
  size_t n;
  uint8_t *in = ft_load(argv[3], &n);
  FILE *out = fopen(argv[4], "wb");
  if (!in || !out) {
    fprintf(stderr, "fmt_tool: cannot open %s or %s\n", argv[3], argv[4]);
    return 2;
  }
  ft_result res;
  ft_read(from, in, n, 0, 0, 1, &res);
  marc_buf b = {0};
  int bad = res.failed;
  if (to == MARC_FORMAT_AUTO) {
    for (size_t i = 0; i < res.n; i++) ft_dump(res.recs[i], &b, 1);
  } else if (ft_write_all(to, res.recs, res.n, 0, &b) != MARC_OK) {
    bad = 1;
  }
  fwrite(b.data, 1, b.len, out);
  fclose(out);
  marc_buf_free(&b);
  ft_result_free(&res);
  free(in);
  return bad ? 1 : 0;
}
