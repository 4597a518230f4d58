/* Double-encoded UTF-8 (issue "Nothing silently wrong", item 11): UTF-8
 * read as Latin-1 and encoded again, once or more, is repaired by
 * marc_record_to_utf8 in the auto encoding with one ENCODING_REPAIRED
 * diagnostic per record; MARC_ENC_UTF8 keeps the bytes; no record of the
 * real corpus changes.
 *   charset_repair BU_BIBS_MRC [CORPUS_FILE...] (corpus files may be absent) */
#include "charset_util.h"
#include "check.h"

#include <string.h>

static const char *LDR = "00000nam a2200000 a 4500";

/* The one field of a record that says UTF-8, converted; NULL on error. */
static marc_record *convert_one(const char *data, marc_encoding enc) {
  marc_record *rec = marc_record_new(), *out = NULL;
  marc_record_set_leader(rec, LDR);
  marc_record_append_field(rec, "245", '1', '0', data, strlen(data));
  marc_charset_options opt = {enc, 0, 0, 0};
  CHECK(marc_record_to_utf8(rec, &opt, &out, NULL) == MARC_OK);
  marc_record_free(rec);
  return out;
}

static size_t count_code(const marc_record *rec, marc_code code) {
  size_t n = 0;
  for (size_t i = 0; i < marc_record_diag_count(rec); i++)
    n += marc_record_diag(rec, i)->code == code;
  return n;
}

/* `in` reads as `want` in auto, and as itself with MARC_ENC_UTF8. */
static void expect(const char *in, const char *want) {
  marc_record *out = convert_one(in, MARC_ENC_AUTO);
  if (!out) return;
  const marc_field *f = marc_record_field(out, 0);
  int same =
      f->len == strlen(want) && !memcmp(marc_field_data(out, f), want, f->len);
  if (!same)
    fprintf(stderr, "repair of \"%s\": got \"%.*s\"\n", in, (int)f->len,
            (const char *)marc_field_data(out, f));
  CHECK(same);
  CHECK_EQ_INT(count_code(out, MARC_D_ENCODING_REPAIRED),
               strcmp(in, want) != 0);
  marc_record_free(out);
  out = convert_one(in, MARC_ENC_UTF8);
  f = marc_record_field(out, 0);
  CHECK(f->len == strlen(in) && !memcmp(marc_field_data(out, f), in, f->len));
  CHECK_EQ_INT(count_code(out, MARC_D_ENCODING_REPAIRED), 0);
  marc_record_free(out);
}

static void test_cases(void) {
  /* Once, twice, three times encoded; a 3-byte and a 4-byte character. */
  expect("\x1F"
         "aCaf\xC3\x83\xC2\xA9",
         "\x1F"
         "aCaf\xC3\xA9");
  expect("\x1F"
         "aPe\xC3\x83\xC2\x8C\xC3\x82\xC2\x81tain",
         "\x1F"
         "aPe\xCC\x81tain");
  expect("\x1F"
         "a\xC3\x83\xC2\x83\xC3\x82\xC2\xA9",
         "\x1F"
         "a\xC3\xA9");
  expect("\x1F"
         "a\xC3\xA2\xC2\x82\xC2\xAC 5",
         "\x1F"
         "a\xE2\x82\xAC 5");
  expect("\x1F"
         "a\xC3\xB0\xC2\x9F\xC2\x8E\xC2\xB5",
         "\x1F"
         "a\xF0\x9F\x8E\xB5");
  /* Mixed with correct text in the same field. */
  expect("\x1F"
         "a\xC3\xA9t\xC3\x83\xC2\xA9",
         "\x1F"
         "a\xC3\xA9t\xC3\xA9");
  /* Not double encoding: correct Latin-1 letters and signs, "Ã" before a
   * letter, a sequence whose bytes would be overlong, a surrogate, or cut
   * short, "Ã" before "é", "Á©" (U+00C1 is no lead byte). */
  static const char *const keep[] = {"\x1F"
                                     "aS\xC3\xA3o Paulo \xC2\xA9 1990",
                                     "\x1F"
                                     "a\xC3\x83x",
                                     "\x1F"
                                     "aA\xC2\xA9",
                                     "\x1F"
                                     "a\xC3\xA0\xC2\x80\xC2\x80",
                                     "\x1F"
                                     "a\xC3\xAD\xC2\xA0\xC2\x80",
                                     "\x1F"
                                     "a\xC3\xA2\xC2\x82",
                                     "\x1F"
                                     "a\xC3\x83\xC3\xA9",
                                     "\x1F"
                                     "a\xC3\x81\xC2\xA9"};
  for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
    expect(keep[i], keep[i]);
}

/* The 100 Alma records: the 16 with non-ASCII text are double-encoded. */
static void test_bu_bibs(const char *path) {
  size_t n = 0, count = 0;
  uint8_t *p = cs_read_file(path, &n);
  CHECK(p != NULL);
  if (!p) return;
  /* Records as the reader gives them (views of the input), so that the
   * diagnostics' offsets are stream offsets. */
  marc_reader *rd = marc_reader_new(NULL);
  marc_reader_feed(rd, p, n);
  marc_reader_finish(rd);
  size_t repaired = 0, petain = 0, michoacan = 0;
  marc_record *rec;
  marc_status st;
  while ((st = marc_reader_next(rd, &rec)) == MARC_OK || st == MARC_E_INVALID) {
    if (st != MARC_OK) continue;
    count++;
    marc_record *out = NULL, *kept = NULL;
    int needs = marc_record_utf8_needs_repair(rec, MARC_ENC_AUTO);
    CHECK(!marc_record_utf8_needs_repair(rec, MARC_ENC_UTF8));
    marc_charset_options auto_ = {MARC_ENC_AUTO, 0, 0, 0};
    marc_charset_options utf8 = {MARC_ENC_UTF8, 0, 0, 0};
    CHECK(marc_record_to_utf8(rec, &auto_, &out, NULL) == MARC_OK);
    CHECK(marc_record_to_utf8(rec, &utf8, &kept, NULL) == MARC_OK);
    if (!out || !kept) continue;
    size_t r = count_code(out, MARC_D_ENCODING_REPAIRED);
    CHECK(r <= 1);
    CHECK_EQ_INT(r, needs);
    repaired += r;
    CHECK(!marc_record_utf8_needs_repair(out, MARC_ENC_AUTO));
    for (size_t k = 0; k < marc_record_diag_count(out); k++) {
      const marc_diag *d = marc_record_diag(out, k);
      /* The offset names the first double-encoded byte in the file. */
      if (d->code == MARC_D_ENCODING_REPAIRED)
        CHECK(d->offset + 4 <= n && p[d->offset] == 0xC3 &&
              p[d->offset + 2] == 0xC2 && d->tag[0]);
    }
    for (size_t k = 0; k < marc_record_field_count(out); k++) {
      const marc_field *f = marc_record_field(out, k);
      const marc_field *g = marc_record_field(kept, k);
      const uint8_t *d = marc_field_data(out, f);
      /* MARC_ENC_UTF8 keeps the source's bytes. */
      CHECK(g->len == marc_record_field(rec, k)->len &&
            !memcmp(marc_field_data(kept, g),
                    marc_field_data(rec, marc_record_field(rec, k)), g->len));
      for (size_t j = 0; j < f->len; j++) {
        petain += j + 8 <= f->len && !memcmp(d + j, "Pe\xCC\x81tain", 8);
        michoacan +=
            j + 11 <= f->len && !memcmp(d + j, "Michoaca\xCC\x81n", 11);
      }
    }
    marc_record_free(out);
    marc_record_free(kept);
  }
  CHECK_EQ_INT(count, 100);
  CHECK_EQ_INT(repaired, 16);
  CHECK(petain >= 1);
  CHECK(michoacan >= 5);
  printf("bu_bibs: %zu of %zu records repaired\n", repaired, count);
  marc_reader_free(rd);
  free(p);
}

/* No record of the real corpus is double-encoded: auto reads each UTF-8
 * record as MARC_ENC_UTF8 does, and none is repaired. */
static void test_corpus(const char *path) {
  size_t n = 0, count = 0, utf8 = 0;
  uint8_t *p = cs_read_file(path, &n);
  if (!p) {
    printf("%s: absent, skipped\n", path);
    return;
  }
  marc_record **recs = cs_read_records(p, n, &count);
  CHECK(count > 0);
  for (size_t i = 0; i < count; i++) {
    marc_record *rec = recs[i], *a = NULL, *u = NULL;
    CHECK_EQ_INT(marc_record_utf8_needs_repair(rec, MARC_ENC_AUTO),
                 marc_record_utf8_invalid(rec));
    marc_charset_options ao = {MARC_ENC_AUTO, 0, 0, 0};
    marc_charset_options uo = {MARC_ENC_UTF8, 0, 0, 0};
    CHECK(marc_record_to_utf8(rec, &ao, &a, NULL) == MARC_OK);
    CHECK(marc_record_to_utf8(rec, &uo, &u, NULL) == MARC_OK);
    if (!a || !u) continue;
    CHECK_EQ_INT(count_code(a, MARC_D_ENCODING_REPAIRED), 0);
    if (marc_record_leader(rec)[9] == 'a') {
      utf8++;
      int same = marc_record_field_count(a) == marc_record_field_count(u);
      for (size_t k = 0; same && k < marc_record_field_count(a); k++) {
        const marc_field *f = marc_record_field(a, k);
        const marc_field *g = marc_record_field(u, k);
        same = f->len == g->len &&
               !memcmp(marc_field_data(a, f), marc_field_data(u, g), f->len);
      }
      CHECK(same);
    }
    marc_record_free(a);
    marc_record_free(u);
  }
  printf("%s: %zu records (%zu UTF-8), none repaired\n", path, count, utf8);
  cs_free_records(recs, count);
  free(p);
}

int main(int argc, char **argv) {
  if (argc < 2) return CHECK_SKIP;
  test_cases();
  test_bu_bibs(argv[1]);
  for (int i = 2; i < argc; i++) test_corpus(argv[i]);
  return check_done("charset_repair");
}
