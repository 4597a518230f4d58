/* MARCspec evaluation on real records: every construct of the grammar,
 * checked against values read off the record by hand (see the MARCMaker
 * dump of traject's test_data.utf8.mrc, record 1, in the comments), the
 * specification's own examples on records built here, and a cross-check
 * over the shared corpus against the record API. */
#include "check.h"
#include "common/dump.h"
#include "marcato.h"

#include <stdlib.h>
#include <string.h>

static marc_buf scratch;

static int join_cb(void *user, const marc_spec_value *v) {
  marc_buf *b = user;
  if (b->len) marc_buf_append(b, "|", 1);
  marc_buf_append(b, v->data, v->len);
  return 0;
}

/* The values of `text` in `rec`, joined by '|'; "ERR" when it does not
 * compile. */
static const char *values(const char *text, const marc_record *rec,
                          unsigned flags) {
  static char out[4096];
  marc_error err;
  marc_spec *sp = marc_spec_compile_flags(text, flags, &err);
  if (!sp) {
    fprintf(stderr, "'%s': position %zu: %s\n", text, err.position,
            err.message);
    return "ERR";
  }
  marc_buf b = {0};
  marc_status s = marc_spec_eval(sp, rec, &scratch, join_cb, &b);
  snprintf(out, sizeof out, "%.*s", (int)b.len, b.data ? (char *)b.data : "");
  /* match agrees with eval: true exactly when a value came. */
  CHECK_EQ_INT(marc_spec_match(sp, rec, NULL), b.len > 0 || s != MARC_OK);
  marc_buf_free(&b);
  marc_spec_free(sp);
  return s == MARC_OK ? out : "NOMEM";
}

#define V(spec, rec, want) CHECK_EQ_STR(values(spec, rec, 0), want)
#define T(spec, rec, want)                                                     \
  CHECK_EQ_STR(values(spec, rec, MARC_SPEC_TRAJECT), want)

static marc_record *first_record(const char *path) {
  uint8_t *data;
  size_t len;
  if (test_read_file(path, &data, &len) != 0) return NULL;
  marc_reader *r = marc_reader_new(NULL);
  marc_reader_feed(r, data, len);
  marc_reader_finish(r);
  marc_record *rec = NULL, *copy = NULL;
  if (marc_reader_next(r, &rec) == MARC_OK) copy = marc_record_clone(rec);
  marc_reader_free(r);
  free(data);
  return copy;
}

/* Record 1 of traject's test_data.utf8.mrc (UTF-8):
 *   =LDR  00799cam\a2200241\a\4500     =001  \\\00282214\
 *   =008  000417s1998\\\\pk\\\\\\\\\\\\000\0\urdo\
 *   =040  \\$aDLC$cDLC$dDLC           =041  1\$aurd$hsnd
 *   =100  1\$aAyaz, Shaikh,$d1923-1997.
 *   =245  10$aFikr-i Ayāz /$cmurattibīn, Āṣif Farruk̲h̲ī, ...
 *   =700  1\$aFarruk̲h̲ī, Āṣif,$d1959-   =700  1\$aPīrzādah, Shāh Muḥammad. */
static void real_record(const marc_record *r) {
  /* Fields, the leader, wildcards, field indexes. */
  V("001", r, "   00282214 ");
  V("LDR", r, "00799cam a2200241 a 4500");
  V("00.", r,
    "   00282214 |DLC|20090120022042.0|000417s1998    pk            "
    "000 0 urdo ");
  V("...[0]", r, "   00282214 ");
  V("7..[#]$a", r, "Pīrzādah, Shāh Muḥammad.");
  V("700[0]$a", r, "Farruk̲h̲ī, Āṣif,");
  V("700[1]$a", r, "Pīrzādah, Shāh Muḥammad.");
  V("700[#-1]$a", r, "Farruk̲h̲ī, Āṣif,|Pīrzādah, Shāh Muḥammad.");
  V("700[1-#]$a", r, "Pīrzādah, Shāh Muḥammad.");
  V("700[2]", r, "");
  V("650", r, "");
  V("041", r, "1\\$aurd$hsnd");
  /* Character positions: leader, control fields, '#', backwards. */
  V("LDR/6", r, "a");
  V("LDR/06", r, "a");
  V("LDR/0-4", r, "00799");
  V("LDR/#", r, "0");
  V("LDR/#-3", r, "4500");
  V("008/35-37", r, "urd");
  V("008/38-#", r, "o ");
  V("008/40", r, "");
  V("041/0-1", r, "1\\");
  /* Subfields: codes, ranges, record order, subfield indexes. */
  V("245$a", r, "Fikr-i Ayāz /");
  V("041$h$a", r, "urd|snd");
  V("041$a-h", r, "urd|snd");
  V("040$c[0]", r, "DLC");
  V("040$a-d[#]", r, "DLC");
  V("700$d", r, "1959-");
  V("100$a$d", r, "Ayaz, Shaikh,|1923-1997.");
  V("245$z", r, "");
  /* Character positions count UTF-8 characters. */
  V("245$a/0-3", r, "Fikr");
  V("245$a/7-11", r, "Ayāz"); /* code points: a, U+0304 */
  V("245$a/#", r, "/");
  V("245$a/#-1", r, " /");
  V("245$a/20", r, "");
  /* Indicators. */
  V("245^1", r, "1");
  V("245^2", r, "0");
  V("041^2", r, " ");
  V("700[1]^1", r, "1");
  V("001^1", r, "");
  /* Subspecs: exists, not exists, comparisons, or, and, abbreviations. */
  V("700$a{$d}", r, "Farruk̲h̲ī, Āṣif,");
  V("700$a{?$d}", r, "Farruk̲h̲ī, Āṣif,");
  V("700$a{!$d}", r, "Pīrzādah, Shāh Muḥammad.");
  V("700$a{$d=\\1959-}", r, "Farruk̲h̲ī, Āṣif,");
  V("700$a{$d~\\1959}", r, "Farruk̲h̲ī, Āṣif,");
  V("700$a{$d!~\\1959}", r, "");
  V("700$a{$d!=\\1959-}", r, ""); /* no $d in the second: false */
  V("700$a{$d!=\\1960-}", r, "Farruk̲h̲ī, Āṣif,");
  V("245$a{/#=\\/}", r, "Fikr-i Ayāz /");
  V("245$c{/#=\\/}", r, "");
  V("245$a{/0-3=\\Fikr}", r, "Fikr-i Ayāz /");
  V("100$a{LDR/6=\\a}", r, "Ayaz, Shaikh,");
  V("100$a{LDR/6=\\x|LDR/7=\\m}", r, "Ayaz, Shaikh,");
  V("100$a{LDR/6=\\a}{LDR/7=\\x}", r, "");
  V("100$a{LDR/6=\\a}{LDR/7=\\m}", r, "Ayaz, Shaikh,");
  V("245$a{?100$d}", r, "Fikr-i Ayāz /");
  V("245$a{!100$q}", r, "Fikr-i Ayāz /");
  V("245$a{^1=\\1}{^2=\\0}", r, "Fikr-i Ayāz /");
  V("245$a{^2=\\1}", r, "");
  V("700[0]{[1]$a~\\Shāh}", r, "1\\$aFarruk̲h̲ī, Āṣif,$d1959-");
  V("700{$a~\\Pīr}", r, "1\\$aPīrzādah, Shāh Muḥammad.");
  V("700$a{$a=$a}", r, "Farruk̲h̲ī, Āṣif,|Pīrzādah, Shāh Muḥammad.");
  V("700$a[0]{[0]=\\Pīrzādah,\\sShāh\\sMuḥammad.}", r,
    "Pīrzādah, Shāh Muḥammad.");
  V("008/35-37{/0-5=\\000417}", r, "urd");
  V("008/35-37{/0-5!=\\000417}", r, "");
  V("041^1{^1=\\1}", r, "1");
  V("041^1{^2!=\\\\s}", r, ""); /* \\s: a space */
  V("041^1{^2!=\\s}", r, "1");  /* the letter s */
  /* The subspec is $c's only: $a is given as it is. */
  V("245$a$c{$a~\\Ayāz}", r,
    "Fikr-i Ayāz /|murattibīn, Āṣif Farruk̲h̲ī, Shāh Muḥammad "
    "Pīrzādah.");
  /* Each subfield spec has its own subspecs. */
  V("245$a{^1=\\0}$c", r,
    "murattibīn, Āṣif Farruk̲h̲ī, Shāh Muḥammad "
    "Pīrzādah.");
  /* traject aliases. */
  T("245ac", r,
    "Fikr-i Ayāz /|murattibīn, Āṣif Farruk̲h̲ī, Shāh Muḥammad "
    "Pīrzādah.");
  T("041|1*|a", r, "urd");
  T("041|0*|a", r, "");
  T("041|1 |ah", r, "urd|snd");
  T("008[35-37]", r, "urd");
  T("001:003", r, "   00282214 |DLC");
  T("100a:700a", r, "Ayaz, Shaikh,|Farruk̲h̲ī, Āṣif,|Pīrzādah, Shāh Muḥammad.");
  T("245$a:008/35-37", r, "Fikr-i Ayāz /|urd");
  CHECK_EQ_STR(values("245ac", r, 0), "ERR"); /* aliases are opt-in */
}

/* Filters: operands are MARCspecs with = != ~ !~ and a value; the older
 * forms (245$ab, 245.ind1=1, 6XX, ~ as a regular expression) still read
 * as before. */
static int query(const char *text, const marc_record *r) {
  marc_error err;
  marc_query *q = marc_query_compile(text, &err);
  if (!q) {
    fprintf(stderr, "query '%s': position %zu: %s\n", text, err.position,
            err.message);
    return -1;
  }
  int m = marc_query_match(q, r);
  marc_query_free(q);
  return m;
}

static void queries(const marc_record *r) {
  static const struct {
    const char *text;
    int match;
  } cases[] = {
      {"245", 1},
      {"650", 0},
      {"7XX", 1},
      {"6XX", 0},
      {"700$a~\\Pi\u0304r", 1},
      {"700$a~\\Pir", 0},
      {"700$d=\\1959-", 1},
      {"700$d!=\\1959-", 0},
      {"700$d!=\\1960-", 1},
      {"700$a!~\\Shaikh", 1},
      {"100$a!~\\Shaikh", 0},
      {"041$a=urd", 1},
      {"041$ah=snd", 1},
      {"041$a=\"urd\"", 1},
      {"245$a~^Fikr", 1},
      {"245$a~*^fikr", 1},
      {"245$a~^fikr", 0},
      {"245.ind1=1", 1},
      {"245.ind2=1", 0},
      {"245^2=\\0", 1},
      {"041^2=\\\\s", 1},
      {"LDR/06=a", 1},
      {"LDR/6=\\a and 008/35-37=urd", 1},
      {"008/35-37=eng or not 245", 0},
      {"(650 or 700[1]$a) and not 100$q", 1},
      {"700$a{$d~\\1959}", 1},
      {"700$a{$d~\\1960}", 0},
      {"700[#]$d", 0},
      {"245$a=\"Fikr-i Aya\u0304z /\"", 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int m = query(cases[i].text, r);
    if (m != cases[i].match)
      fprintf(stderr, "query '%s': %d, want %d\n", cases[i].text, m,
              cases[i].match);
    CHECK_EQ_INT(m, cases[i].match);
  }
}

/* The specification's examples, on records built to hold them. */
static void spec_examples(void) {
  marc_record *r = marc_record_new();
  marc_record_append_field(r, "001", 0, 0, "x1", 2);
  const char f1[] = "\x1F"
                    "a0394170660\x1FqRandom House\x1Fqpaperback\x1F"
                    "c$4.95";
  const char f2[] = "\x1F"
                    "a0394502884\x1FqRandom House\x1Fqhardcover\x1F"
                    "c$12.50";
  const char f3[] = "\x1F"
                    "a0491001304";
  marc_record_append_field(r, "020", ' ', ' ', f1, sizeof f1 - 1);
  marc_record_append_field(r, "020", ' ', ' ', f2, sizeof f2 - 1);
  marc_record_append_field(r, "020", ' ', ' ', f3, sizeof f3 - 1);
  const char f4[] = "\x1F"
                    "_under\x1F$dollar\x1F{brace}";
  marc_record_append_field(r, "999", '1', ' ', f4, sizeof f4 - 1);
  V("020$c{$q=\\paperback}", r, "$4.95");
  V("020$q{$c}", r, "Random House|paperback|Random House|hardcover");
  V("020$a{!$q}", r, "0491001304");
  V("020$c{?020$a}", r, "$4.95|$12.50");
  V("020$q[#]", r, "paperback|hardcover");
  V("020$q[#-1]{$c~\\12}", r, "Random House|hardcover");
  V("020[#]", r, "\\\\$a0491001304");
  V("020[0]$c", r, "$4.95");
  V("020$c/1-#", r, "4.95|12.50");
  V("999$_$$", r, "under|dollar");
  V("999${", r, "brace}");
  V("999", r, "1\\$_under${dollar}dollar${lcub}brace{rcub}");
  V("...$0-9", r, "");
  V("020$a/0-2{$c/#=\\5}", r, "039");
  /* Byte positions when the record is not UTF-8 (leader/09 blank). */
  const char f5[] = "\x1F"
                    "a\xC3\xA9t\xC3\xA9";
  marc_record_append_field(r, "245", '0', '0', f5, sizeof f5 - 1);
  marc_record_set_leader_byte(r, 9, ' ');
  V("245$a/1-2", r, "\xA9t");
  marc_record_set_leader_byte(r, 9, 'a');
  V("245$a/1-2", r, "t\xC3\xA9");
  marc_record_free(r);
}

/* Over a whole corpus: 650$a gives the values the record API finds, in
 * the same order, and match agrees with it. */
static void corpus(const char *path) {
  uint8_t *data;
  size_t len;
  if (test_read_file(path, &data, &len) != 0) return;
  marc_error err;
  marc_spec *sp = marc_spec_compile("650$a", &err);
  marc_reader *rd = marc_reader_new(NULL);
  marc_reader_feed(rd, data, len);
  marc_reader_finish(rd);
  marc_record *rec;
  size_t records = 0, mismatches = 0, total = 0;
  marc_buf want = {0}, got = {0};
  while (marc_reader_next(rd, &rec) != MARC_END) {
    if (!rec) continue;
    records++;
    want.len = got.len = 0;
    for (int64_t i = marc_record_find(rec, "650", 0); i >= 0;
         i = marc_record_find(rec, "650", (size_t)i + 1)) {
      marc_subfield_iter it = marc_subfields(rec, marc_record_field(rec, i));
      marc_subfield sf;
      while (marc_subfield_next(&it, &sf))
        if (sf.code == 'a') {
          if (want.len) marc_buf_append(&want, "|", 1);
          marc_buf_append(&want, sf.value, sf.len);
          total++;
        }
    }
    marc_spec_eval(sp, rec, &scratch, join_cb, &got);
    mismatches += want.len != got.len ||
                  (want.len && memcmp(want.data, got.data, want.len));
    mismatches += marc_spec_match(sp, rec, &scratch) != (want.len > 0);
  }
  printf("%s: %zu records, %zu 650$a values\n", path, records, total);
  CHECK(records > 1000);
  CHECK_EQ_INT(mismatches, 0);
  marc_buf_free(&want);
  marc_buf_free(&got);
  marc_reader_free(rd);
  marc_spec_free(sp);
  free(data);
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  marc_record *r =
      first_record(test_path(argv[1], "traject/test_data.utf8.mrc"));
  CHECK(r != NULL);
  if (r) real_record(r);
  if (r) queries(r);
  marc_record_free(r);
  spec_examples();
  if (argc > 2) corpus(test_path(argv[2], "corpus/real-all.mrc"));
  marc_buf_free(&scratch);
  printf("%d checks, %d failed\n", check_count, check_failures);
  return check_failures ? 1 : 0;
}
