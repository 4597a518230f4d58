/* The decoder against YAZ on real records: every record of
 * real-marc8.mrc converted by marc_record_to_utf8 must hold the same
 * fields as yaz-marcdump's conversion of it (`-f marc8 -t utf8 -l 9=97
 * -o marc`, made by the test run), compared after NFC on both sides.
 * Usage: charset_yaz REAL_MARC8_MRC YAZ_OUTPUT (skips when absent).
 * Deliberate differences from YAZ: see tests/charset/README.md. */
#include "charset_util.h"
#include "check.h"

#include <string.h>

/* Our field's bytes as YAZ would have them (see README.md): without
 * U+FFFD (YAZ drops bytes it cannot map) or C0 controls (TAB...), without
 * an empty last subfield and, in a control field, without a leading
 * delimiter (YAZ's reader drops both). */
static void as_yaz(const uint8_t *p, size_t n, int control, marc_buf *out) {
  out->len = 0;
  if (control && n && p[0] == 0x1F) p++, n--;
  if (n && p[n - 1] == 0x1F) n--;
  for (size_t i = 0; i < n; i++) {
    if (p[i] < 0x20 && p[i] != 0x1F) continue; /* YAZ drops C0 controls */
    if (i + 3 <= n && p[i] == 0xEF && p[i + 1] == 0xBF && p[i + 2] == 0xBD) {
      i += 2;
      continue;
    }
    marc_buf_append(out, p + i, 1);
  }
}

/* Subfield delimiters in p[0..n), not counting those of empty subfields
 * (YAZ empties a subfield it fails to convert: "\x1F\x1F4ill"). */
static size_t delimiters(const uint8_t *p, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    k += p[i] == 0x1F && i + 1 < n && p[i + 1] != 0x1F;
  return k;
}

/* An ANSEL mark right before a second half (EC, FB): YAZ writes the mark
 * on the character before, we on the one after (README.md). */
static int mark_before_half(const uint8_t *p, size_t n) {
  for (size_t i = 1; i < n; i++)
    if ((p[i] == 0xEC || p[i] == 0xFB) && p[i - 1] >= 0xE0) return 1;
  return 0;
}

/* Did the conversion log a problem inside this field? */
static int had_problem(const marc_charset_log *log, const char *tag,
                       uint32_t off, uint32_t len) {
  size_t n = log->count < log->cap ? log->count : log->cap;
  if (log->count > log->cap) return 1; /* not all kept: assume so */
  for (size_t k = 0; k < n; k++)
    if (!strcmp(log->items[k].tag, tag) && log->items[k].offset >= off &&
        log->items[k].offset <= (uint64_t)off + len)
      return 1;
  return 0;
}

static int same_field(const marc_record *a, const marc_field *fa,
                      const marc_record *b, const marc_field *fb, marc_buf *tmp,
                      marc_buf *ours) {
  if (strcmp(fa->tag, fb->tag) || fa->ind1 != fb->ind1 || fa->ind2 != fb->ind2)
    return 0;
  marc_charset_options nfc = {MARC_ENC_UTF8, 1, 0, 0};
  tmp->len = 0;
  if (marc_utf8_nfc(marc_field_data(b, fb), fb->len, tmp, &nfc, NULL) !=
      MARC_OK)
    return 0;
  as_yaz(marc_field_data(a, fa), fa->len, marc_tag_is_control(fa->tag), ours);
  return tmp->len == ours->len && memcmp(tmp->data, ours->data, ours->len) == 0;
}

int main(int argc, char **argv) {
  if (argc < 3 || !argv[2][0]) return CHECK_SKIP;
  size_t n_src, n_yaz;
  uint8_t *src = cs_read_file(argv[1], &n_src);
  uint8_t *yaz = cs_read_file(argv[2], &n_yaz);
  if (!src || !yaz) return CHECK_SKIP;
  size_t nr, ny;
  marc_record **recs = cs_read_records(src, n_src, &nr);
  marc_record **ys = cs_read_records(yaz, n_yaz, &ny);
  CHECK_EQ_INT(nr, ny);

  /* YAZ leaves "&#x...;" as it is: so do we here (keep_ncr). */
  marc_charset_options opt = {MARC_ENC_AUTO, 1, 0, 1};
  marc_buf tmp = {0}, ours = {0};
  size_t differ = 0, fields = 0, problems = 0, mislabeled = 0, skipped = 0;
  for (size_t i = 0; i < nr && i < ny; i++) {
    marc_record *u = NULL;
    marc_charset_issue first[256];
    marc_charset_log log = {first, 256, 0};
    CHECK_EQ_INT(marc_record_to_utf8(recs[i], &opt, &u, &log), MARC_OK);
    if (!u) continue;
    if (log.count && first[0].code == MARC_CS_ENCODING_MISLABELED) {
      /* Labelled MARC-8 but UTF-8: YAZ decodes it as MARC-8 (mojibake);
       * we read it as UTF-8. Nothing to compare. */
      mislabeled++;
      marc_record_free(u);
      continue;
    }
    problems += log.count;
    CHECK_EQ_INT(marc_record_leader(u)[9], 'a');
    size_t nf = marc_record_field_count(u);
    CHECK_EQ_INT(nf, marc_record_field_count(ys[i]));
    for (size_t k = 0; k < nf && k < marc_record_field_count(ys[i]); k++) {
      const marc_field *fa = marc_record_field(u, k);
      const marc_field *fb = marc_record_field(ys[i], k);
      const marc_field *fs = marc_record_field(recs[i], k);
      if (!marc_tag_is_control(fs->tag) &&
          (!fs->len || marc_field_data(recs[i], fs)[0] != 0x1F)) {
        skipped++; /* no delimiter first: YAZ puts one in (not charset) */
        continue;
      }
      const uint8_t *src_data = marc_field_data(recs[i], fs);
      if (had_problem(&log, fs->tag, fs->off, fs->len) ||
          delimiters(src_data, fs->len) !=
              delimiters(marc_field_data(ys[i], fb), fb->len) ||
          mark_before_half(src_data, fs->len)) {
        skipped++; /* YAZ drops subfields it fails to convert */
        continue;
      }
      fields++;
      if (!same_field(u, fa, ys[i], fb, &tmp, &ours) && differ++ < 100)
        fprintf(stderr,
                "record %zu field %zu (%s):\n  yaz  %.*s\n  ours %.*s\n", i, k,
                fa->tag, (int)tmp.len, (const char *)tmp.data, (int)ours.len,
                (const char *)ours.data);
    }
    marc_record_free(u);
  }
  CHECK_EQ_INT(differ, 0);
  printf("charset_yaz: %zu records (%zu mislabelled UTF-8 skipped), %zu "
         "fields compared (%zu skipped), %zu differ, %zu problems logged\n",
         nr, mislabeled, fields, skipped, differ, problems);
  marc_buf_free(&tmp);
  marc_buf_free(&ours);
  cs_free_records(recs, nr);
  cs_free_records(ys, ny);
  free(src);
  free(yaz);
  return check_done("charset_yaz");
}
