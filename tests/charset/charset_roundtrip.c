/* Round trip on real records: every record of real-marc8.mrc converted to
 * UTF-8, back to MARC-8 and to UTF-8 again gives the same fields, with NFC
 * and (compared after NFC) without. Characters MARC-8 lacks (in the
 * records labelled MARC-8 that are UTF-8) go out as "&#x...;" and must
 * come back too.
 * Usage: charset_roundtrip REAL_MARC8_MRC (skips when absent). */
#include "charset_util.h"
#include "check.h"

#include <string.h>

static int same_fields(const marc_record *a, const marc_record *b,
                       int verbose) {
  size_t n = marc_record_field_count(a);
  if (n != marc_record_field_count(b)) return 0;
  for (size_t k = 0; k < n; k++) {
    const marc_field *fa = marc_record_field(a, k),
                     *fb = marc_record_field(b, k);
    if (strcmp(fa->tag, fb->tag) || fa->len != fb->len ||
        memcmp(marc_field_data(a, fa), marc_field_data(b, fb), fa->len)) {
      if (verbose)
        fprintf(stderr, "  %s\n  was %.*s\n  now %.*s\n", fa->tag, (int)fa->len,
                (const char *)marc_field_data(a, fa), (int)fb->len,
                (const char *)marc_field_data(b, fb));
      return 0;
    }
  }
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 2) return CHECK_SKIP;
  size_t n;
  uint8_t *src = cs_read_file(argv[1], &n);
  if (!src) return CHECK_SKIP;
  size_t nr;
  marc_record **recs = cs_read_records(src, n, &nr);
  CHECK(nr > 1000);
  size_t differ = 0, unrepresentable = 0;
  for (int nfc = 0; nfc <= 1; nfc++) {
    marc_charset_options opt = {MARC_ENC_AUTO, nfc, 0, 0};
    for (size_t i = 0; i < nr; i++) {
      marc_record *u1 = NULL, *m = NULL, *u2 = NULL;
      CHECK_EQ_INT(marc_record_to_utf8(recs[i], &opt, &u1, NULL), MARC_OK);
      marc_charset_log log = {NULL, 0, 0};
      CHECK_EQ_INT(marc_record_to_marc8(u1, &opt, &m, &log), MARC_OK);
      unrepresentable += log.count;
      CHECK_EQ_INT(marc_record_leader(m)[9], ' ');
      CHECK_EQ_INT(marc_record_to_utf8(m, &opt, &u2, NULL), MARC_OK);
      if (!nfc && u1 && u2) {
        /* Without NFC, precomposed letters of a mislabelled UTF-8 record
         * come back decomposed (MARC-8 has no precomposed letters): the
         * text is the same after NFC, which is what is compared. */
        marc_charset_options norm = {MARC_ENC_UTF8, 1, 0, 0};
        marc_record *n1 = NULL, *n2 = NULL;
        CHECK_EQ_INT(marc_record_to_utf8(u1, &norm, &n1, NULL), MARC_OK);
        CHECK_EQ_INT(marc_record_to_utf8(u2, &norm, &n2, NULL), MARC_OK);
        marc_record_free(u1);
        marc_record_free(u2);
        u1 = n1;
        u2 = n2;
      }
      if (u1 && u2 && !same_fields(u1, u2, 0) && differ++ < 5) {
        fprintf(stderr, "record %zu differs after a round trip (nfc %d)\n", i,
                nfc);
        same_fields(u1, u2, 1);
      }
      marc_record_free(u1);
      marc_record_free(m);
      marc_record_free(u2);
    }
  }
  CHECK_EQ_INT(differ, 0);
  printf("charset_roundtrip: %zu records x 2 (NFC off, on), %zu differ, %zu "
         "characters written as references\n",
         nr, differ, unrepresentable);
  cs_free_records(recs, nr);
  free(src);
  return check_done("charset_roundtrip");
}
