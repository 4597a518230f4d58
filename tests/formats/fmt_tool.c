/* Convert between formats with the core's readers and writers, for the
 * shell-driven tests (xmllint, YAZ) and by hand:
 *   fmt_tool FROM TO IN OUT     FROM: iso xml json mrk
 *                               TO:   iso xml json jsonl mrk dump
 * Exit 0 on success, 1 when a record could not be written, 2 on usage or
 * I/O errors. */
#include "formats/fmt_test.h"

static int parse_fmt(const char *s, enum ft_fmt *f) {
  static const char *names[] = {"iso", "xml", "json", "mrk"};
  for (int i = 0; i < 4; i++)
    if (strcmp(s, names[i]) == 0) {
      *f = (enum ft_fmt)i;
      return 1;
    }
  return 0;
}

int main(int argc, char **argv) {
  enum ft_fmt from;
  const char *to = argc > 2 ? argv[2] : "";
  if (argc != 5 || !parse_fmt(argv[1], &from) || !ft_available(from)) {
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
  if (strcmp(to, "xml") == 0) marc_write_marcxml_begin(&b, 0);
  if (strcmp(to, "json") == 0) marc_write_json_begin(&b);
  for (size_t i = 0; i < res.n; i++) {
    const marc_record *rec = res.recs[i];
    marc_status s = MARC_OK;
    if (strcmp(to, "iso") == 0) s = marc_write_iso2709(rec, &b, NULL);
    else if (strcmp(to, "xml") == 0)
      s = marc_write_marcxml(rec, &b, MARC_XML_IN_COLLECTION);
    else if (strcmp(to, "json") == 0) {
      if (i) marc_write_json_sep(&b);
      s = marc_write_json(rec, &b);
    } else if (strcmp(to, "jsonl") == 0) s = marc_write_jsonl(rec, &b);
    else if (strcmp(to, "mrk") == 0) s = marc_write_mrk(rec, &b);
    else ft_dump(rec, &b, 1);
    if (s != MARC_OK) bad = 1;
  }
  if (strcmp(to, "xml") == 0) marc_write_marcxml_end(&b);
  if (strcmp(to, "json") == 0) marc_write_json_end(&b);
  fwrite(b.data, 1, b.len, out);
  fclose(out);
  marc_buf_free(&b);
  ft_result_free(&res);
  free(in);
  return bad ? 1 : 0;
}
