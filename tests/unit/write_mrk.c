/* Unit test of the MARCMaker writer: the exact text for a record that
 * exercises every escape. Expected text written by hand from the MarcEdit
 * conventions stated in marcato.h. */
#include "check.h"
#include "marcato.h"

#include <stdlib.h>
#include <string.h>

/* A control field's text as MARCMaker writes it, a byte at a time: the
 * reference the writer's word-at-a-time copy must match. */
static size_t fixed_reference(const char *p, size_t n, char *o) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    const char *sub = p[i] == ' '    ? "\\"
                      : p[i] == '\\' ? "{bsol}"
                      : p[i] == '$'  ? "{dollar}"
                      : p[i] == '{'  ? "{lcub}"
                      : p[i] == '}'  ? "{rcub}"
                                     : NULL;
    if (sub) {
      memcpy(o + k, sub, strlen(sub));
      k += strlen(sub);
    } else {
      o[k++] = p[i];
    }
  }
  return k;
}

/* Every escape at every position of a control field long enough for the
 * 16- and 8-byte copies and the tail: blanks at each offset, runs of
 * blanks across word boundaries, a backslash or '$' right after them. */
static void test_fixed_positions(void) {
  static const char *const bits[] = {" ", "   ", "\\",   " \\ ",
                                     "$", " {}", "  $  "};
  for (size_t b = 0; b < sizeof bits / sizeof *bits; b++)
    for (size_t at = 0; at < 40; at++)
      for (size_t len = at + strlen(bits[b]); len < 44; len += 7) {
        char field[64], want[512], line[600];
        memset(field, 'x', sizeof field);
        for (size_t i = 0; i < len; i += 5) field[i] = ' '; /* 008-like */
        memcpy(field + at, bits[b], strlen(bits[b]));
        marc_record *rec = marc_record_new();
        marc_record_append_field(rec, "008", 0, 0, field, len);
        marc_buf out = {0};
        CHECK_EQ_INT(marc_write_mrk(rec, &out), MARC_OK);
        size_t w = fixed_reference(field, len, want);
        int n = snprintf(line, sizeof line, "=008  %.*s\n", (int)w, want);
        const uint8_t *got = memchr(out.data, '\n', out.len);
        CHECK(got && out.len - (size_t)(got + 1 - out.data) >= (size_t)n &&
              memcmp(got + 1, line, (size_t)n) == 0);
        marc_buf_free(&out);
        marc_record_free(rec);
      }
}

int main(void) {
  test_fixed_positions();
  marc_record *rec = marc_record_new();
  marc_record_set_leader(rec, "01234cam a2200289 i 4500");
  /* Control fields: blanks become '\', so a real backslash is {bsol};
   * '$', '{' and '}' are escaped everywhere. */
  marc_record_append_field(rec, "001", 0, 0, "ocm 12\\3$4", 10);
  marc_record_append_field(rec, "008", 0, 0, "850101s1985    nyu{}", 20);
  /* Data fields: blank indicators are '\', blanks in the data stay. */
  marc_record_append_field(rec, "020", ' ', ' ',
                           "\x1f"
                           "a0-12 $4.99",
                           12);
  marc_record_append_field(rec, "245", '1', '0',
                           "\x1f"
                           "aTitle {braces} /\x1f"
                           "cA\\B.",
                           24);
  marc_record_append_field(rec, "650", ' ', '0',
                           "\x1f"
                           "aX",
                           3);
  static const char want[] = "=LDR  01234cam\\a2200289\\i\\4500\n"
                             "=001  ocm\\12{bsol}3{dollar}4\n"
                             "=008  850101s1985\\\\\\\\nyu{lcub}{rcub}\n"
                             "=020  \\\\$a0-12 {dollar}4.99\n"
                             "=245  10$aTitle {lcub}braces{rcub} /$cA\\B.\n"
                             "=650  \\0$aX\n"
                             "\n";
  marc_buf out = {0};
  marc_buf_append(&out, "#", 1); /* the writer appends */
  CHECK_EQ_INT(marc_write_mrk(rec, &out), MARC_OK);
  marc_buf_append(&out, "", 1); /* NUL for the string compare */
  CHECK_EQ_STR((const char *)out.data + 1, want);
  CHECK(out.data[0] == '#');
  /* An empty record: just the leader and the blank line. */
  marc_record *empty = marc_record_new();
  out.len = 0;
  CHECK_EQ_INT(marc_write_mrk(empty, &out), MARC_OK);
  marc_buf_append(&out, "", 1);
  CHECK_EQ_STR((const char *)out.data,
               "=LDR  00000nam\\a2200000\\\\\\4500\n\n");
  CHECK_EQ_INT(marc_write_mrk(NULL, &out), MARC_E_ARG);
  marc_record_free(empty);
  marc_record_free(rec);
  marc_buf_free(&out);
  return check_done("unit_write_mrk");
}
