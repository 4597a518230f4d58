/* The MARCXML reader after a byte that is not well-formed XML (issue
 * "Nothing silently wrong", item 4): the record it cuts keeps what it had,
 * reading resumes at the next <record>, and that record says which bytes
 * were skipped. The same records and diagnostics at every chunking.
 *   fmt_recover TESTS_DATA_FORMATS_DIR */
#include "check.h"
#include "formats/fmt_test.h"

static const char *dir;

/* Chunk sizes that cut the input everywhere: before, inside and after the
 * bad byte, the tags around it and the <record> that follows. */
static const size_t chunks[] = {0, 1, 2, 3, 7, 13, 64, 1000, 4096};
#define NCHUNKS (sizeof chunks / sizeof chunks[0])

static uint8_t *load(const char *name, size_t *n) {
  char path[4096];
  snprintf(path, sizeof path, "%s/recover/%s", dir, name);
  uint8_t *p = ft_load(path, n);
  CHECK(p != NULL);
  return p;
}

static const marc_diag *find_diag(const marc_record *rec, marc_code code) {
  for (size_t i = 0; i < marc_record_diag_count(rec); i++)
    if (marc_record_diag(rec, i)->code == code) return marc_record_diag(rec, i);
  return NULL;
}

/* One damaged copy of the clean file: the bad bytes are at `bad_at`. */
static void test_file(const char *name, const ft_result *clean, uint64_t bad_at,
                      const char *preview) {
  size_t n = 0;
  uint8_t *p = load(name, &n);
  if (!p) return;
  ft_result whole;
  ft_read(MARC_FORMAT_MARCXML, p, n, 0, 0, 1, &whole);
  CHECK(!whole.failed);
  CHECK_EQ_INT(whole.errors, 0);
  CHECK_EQ_INT(whole.n, 5);
  if (whole.n == 5 && clean->n == 5) {
    /* Records 1, 2, 4 and 5 as in the clean file; record 3 cut. */
    for (size_t i = 0; i < 5; i++)
      if (i != 2) CHECK(ft_same(whole.recs[i], clean->recs[i]));
    CHECK_EQ_INT(marc_record_diag_count(whole.recs[0]),
                 marc_record_diag_count(clean->recs[0]));
    const marc_diag *cut = find_diag(whole.recs[2], MARC_D_SYNTAX);
    CHECK(cut != NULL);
    if (cut) {
      CHECK_EQ_INT(cut->offset, bad_at);
      CHECK(strstr(cut->msg, "resumes at the next <record>") != NULL);
    }
    CHECK(marc_record_field_count(whole.recs[2]) > 0);
    const marc_diag *skip = find_diag(whole.recs[3], MARC_D_JUNK);
    CHECK(skip != NULL);
    if (skip) {
      uint64_t len = marc_record_offset(whole.recs[3]) - bad_at;
      char want[160];
      snprintf(want, sizeof want,
               "at byte %llu (in the record at byte %llu): %llu byte(s) "
               "skipped to this record: \"%s",
               (unsigned long long)bad_at,
               (unsigned long long)marc_record_offset(whole.recs[2]),
               (unsigned long long)len, preview);
      if (!strstr(skip->msg, want))
        fprintf(stderr, "%s: got \"%s\"\nwant \"%s\"\n", name, skip->msg, want);
      CHECK(strstr(skip->msg, want) != NULL);
      CHECK_EQ_INT(skip->offset, bad_at);
      CHECK_EQ_INT(skip->record, 3);
    }
    CHECK_EQ_INT(marc_record_offset(whole.recs[4]),
                 marc_record_offset(clean->recs[4]) + (n - 15160));
  }
  for (size_t c = 1; c < NCHUNKS; c++) {
    ft_result part;
    ft_read(MARC_FORMAT_MARCXML, p, n, chunks[c], 0, 0, &part);
    CHECK_EQ_INT(part.n, whole.n);
    CHECK(part.dump.len == whole.dump.len &&
          !memcmp(part.dump.data, whole.dump.data, part.dump.len));
    ft_result_free(&part);
  }
  /* Strict mode stops at the record the error cut. */
  ft_result strict;
  ft_read(MARC_FORMAT_MARCXML, p, n, 0, 1, 0, &strict);
  CHECK(strict.errors >= 1);
  ft_result_free(&strict);
  ft_result_free(&whole);
  free(p);
}

static void read_str(const char *s, size_t chunk, ft_result *res) {
  ft_read(MARC_FORMAT_MARCXML, (const uint8_t *)s, strlen(s), chunk, 0, 1, res);
}

#define REC(t)                                                                 \
  "<marc:record><marc:leader>01234nam a2200289 a 4500</marc:leader>"           \
  "<marc:controlfield tag=\"001\">" t "</marc:controlfield></marc:record>"
#define OPEN "<marc:collection xmlns:marc=\"http://www.loc.gov/MARC21/slim\">"

/* Errors between records, in a start tag, in the last record, and with
 * no record after: what is lost and what is said. */
static void test_inline(void) {
  for (size_t c = 0; c < NCHUNKS; c++) {
    ft_result res;
    /* Between records: no record cut, the next one says it (expat places
     * the error at the byte after the '&'). */
    read_str(OPEN REC("a") " & " REC("b") "</marc:collection>", chunks[c],
             &res);
    CHECK_EQ_INT(res.n, 2);
    CHECK_EQ_INT(res.errors, 0);
    if (res.n == 2) {
      const marc_diag *d = find_diag(res.recs[1], MARC_D_JUNK);
      CHECK(d && strstr(d->msg, "(between records): 1 byte(s) skipped"));
    }
    ft_result_free(&res);
    /* In the last record: the records before it are whole, nothing is
     * said past the cut record. */
    read_str(OPEN REC("a") REC("b\001") "</marc:collection>", chunks[c], &res);
    CHECK_EQ_INT(res.n, 2);
    CHECK_EQ_INT(res.errors, 0);
    if (res.n == 2) CHECK(find_diag(res.recs[1], MARC_D_SYNTAX) != NULL);
    ft_result_free(&res);
    /* Before the first record, with none after: one error. */
    read_str("<collection>&</collection>", chunks[c], &res);
    CHECK_EQ_INT(res.n, 0);
    CHECK_EQ_INT(res.errors, 1);
    CHECK(strstr((const char *)res.dump.data, "byte(s) skipped, no <record>"));
    ft_result_free(&res);
    /* Input that ends inside the start tag reading resumed at: the error
     * is at its '<', and the scan goes on past it (it once found the
     * same tag again and again). */
    read_str(OPEN REC("a") "&" REC("b") "<marc:record a=\"", chunks[c], &res);
    CHECK_EQ_INT(res.n, 2);
    CHECK_EQ_INT(res.errors, 1);
    ft_result_free(&res);
    /* A broken record start tag; a "<recordx" is not a record. */
    read_str(OPEN "<marc:record a=>" REC("a") "<recordx/>" REC(
                 "b") "</marc:collection>",
             chunks[c], &res);
    CHECK_EQ_INT(res.n, 2);
    CHECK_EQ_INT(res.errors, 0);
    ft_result_free(&res);
  }
}

int main(int argc, char **argv) {
  if (argc < 2) return CHECK_SKIP;
  dir = argv[1];
  if (!marc_format_readable(MARC_FORMAT_MARCXML)) return CHECK_SKIP;
  size_t n = 0;
  uint8_t *p = load("clean_five.xml", &n);
  if (!p) return check_done("fmt_recover");
  CHECK_EQ_INT(n, 15160);
  ft_result clean;
  ft_read(MARC_FORMAT_MARCXML, p, n, 0, 0, 1, &clean);
  CHECK_EQ_INT(clean.n, 5);
  test_file("stray_ampersand_in_record3.xml", &clean, 6767, " Jerry: ");
  test_file("nul_byte_in_record3.xml", &clean, 6762, "\\x00Histoire");
  test_file("invalid_utf8_in_record3.xml", &clean, 6762, "\\xFFHistoire");
  test_inline();
  ft_result_free(&clean);
  free(p);
  return check_done("fmt_recover");
}
