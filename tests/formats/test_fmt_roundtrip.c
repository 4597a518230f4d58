/* Round trips over the shared corpus: ISO 2709 -> MARCXML / MARC-in-JSON
 * (array and JSON Lines) / MARCMaker -> record, which must equal the
 * original (leader and every field). MARCXML and JSON must be UTF-8, so
 * records they cannot carry unchanged (MARC-8 and other non-UTF-8 bytes,
 * controls) are counted apart; they must still read back, with as many
 * fields. Then the chunking sweep: each reader gives the same records,
 * offsets and diagnostics for chunk sizes 1..7 and 4096 as for the whole
 * input.
 *   fmt_roundtrip SHARED_DATA_DIR */
#include "check.h"
#include "formats/fmt_test.h"

/* Can MARCXML and JSON hold the record unchanged? Valid UTF-8, no C0
 * control but the delimiter inside data fields (and tab/LF/CR), and every
 * data field starts with a delimiter. */
static int utf8_ok(const uint8_t *p, size_t n, int data) {
  for (size_t i = 0; i < n;) {
    uint8_t c = p[i];
    if (c < 0x20 && !(data && c == 0x1F) && c != '\t' && c != '\n' && c != '\r')
      return 0;
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t k = c >= 0xC2 && c <= 0xDF   ? 2
               : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xF0 && c <= 0xF4 ? 4
                                        : 0;
    if (!k || n - i < k) return 0;
    for (size_t j = 1; j < k; j++)
      if ((p[i + j] & 0xC0) != 0x80) return 0;
    if (c == 0xEF && p[i + 1] == 0xBF && p[i + 2] >= 0xBE) return 0;
    i += k;
  }
  return 1;
}

static int representable(const marc_record *rec, int mrk) {
  if (mrk) { /* lines: no LF/CR inside values */
    for (size_t i = 0; i < marc_record_field_count(rec); i++) {
      const marc_field *f = marc_record_field(rec, i);
      const uint8_t *d = marc_field_data(rec, f);
      if (memchr(d, '\n', f->len) || memchr(d, '\r', f->len)) return 0;
      if (f->ind1 == '\\' || f->ind2 == '\\') return 0;
    }
    return 1;
  }
  if (!utf8_ok((const uint8_t *)marc_record_leader(rec), 24, 0)) return 0;
  for (size_t i = 0; i < marc_record_field_count(rec); i++) {
    const marc_field *f = marc_record_field(rec, i);
    const uint8_t *d = marc_field_data(rec, f);
    int control = marc_tag_is_control(f->tag);
    if (!utf8_ok((const uint8_t *)f->tag, 3, 0)) return 0;
    if (!control) {
      if (!utf8_ok(&f->ind1, 1, 0) || !utf8_ok(&f->ind2, 1, 0)) return 0;
      if (f->len && (d[0] != 0x1F || d[f->len - 1] == 0x1F)) return 0;
      for (size_t k = 0; k + 1 < f->len; k++) /* one-byte codes */
        if (d[k] == 0x1F && (d[k + 1] >= 0x80 || d[k + 1] < 0x20)) return 0;
    }
    if (!utf8_ok(d, f->len, !control)) return 0;
  }
  return 1;
}

static void round_trip(const ft_result *orig, marc_format fmt,
                       const char *name) {
  marc_buf out = {0};
  CHECK_EQ_INT(
      ft_write_all(fmt, orig->recs, orig->n, MARC_WRITE_XML_DECLARATION, &out),
      MARC_OK);
  ft_result back;
  ft_read(fmt, out.data, out.len, 65536, 0, 1, &back);
  CHECK(!back.failed);
  CHECK_EQ_INT(back.errors, 0);
  CHECK_EQ_INT(back.n, orig->n);
  size_t same = 0, repr = 0, bad = 0;
  for (size_t i = 0; i < orig->n && i < back.n; i++) {
    /* A record the writer has to change (and says so) is not expected
     * back unchanged; every other one is. */
    int r = representable(orig->recs[i], fmt == MARC_FORMAT_MRK) &&
            !marc_write_changes(orig->recs[i], fmt, NULL, NULL);
    int eq = ft_same(orig->recs[i], back.recs[i]);
    repr += r;
    same += eq;
    if (r && eq && marc_record_diag_count(back.recs[i]) &&
        !marc_record_diag_count(orig->recs[i])) {
      fprintf(stderr, "%s: record %zu read back with: %s\n", name, i,
              marc_record_diag(back.recs[i], 0)->msg);
      CHECK_EQ_INT(marc_record_diag_count(back.recs[i]), 0);
    }
    if (r && !eq && bad++ < 3) {
      marc_buf d = {0};
      ft_dump(orig->recs[i], &d, 0);
      ft_dump(back.recs[i], &d, 1);
      fprintf(stderr, "%s: record %zu differs:\n%.*s\n", name, i, (int)d.len,
              (const char *)d.data);
      marc_buf_free(&d);
    }
    /* Not representable: still read back, with every field. A sound
     * record reads back without diagnostics. */
    if (!r)
      CHECK_EQ_INT(marc_record_field_count(back.recs[i]),
                   marc_record_field_count(orig->recs[i]));
  }
  CHECK_EQ_INT(bad, 0);
  printf("%s: %zu records, %zu representable, %zu identical, %zu bytes\n", name,
         orig->n, repr, same, out.len);
  ft_result_free(&back);
  marc_buf_free(&out);
}

/* Same dump for every chunking of the first records' text. */
static void sweep(const ft_result *orig, marc_format fmt, size_t nrec,
                  const char *name) {
  marc_buf out = {0};
  ft_write_all(fmt, orig->recs, orig->n < nrec ? orig->n : nrec, 0, &out);
  ft_result whole;
  ft_read(fmt, out.data, out.len, 0, 0, 0, &whole);
  CHECK_EQ_INT(whole.n, nrec);
  static const size_t sizes[] = {1, 2, 3, 4, 5, 6, 7, 4096};
  for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
    ft_result part;
    ft_read(fmt, out.data, out.len, sizes[k], 0, 0, &part);
    int same = part.dump.len == whole.dump.len &&
               memcmp(part.dump.data, whole.dump.data, part.dump.len) == 0;
    if (!same) fprintf(stderr, "%s: chunk %zu differs\n", name, sizes[k]);
    CHECK(same);
    ft_result_free(&part);
  }
  ft_result_free(&whole);
  marc_buf_free(&out);
}

int main(int argc, char **argv) {
  if (argc < 2) return CHECK_SKIP;
  char path[4096];
  snprintf(path, sizeof path, "%s/corpus/real-all.mrc", argv[1]);
  size_t n;
  uint8_t *data = ft_load(path, &n);
  if (!data) return CHECK_SKIP;
  ft_result orig;
  ft_read(MARC_FORMAT_ISO2709, data, n, 0, 0, 1, &orig);
  CHECK(orig.n > 8000);
  static const struct {
    marc_format fmt;
    const char *round, *sweep;
  } runs[] = {
      {MARC_FORMAT_MARCXML, "marcxml", "sweep-marcxml"},
      {MARC_FORMAT_JSONL, "jsonl", "sweep-json"},
      {MARC_FORMAT_JSON, "json-array", NULL},
      {MARC_FORMAT_MRK, "mrk", "sweep-mrk"},
  };
  for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
    if (!marc_format_readable(runs[i].fmt)) continue;
    round_trip(&orig, runs[i].fmt, runs[i].round);
    if (runs[i].sweep) sweep(&orig, runs[i].fmt, 40, runs[i].sweep);
  }
  ft_result_free(&orig);
  free(data);
  return check_done("fmt_roundtrip");
}
