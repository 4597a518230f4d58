/* The text readers on bad input: what they keep, what they report and
 * where, lenient and strict. Fixture files come from tests/data/formats
 * (mrrc and ruby-marc, MIT); small cases are inline.
 *   fmt_malformed TESTS_DATA_FORMATS_DIR */
#include "check.h"
#include "formats/fmt_test.h"

static const char *dir;

static void read_str(marc_format fmt, const char *s, int strict,
                     ft_result *res) {
  ft_read(fmt, (const uint8_t *)s, strlen(s), 0, strict, 1, res);
}

/* CHECK that `rec` has a diagnostic of each code named in `names`
 * (marc_code_name, separated by spaces). */
static void expect_diags(const marc_record *rec, const char *names) {
  char buf[256];
  snprintf(buf, sizeof buf, "%s", names);
  for (char *name = strtok(buf, " "); name; name = strtok(NULL, " ")) {
    int found = 0;
    for (size_t i = 0; i < marc_record_diag_count(rec); i++)
      found |= !strcmp(marc_code_name(marc_record_diag(rec, i)->code), name);
    if (!found) fprintf(stderr, "no %s diagnostic\n", name);
    CHECK(found);
  }
}

/* Read `s` leniently, expecting one record: it, or NULL (a failed check)
 * when another number was read. */
static const marc_record *read_one(marc_format fmt, const char *s,
                                   ft_result *res) {
  read_str(fmt, s, 0, res);
  CHECK_EQ_INT(res->n, 1);
  return res->n == 1 ? res->recs[0] : NULL;
}

static int has_diag(const marc_record *rec, marc_code code) {
  for (size_t i = 0; i < marc_record_diag_count(rec); i++)
    if (marc_record_diag(rec, i)->code == code) return 1;
  return 0;
}

static void read_file(marc_format fmt, const char *name, ft_result *res) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  size_t n = 0;
  uint8_t *p = ft_load(path, &n);
  CHECK(p != NULL);
  ft_read(fmt, p ? p : (const uint8_t *)"", n, 0, 0, 1, res);
  free(p);
}

#define LDR "01234nam a2200289 a 4500"
#define REC "{\"leader\":\"" LDR "\",\"fields\":[{\"001\":\"x\"}]}"

/* Each mrrc e401 fixture: malformed XML ends the input; the record it cut
 * is returned with its leader and a TRUNCATED (syntax) diagnostic. */
static void test_xml_fixtures(void) {
  static const char *cut[] = {"e401_bad_char_reference.xml",
                              "e401_malformed_marcxml.xml",
                              "e401_unexpected_eof_in_subfield.xml"};
  for (size_t i = 0; i < 3; i++) {
    ft_result res;
    read_file(MARC_FORMAT_MARCXML, cut[i], &res);
    CHECK(!res.failed);
    CHECK_EQ_INT(res.n, 1);
    CHECK_EQ_INT(res.errors, 0);
    if (res.n) {
      CHECK(memcmp(marc_record_leader(res.recs[0]), "00150nam a2200061   4500",
                   24) == 0);
      CHECK(has_diag(res.recs[0], MARC_D_SYNTAX));
      CHECK_EQ_INT(marc_record_offset(res.recs[0]), 39);
    }
    ft_result_free(&res);
  }
  /* The subfield cut by a wrong end tag is kept. */
  ft_result res;
  read_file(MARC_FORMAT_MARCXML, "e401_malformed_marcxml.xml", &res);
  marc_subfield sf;
  CHECK(res.n == 1 && marc_record_subfield(res.recs[0], 0, 'a', &sf) &&
        sf.len == 16 && memcmp(sf.value, "The Great Gatsby", 16) == 0);
  CHECK(res.n == 1 && marc_record_diag(res.recs[0], 0)->offset == 214);
  ft_result_free(&res);
  /* Well-formed, but no record: reported once as an error. */
  read_file(MARC_FORMAT_MARCXML, "e401_no_record_element.xml", &res);
  CHECK_EQ_INT(res.n, 0);
  CHECK_EQ_INT(res.errors, 1);
  CHECK(strstr((const char *)res.dump.data, "error JUNK") != NULL);
  ft_result_free(&res);
  /* ruby-marc: the first record is whole, the second cut by bad bytes,
   * the third read whole after them (the reader resumes at <record>). */
  read_file(MARC_FORMAT_MARCXML, "three-records-second-bad.xml", &res);
  CHECK_EQ_INT(res.n, 3);
  if (res.n == 3) {
    CHECK_EQ_INT(marc_record_diag_count(res.recs[0]), 0);
    CHECK_EQ_INT(marc_record_field_count(res.recs[0]), 16);
    CHECK(has_diag(res.recs[1], MARC_D_SYNTAX));
    CHECK_EQ_INT(marc_record_index(res.recs[1]), 1);
    CHECK(marc_record_field_count(res.recs[2]) > 0);
    CHECK_EQ_INT(marc_record_diag_count(res.recs[2]), 1);
    CHECK(has_diag(res.recs[2], MARC_D_JUNK));
  }
  ft_result_free(&res);
}

/* Item 17: empty input has a position (0, not 2^64-1), and an external
 * entity that is not read is said, not dropped silently. */
static void test_xml_edges(void) {
  ft_result res;
  read_str(MARC_FORMAT_MARCXML, "", 0, &res);
  CHECK_EQ_INT(res.n, 0);
  CHECK_EQ_INT(res.errors, 1);
  CHECK(strstr((const char *)res.dump.data, "error SYNTAX at 0 ") != NULL);
  ft_result_free(&res);
  read_str(MARC_FORMAT_MARCXML,
           "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "
           "\"file:///etc/passwd\">]>\n<record><leader>" LDR "</leader>"
           "<datafield tag=\"245\" ind1=\"1\" ind2=\"0\"><subfield "
           "code=\"a\">X&xxe;Y</subfield></datafield></record>\n",
           0, &res);
  CHECK_EQ_INT(res.n, 1);
  if (res.n == 1) CHECK(has_diag(res.recs[0], MARC_D_NOT_MARC));
  ft_result_free(&res);
}

static void test_xml_shapes(void) {
  ft_result res;
  /* Prefixed names, a lone record without namespace, unknown elements. */
  read_str(MARC_FORMAT_MARCXML,
           "<m:collection xmlns:m=\"http://www.loc.gov/MARC21/slim\">"
           "<m:record><m:leader>" LDR "</m:leader>"
           "<m:controlfield tag=\"001\">a&amp;b</m:controlfield>"
           "<m:datafield tag=\"245\" ind1=\"1\" ind2=\"0\">"
           "<m:subfield code=\"a\">T</m:subfield><m:note>x</m:note>"
           "</m:datafield></m:record></m:collection>",
           0, &res);
  CHECK_EQ_INT(res.n, 1);
  if (res.n) {
    const marc_record *r = res.recs[0];
    CHECK_EQ_INT(marc_record_field_count(r), 2);
    CHECK(marc_record_field(r, 0)->len == 3 &&
          memcmp(marc_field_data(r, marc_record_field(r, 0)), "a&b", 3) == 0);
    CHECK(marc_record_field(r, 1)->ind1 == '1');
    CHECK(has_diag(r, MARC_D_NOT_MARC)); /* <m:note> */
  }
  ft_result_free(&res);
  const marc_record *r =
      read_one(MARC_FORMAT_MARCXML,
               "<record><leader>short</leader>"
               "<datafield tag=\"24\" ind1=\"1\" ind2=\"0\"/>"
               "<datafield tag=\"500\" ind1=\"12\"/></record>",
               &res);
  if (r) {
    /* BAD_VALUE: the indicators */
    expect_diags(r, "LEADER_SHORT TAG_INVALID BAD_VALUE");
    CHECK_EQ_INT(marc_record_field_count(r), 1);
  }
  ft_result_free(&res);
  /* Strict: the first problem becomes MARC_E_INVALID. */
  read_str(MARC_FORMAT_MARCXML, "<record><leader>short</leader></record>", 1,
           &res);
  CHECK_EQ_INT(res.n, 0);
  CHECK_EQ_INT(res.errors, 1);
  ft_result_free(&res);
  /* Feeding before the reader has read what it holds is refused. */
  marc_input *xr = marc_input_new(MARC_FORMAT_MARCXML, NULL);
  CHECK_EQ_INT(marc_input_feed(xr, "<record>", 8), MARC_OK);
  CHECK_EQ_INT(marc_input_feed(xr, "</record>", 9), MARC_E_STATE);
  marc_input_free(xr);
}

static void test_json(void) {
  ft_result res;
  /* mrrc e402: input ends inside the object: one problem, no record
   * (not a record with a default leader). */
  read_file(MARC_FORMAT_JSON, "e402_malformed_marcjson.json", &res);
  CHECK_EQ_INT(res.n, 0);
  CHECK_EQ_INT(res.errors, 1);
  CHECK(strstr((const char *)res.dump.data, "error SYNTAX") != NULL);
  ft_result_free(&res);
  /* Junk between records, a non-object array element. */
  read_str(MARC_FORMAT_JSON, "[" REC ", 42, \"s{\", " REC "] xyz " REC, 0,
           &res);
  CHECK_EQ_INT(res.n, 3);
  CHECK_EQ_INT(res.errors, 0);
  if (res.n == 3) {
    CHECK_EQ_INT(marc_record_diag_count(res.recs[0]), 0);
    CHECK(has_diag(res.recs[1], MARC_D_JUNK));
    CHECK(has_diag(res.recs[2], MARC_D_JUNK));
    CHECK_EQ_INT(marc_record_offset(res.recs[1]), 1 + strlen(REC) + 12);
    CHECK_EQ_INT(marc_record_index(res.recs[2]), 2);
  }
  ft_result_free(&res);
  /* A syntax error inside a balanced object costs that record only: one
   * problem, and the next record intact, lenient and strict alike. */
  const char *bad = "{\"leader\": \"x\" \"fields\": []}\n" REC "\n";
  for (int strict = 0; strict < 2; strict++) {
    read_str(MARC_FORMAT_JSON, bad, strict, &res);
    CHECK_EQ_INT(res.n, 1);
    CHECK_EQ_INT(res.errors, 1);
    CHECK(strstr((const char *)res.dump.data, "error SYNTAX") != NULL);
    if (res.n == 1) CHECK_EQ_INT(marc_record_diag_count(res.recs[0]), 0);
    ft_result_free(&res);
  }
  /* Fields that do not fit the model. */
  const marc_record *r =
      read_one(MARC_FORMAT_JSON,
               "{\"leader\":\"" LDR "\",\"x\":1,\"fields\":[{\"24\":\"a\"},"
               "{\"245\":{\"ind1\":\"10\",\"subfields\":[{\"ab\":\"v\"},{}]}},"
               "[1]]}",
               &res);
  if (r) {
    expect_diags(r, "TAG_INVALID BAD_VALUE NOT_MARC");
    CHECK_EQ_INT(marc_record_field_count(r), 1);
    marc_subfield sf;
    CHECK(marc_record_subfield(r, 0, 'a', &sf) && sf.len == 1);
    CHECK(marc_record_field(r, 0)->ind1 == '1' &&
          marc_record_field(r, 0)->ind2 == ' ');
  }
  ft_result_free(&res);
  /* Content but no record after the last one. */
  read_str(MARC_FORMAT_JSON, REC "\n]]", 0, &res);
  CHECK_EQ_INT(res.n, 1);
  CHECK_EQ_INT(res.errors, 1);
  ft_result_free(&res);
}

/* JSON Lines is framed by line: a broken line is one problem and one
 * lost record, never the lines after it (issue "Nothing silently wrong",
 * item 2). Before, brackets were counted across lines: a truncated line
 * swallowed the rest, a stray quote three records. */
static void test_json_lines(void) {
  static const char *broken[] = {
      "{\"leader\":\"" LDR "\",\"fields\":[{\"001\":\"x\"}",     /* cut */
      "{\"leader\":\"" LDR "\",\"fields\":[{\"001\":\"\"x\"}]}", /* quote */
      "{\"leader\": \"x\" \"fields\": [}",                       /* junk */
      "{\"leader\":\"" LDR "\",\"fields\":[{\"001\":\"x",        /* in str */
  };
  for (size_t i = 0; i < sizeof broken / sizeof *broken; i++) {
    char in[1024];
    snprintf(in, sizeof in, "%s\n%s\n%s\n%s\n%s\n", REC, REC, broken[i], REC,
             REC);
    for (size_t chunk = 0; chunk < 3; chunk++) {
      ft_result res;
      ft_read(MARC_FORMAT_JSONL, (const uint8_t *)in, strlen(in), chunk, 0, 1,
              &res);
      CHECK_EQ_INT(res.n, 4);
      CHECK_EQ_INT(res.errors, 1);
      for (size_t k = 0; k < res.n; k++)
        CHECK_EQ_INT(marc_record_diag_count(res.recs[k]), 0);
      if (res.n == 4) CHECK_EQ_INT(marc_record_index(res.recs[2]), 2);
      ft_result_free(&res);
    }
  }
  /* A pretty-printed record (no JSON Lines) still spans lines. */
  ft_result res;
  read_str(MARC_FORMAT_JSON,
           "{\n \"leader\": \"" LDR
           "\",\n \"fields\": [\n  {\"001\": \"x\"}\n ]\n}\n",
           0, &res);
  CHECK_EQ_INT(res.n, 1);
  CHECK_EQ_INT(res.errors, 0);
  ft_result_free(&res);
  /* An object that is not a record is not made one (item 12). */
  read_str(MARC_FORMAT_JSON, "{\"a\": 1}\n", 0, &res);
  CHECK_EQ_INT(res.n, 0);
  CHECK_EQ_INT(res.errors, 1);
  CHECK(strstr((const char *)res.dump.data, "not MARC") != NULL);
  ft_result_free(&res);
}

static void test_mrk(void) {
  ft_result lf, crlf;
  read_str(MARC_FORMAT_MRK,
           "\xEF\xBB\xBF=LDR  "
           "00000nam\\a2200000\\\\\\4500\n"
           "=001  a\\b{bsol}\n=245  10$aA {dollar}5 {lcub}x{rcub} {eacute}\n"
           "=LDR  00000nam\\a2200000\\\\\\4500\n=500  \\\\$an\n",
           0, &lf);
  read_str(MARC_FORMAT_MRK,
           "\xEF\xBB\xBF=LDR  "
           "00000nam\\a2200000\\\\\\4500\r\n"
           "=001  a\\b{bsol}\r\n=245  10$aA {dollar}5 {lcub}x{rcub} "
           "{eacute}\r\n=LDR  00000nam\\a2200000\\\\\\4500\r\n"
           "=500  \\\\$an\r\n",
           0, &crlf);
  CHECK_EQ_INT(lf.n, 2);
  CHECK_EQ_INT(crlf.n, 2);
  if (lf.n == 2 && crlf.n == 2) {
    const marc_record *r = lf.recs[0];
    CHECK(ft_same(r, crlf.recs[0]) && ft_same(lf.recs[1], crlf.recs[1]));
    CHECK(memcmp(marc_record_leader(r), "00000nam a2200000   4500", 24) == 0);
    CHECK_EQ_INT(marc_record_offset(r), 3);
    const marc_field *f = marc_record_field(r, 0);
    CHECK(f->len == 4 && memcmp(marc_field_data(r, f), "a b\\", 4) == 0);
    f = marc_record_field(r, 1);
    const char want[] = "\x1F"
                        "aA $5 {x} {eacute}";
    CHECK(f->len == sizeof want - 1 &&
          memcmp(marc_field_data(r, f), want, f->len) == 0);
    CHECK_EQ_INT(marc_record_diag_count(r), 0);
    CHECK(marc_record_field(lf.recs[1], 0)->ind1 == ' ');
  }
  ft_result_free(&lf);
  ft_result_free(&crlf);
  ft_result res;
  const marc_record *r = read_one(
      MARC_FORMAT_MRK, "junk\n\n=001  x\nnot a field\n=24\n=245  1\n", &res);
  if (r) {
    /* JUNK: "junk" before; LEADER_SHORT: no =LDR; TAG_INVALID: "=24";
     * BAD_VALUE: one indicator. "not a field" continues 001. */
    expect_diags(r, "JUNK LEADER_SHORT TAG_INVALID BAD_VALUE");
    CHECK_EQ_INT(marc_record_field_count(r), 2);
    CHECK_EQ_INT(marc_record_offset(r), 6);
    const marc_field *f = marc_record_field(r, 0);
    CHECK(f->len == 12 && !memcmp(marc_field_data(r, f), "xnot a field", 12));
  }
  ft_result_free(&res);
  /* Wrapped lines (CPAN MARC's makrtest.src) continue their field, the
   * leading blank included, with no diagnostic (item 13). */
  r = read_one(MARC_FORMAT_MRK,
               "=LDR  00000nam\\a2200000\\\\\\4500\r\n"
               "=245  10$aNew test$h[large print]\r\n /$cby Jane\r\n"
               "=500  \\\\$aOne\r\n{lcub}two\r\n\r\n",
               &res);
  if (r) {
    CHECK_EQ_INT(marc_record_diag_count(r), 0);
    CHECK_EQ_INT(marc_record_field_count(r), 2);
    const char want[] = "\x1F"
                        "aNew test\x1Fh[large print] /\x1F"
                        "cby Jane";
    const marc_field *f = marc_record_field(r, 0);
    CHECK(f->len == sizeof want - 1 &&
          !memcmp(marc_field_data(r, f), want, f->len));
    f = marc_record_field(r, 1);
    CHECK(f->len == 9 && !memcmp(marc_field_data(r, f),
                                 "\x1F"
                                 "aOne{two",
                                 9));
  }
  ft_result_free(&res);
  /* A MARCMaker file without =LDR lines is sniffed as MARCMaker. */
  read_str(MARC_FORMAT_AUTO, "=001  a\n=245  10$aT\n\n=001  b\n", 0, &res);
  CHECK_EQ_INT(res.format, MARC_FORMAT_MRK);
  CHECK_EQ_INT(res.n, 2);
  ft_result_free(&res);
  read_str(MARC_FORMAT_MRK, "=LDR  short\n", 1, &res); /* strict */
  CHECK_EQ_INT(res.n, 0);
  CHECK_EQ_INT(res.errors, 1);
  ft_result_free(&res);
}

int main(int argc, char **argv) {
  if (argc < 2) return CHECK_SKIP;
  dir = argv[1];
  /* A reader this build lacks is not tested (marc_input_new refuses it). */
  if (marc_format_readable(MARC_FORMAT_MARCXML)) {
    test_xml_fixtures();
    test_xml_shapes();
  }
  if (marc_format_readable(MARC_FORMAT_JSON)) {
    test_json();
    test_json_lines();
  }
  if (marc_format_readable(MARC_FORMAT_MARCXML)) test_xml_edges();
  test_mrk();
  return check_done("fmt_malformed");
}
