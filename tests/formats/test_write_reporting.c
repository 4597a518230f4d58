/* marc_write_reporting against marc_write + marc_write_changes: the same
 * bytes and the same diagnostics in the same order, for every format, on
 * hand-built records that each need one kind of change (and a clean one,
 * which needs none). The writers flag what they change (write_care.h);
 * a flag missed would drop a diagnostic here. fuzz_writer checks the same
 * on every record of its seeds. */
#include "check.h"
#include "formats/fmt_test.h"

static void keep(void *user, const marc_diag *d) {
  marc_buf *b = user;
  char line[256];
  int n =
      snprintf(line, sizeof line, "%d [%s] %s\n", (int)d->code, d->tag, d->msg);
  marc_buf_append(b, line, (size_t)n < sizeof line ? (size_t)n : 0);
}

/* Compares the two ways for every format; returns how many changes. */
static size_t compare(const marc_record *rec, const char *name) {
  size_t total = 0;
  for (int f = MARC_FORMAT_ISO2709; f <= MARC_FORMAT_TEXT; f++) {
    marc_buf a = {0}, b = {0}, da = {0}, db = {0};
    size_t n = marc_write_changes(rec, (marc_format)f, keep, &da);
    marc_status sa = marc_write(rec, (marc_format)f, 0, &a);
    marc_status sb =
        marc_write_reporting(rec, (marc_format)f, 0, &b, keep, &db);
    int same = sa == sb && a.len == b.len &&
               (!a.len || !memcmp(a.data, b.data, a.len)) && da.len == db.len &&
               (!da.len || !memcmp(da.data, db.data, da.len));
    if (!same)
      fprintf(stderr, "%s, %s: expected\n%.*s--- got\n%.*s", name,
              marc_format_name((marc_format)f), (int)da.len,
              (const char *)da.data, (int)db.len, (const char *)db.data);
    CHECK(same);
    total += n;
    marc_buf_free(&a);
    marc_buf_free(&b);
    marc_buf_free(&da);
    marc_buf_free(&db);
  }
  return total;
}

static marc_record *base(void) {
  marc_record *rec = marc_record_new();
  marc_record_set_leader(rec, "00000nam a2200000 a 4500");
  marc_record_append_field(rec, "001", 0, 0, "ocm1", 4);
  static const char d[] = "\x1F"
                          "aA & B <c> \"q\" \xC3\xA9t\xC3\xA9\x1F"
                          "cMe";
  marc_record_append_field(rec, "245", '1', '0', d, sizeof d - 1);
  return rec;
}

/* One case: the base record, then a field (tag, indicators, data). */
typedef struct field_case {
  const char *name, *tag;
  char ind1, ind2;
  const char *data;
  size_t len;
} field_case;

#define D(s) s, sizeof s - 1

static const field_case cases[] = {
    {"control after data", "005", 0, 0, D("20240101")},
    {"tag not alphanumeric", "2#5", '0', '0',
     D("\x1F"
       "ax")},
    {"tag LDR", "LDR", '0', '0',
     D("\x1F"
       "ax")},
    {"tag high byte",
     "\xC3\xA9"
     "1",
     '0', '0',
     D("\x1F"
       "ax")},
    {"indicator upper case", "500", 'A', ' ',
     D("\x1F"
       "ax")},
    {"indicator backslash", "500", '\\', ' ',
     D("\x1F"
       "ax")},
    {"indicator NUL", "500", 0, ' ',
     D("\x1F"
       "ax")},
    {"indicator high", "500", (char)0xE9, ' ',
     D("\x1F"
       "ax")},
    {"indicator terminator", "500", 0x1E, ' ',
     D("\x1F"
       "ax")},
    {"text before delimiter", "500", ' ', ' ',
     D("lost\x1F"
       "ax")},
    {"bare delimiter", "500", ' ', ' ',
     D("\x1F"
       "ax\x1F")},
    {"no subfield", "500", ' ', ' ', D("")},
    {"code NUL", "500", ' ', ' ',
     D("\x1F"
       "\0x")},
    {"code high", "500", ' ', ' ',
     D("\x1F"
       "\xE9x")},
    {"code split character", "500", ' ', ' ',
     D("\x1F"
       "\xC3\xA9x")},
    {"code pipe", "500", ' ', ' ',
     D("\x1F"
       "|x")},
    {"code line feed", "500", ' ', ' ',
     D("\x1F"
       "\nx")},
    {"NUL in data", "500", ' ', ' ',
     D("\x1F"
       "ax\0y")},
    {"control in data", "500", ' ', ' ',
     D("\x1F"
       "ax\x01y")},
    {"terminator in data", "500", ' ', ' ',
     D("\x1F"
       "ax\x1Dy\x1E")},
    {"line feed in data", "500", ' ', ' ',
     D("\x1F"
       "ax\ny")},
    {"carriage return at end", "500", ' ', ' ',
     D("\x1F"
       "ax\r")},
    {"carriage return inside", "500", ' ', ' ',
     D("\x1F"
       "ax\ry")},
    {"tab in data", "500", ' ', ' ',
     D("\x1F"
       "ax\ty")},
    {"not UTF-8", "500", ' ', ' ',
     D("\x1F"
       "ax\xFFy\xC3")},
    {"U+FFFE", "500", ' ', ' ',
     D("\x1F"
       "a\xEF\xBF\xBE")},
    {"control field NUL", "008", 0, 0, D("ab\0cd")},
    {"control field delimiter", "008", 0, 0,
     D("ab\x1F"
       "cd")},
    {"control field line feed", "008", 0, 0, D("ab\ncd")},
    {"control field backslash", "008", 0, 0, D("a\\ b")},
    {"control field not UTF-8", "008", 0, 0, D("a\x80")},
};

static const struct {
  const char *name;
  size_t pos;
  char byte;
} leaders[] = {
    {"leader NUL", 5, 0},
    {"leader high", 7, (char)0xE9},
    {"leader terminator", 8, 0x1D},
    {"leader line feed", 17, '\n'},
    {"leader schema letter", 0, 'x'},
    {"leader 10", 10, '3'},
};

int main(void) {
  marc_record *rec = base();
  CHECK_EQ_INT(compare(rec, "clean"), 0);
  marc_record_free(rec);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const field_case *c = &cases[i];
    rec = base();
    marc_record_append_field(rec, c->tag, c->ind1, c->ind2, c->data, c->len);
    /* Every case is a change for some format, but the three every
     * format writes as it is (escaped). */
    size_t n = compare(rec, c->name);
    int kept = !strcmp(c->name, "tab in data") ||
               !strcmp(c->name, "carriage return inside") ||
               !strcmp(c->name, "control field backslash");
    if (!n && !kept) fprintf(stderr, "%s: no change reported\n", c->name);
    CHECK(n > 0 || kept);
    marc_record_free(rec);
  }
  for (size_t i = 0; i < sizeof leaders / sizeof leaders[0]; i++) {
    rec = base();
    marc_record_set_leader_byte(rec, leaders[i].pos, leaders[i].byte);
    CHECK(compare(rec, leaders[i].name) > 0);
    marc_record_free(rec);
  }
  /* A change past the writers' field bitmap (write_care.h: 256 fields). */
  rec = base();
  for (size_t i = 0; i < 300; i++)
    marc_record_append_field(rec, "500", ' ', ' ',
                             D("\x1F"
                               "ax"));
  marc_record_append_field(rec, "500", 'A', ' ',
                           D("lost\x1F"
                             "ax\x01\x1F"));
  CHECK(compare(rec, "field 303") > 0);
  marc_record_free(rec);
  return check_done("write_reporting");
}
