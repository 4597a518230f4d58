/* The decoder against pymarc's oracle: each of the 1,515 lines of
 * test_marc8.txt, decoded with NFC, must equal the same line of
 * test_utf8.txt (pymarc's expected UTF-8, itself NFC). The encoder is
 * checked on the same lines: encoding the UTF-8 and decoding it again
 * gives the same text. Usage: charset_pymarc DATA_DIR */
#include "check.h"
#include "marcato.h"

#include <stdlib.h>

static char *slurp(const char *dir, const char *name, size_t *n) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, len = 0;
  char *p = malloc(cap);
  size_t r;
  while (p && (r = fread(p + len, 1, cap - len, f)) > 0) {
    len += r;
    if (len == cap) p = realloc(p, cap *= 2);
  }
  fclose(f);
  *n = len;
  return p;
}

/* The next '\n'-terminated line of p[*pos..n). */
static int next_line(const char *p, size_t n, size_t *pos, const char **l,
                     size_t *len) {
  if (*pos >= n) return 0;
  const char *s = p + *pos, *e = memchr(s, '\n', n - *pos);
  size_t k = e ? (size_t)(e - s) : n - *pos;
  *l = s;
  *len = k;
  *pos += k + (e != NULL);
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 2) return CHECK_SKIP;
  size_t n8, nu;
  char *m8 = slurp(argv[1], "test_marc8.txt", &n8);
  char *u8 = slurp(argv[1], "test_utf8.txt", &nu);
  CHECK(m8 && u8);
  if (!m8 || !u8) return check_done("charset_pymarc");

  marc_charset_options nfc = {MARC_ENC_AUTO, 1, 0, 0};
  marc_buf out = {0}, enc = {0}, back = {0};
  size_t p8 = 0, pu = 0, lines = 0, bad = 0, bad_rt = 0, problems = 0;
  size_t ncrs = 0;
  const char *a, *b;
  size_t la, lb;
  while (next_line(m8, n8, &p8, &a, &la) && next_line(u8, nu, &pu, &b, &lb)) {
    lines++;
    marc_charset_log log = {NULL, 0, 0};
    out.len = 0;
    CHECK_EQ_INT(marc_marc8_to_utf8((const uint8_t *)a, la, &out, &nfc, &log),
                 MARC_OK);
    problems += log.count;
    if (out.len != lb || memcmp(out.data, b, lb) != 0) {
      if (bad++ < 5)
        fprintf(stderr, "line %zu:\n  want %.*s\n  got  %.*s\n", lines, (int)lb,
                b, (int)out.len, (const char *)out.data);
    }
    /* Round trip through the encoder. */
    enc.len = back.len = 0;
    marc_charset_issue issues[8];
    marc_charset_log elog = {issues, 8, 0};
    CHECK_EQ_INT(marc_utf8_to_marc8((const uint8_t *)b, lb, &enc, &nfc, &elog),
                 MARC_OK);
    /* Only line 1515's III punctuation (U+2026, U+201C, U+201D, U+2122)
     * is outside MARC-8: it goes out as "&#x...;" and comes back. */
    for (size_t k = 0; k < elog.count && k < 8; k++)
      CHECK_EQ_INT(issues[k].code, MARC_CS_MARC8_UNREPRESENTABLE);
    ncrs += elog.count;
    CHECK_EQ_INT(marc_marc8_to_utf8(enc.data, enc.len, &back, &nfc, NULL),
                 MARC_OK);
    if (back.len != lb || memcmp(back.data, b, lb) != 0) {
      if (bad_rt++ < 5)
        fprintf(stderr, "round trip, line %zu:\n  want %.*s\n  got  %.*s\n",
                lines, (int)lb, b, (int)back.len, (const char *)back.data);
    }
  }
  CHECK_EQ_INT(lines, 1515);
  CHECK_EQ_INT(bad, 0);
  CHECK_EQ_INT(bad_rt, 0);
  CHECK_EQ_INT(problems, 0);
  CHECK_EQ_INT(ncrs, 4);
  printf("charset_pymarc: %zu lines, %zu differ, %zu differ after a round "
         "trip\n",
         lines, bad, bad_rt);
  marc_buf_free(&out);
  marc_buf_free(&enc);
  marc_buf_free(&back);
  free(m8);
  free(u8);
  return check_done("charset_pymarc");
}
