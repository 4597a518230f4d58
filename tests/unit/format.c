/* The any-format surface: format names, the one sniffing rule, the
 * marc_input reader handle (given and sniffed formats, any chunking, its
 * error), the marc_write dispatch and its stream framing, and the query
 * compiler's structured error. */
#include "check.h"
#include "formats/fmt_test.h"
#include "unit/mkrec.h"

#include <stdlib.h>

static void test_names(void) {
  static const char *canon[] = {"auto",  "iso2709", "marcxml", "json",
                                "jsonl", "mrk",     "text"};
  for (int f = MARC_FORMAT_AUTO; f <= MARC_FORMAT_TEXT; f++) {
    CHECK_EQ_STR(marc_format_name((marc_format)f), canon[f]);
    CHECK_EQ_INT(marc_format_from_name(canon[f]), f);
  }
  CHECK_EQ_INT(marc_format_from_name("marc"), MARC_FORMAT_ISO2709);
  CHECK_EQ_INT(marc_format_from_name("mrc"), MARC_FORMAT_ISO2709);
  CHECK_EQ_INT(marc_format_from_name("xml"), MARC_FORMAT_MARCXML);
  CHECK_EQ_INT(marc_format_from_name("marcmaker"), MARC_FORMAT_MRK);
  CHECK_EQ_INT(marc_format_from_name("yaml"), MARC_FORMAT_NONE);
  CHECK_EQ_INT(marc_format_from_name("ISO2709"), MARC_FORMAT_NONE);
  CHECK_EQ_INT(marc_format_from_name(NULL), MARC_FORMAT_NONE);
  CHECK_EQ_STR(marc_format_name(MARC_FORMAT_NONE), "?");
  CHECK(marc_format_readable(MARC_FORMAT_ISO2709));
  CHECK(marc_format_readable(MARC_FORMAT_MRK));
  CHECK(!marc_format_readable(MARC_FORMAT_TEXT));
  CHECK(!marc_format_readable(MARC_FORMAT_AUTO));
  CHECK_EQ_INT(marc_format_readable(MARC_FORMAT_JSON),
               marc_format_readable(MARC_FORMAT_JSONL));
}

static marc_format sniff(const char *s) {
  return marc_sniff((const uint8_t *)s, strlen(s));
}

static void test_sniff(void) {
  CHECK_EQ_INT(marc_sniff(NULL, 0), MARC_FORMAT_ISO2709);
  CHECK_EQ_INT(sniff(""), MARC_FORMAT_ISO2709);
  CHECK_EQ_INT(sniff(" \r\n\t"), MARC_FORMAT_ISO2709);
  CHECK_EQ_INT(sniff("00714cam a2200205 a 4500"), MARC_FORMAT_ISO2709);
  CHECK_EQ_INT(sniff("<collection>"), MARC_FORMAT_MARCXML);
  CHECK_EQ_INT(sniff("\xEF\xBB\xBF\n  <?xml"), MARC_FORMAT_MARCXML);
  CHECK_EQ_INT(sniff("[{\"leader\":"), MARC_FORMAT_JSON);
  CHECK_EQ_INT(sniff("\xEF\xBB\xBF["), MARC_FORMAT_JSON);
  CHECK_EQ_INT(sniff("=LDR  00000nam"), MARC_FORMAT_MRK);
  CHECK_EQ_INT(sniff("\r\n=LDR"), MARC_FORMAT_MRK);
  /* A MARCMaker file without =LDR lines is still MARCMaker. */
  CHECK_EQ_INT(sniff("=001  x"), MARC_FORMAT_MRK);
  CHECK_EQ_INT(sniff("=001x x"), MARC_FORMAT_ISO2709);
  CHECK_EQ_INT(sniff("=LD"), MARC_FORMAT_ISO2709); /* too short to say */
  /* JSON Lines: a whole object on the first line, '{' on the next one
   * that is not blank. */
  CHECK_EQ_INT(sniff("{\"a\":1}\n{\"a\":2}\n"), MARC_FORMAT_JSONL);
  CHECK_EQ_INT(sniff("  {\"a\":[1,{}]} \r\n\n \t{"), MARC_FORMAT_JSONL);
  CHECK_EQ_INT(sniff("{\"a\":\"}\\\"{\"}\n{"), MARC_FORMAT_JSONL);
  /* Otherwise JSON: one object, objects over several lines or on one line,
   * a cut object, a next line that is not an object. */
  CHECK_EQ_INT(sniff("{\"a\":1}"), MARC_FORMAT_JSON);
  CHECK_EQ_INT(sniff("{\"a\":1}\n"), MARC_FORMAT_JSON);
  CHECK_EQ_INT(sniff("{\n\"a\":1\n}\n{"), MARC_FORMAT_JSON);
  CHECK_EQ_INT(sniff("{\"a\":1}{\"a\":2}\n{"), MARC_FORMAT_JSON);
  CHECK_EQ_INT(sniff("{\"a\":1}\n[1]"), MARC_FORMAT_JSON);
  CHECK_EQ_INT(sniff("{\"a\":\"cut"), MARC_FORMAT_JSON);
}

/* One record with a control field and two data fields. */
static marc_record *sample(void) {
  marc_record *rec = marc_record_new();
  marc_record_append_field(rec, "001", ' ', ' ', "id-1", 4);
  static const char f245[] = "\037aA title /\037cby someone.";
  marc_record_append_field(rec, "245", '1', '0', f245, sizeof f245 - 1);
  static const char f650[] = "\037aJazz.";
  marc_record_append_field(rec, "650", ' ', '0', f650, sizeof f650 - 1);
  return rec;
}

static void test_write(void) {
  marc_record *rec = sample();
  marc_buf a = {0}, b = {0};
  /* Each format is its writer. */
  marc_write(rec, MARC_FORMAT_ISO2709, 0, &a);
  marc_write_iso2709(rec, &b, NULL);
  marc_write(rec, MARC_FORMAT_MARCXML, MARC_WRITE_IN_COLLECTION, &a);
  marc_write_marcxml(rec, &b, MARC_XML_IN_COLLECTION);
  marc_write(rec, MARC_FORMAT_MARCXML, 0, &a);
  marc_write_marcxml(rec, &b, 0);
  marc_write(rec, MARC_FORMAT_JSONL, 0, &a);
  marc_write_jsonl(rec, &b);
  marc_write(rec, MARC_FORMAT_MRK, 0, &a);
  marc_write_mrk(rec, &b);
  marc_write(rec, MARC_FORMAT_TEXT, 0, &a);
  marc_write_text(rec, &b);
  /* JSON: the separator only for a later record of a collection. */
  marc_write(rec, MARC_FORMAT_JSON, MARC_WRITE_NOT_FIRST, &a);
  marc_write_json(rec, &b);
  marc_write(rec, MARC_FORMAT_JSON, MARC_WRITE_IN_COLLECTION, &a);
  marc_write_json(rec, &b);
  marc_write(rec, MARC_FORMAT_JSON,
             MARC_WRITE_IN_COLLECTION | MARC_WRITE_NOT_FIRST, &a);
  marc_write_json_sep(&b);
  marc_write_json(rec, &b);
  /* Stream framing. */
  CHECK_EQ_INT(
      marc_write_begin(MARC_FORMAT_MARCXML, MARC_WRITE_XML_DECLARATION, &a),
      MARC_OK);
  marc_write_marcxml_begin(&b, MARC_XML_DECLARATION);
  marc_write_begin(MARC_FORMAT_MARCXML, 0, &a);
  marc_write_marcxml_begin(&b, 0);
  marc_write_end(MARC_FORMAT_MARCXML, 0, &a);
  marc_write_marcxml_end(&b);
  marc_write_begin(MARC_FORMAT_JSON, 0, &a);
  marc_write_json_begin(&b);
  marc_write_end(MARC_FORMAT_JSON, 0, &a);
  marc_write_json_end(&b);
  CHECK(a.len == b.len && !memcmp(a.data, b.data, a.len));
  /* The other formats have no framing; AUTO and NONE are no format. */
  size_t len = a.len;
  for (int f = MARC_FORMAT_ISO2709; f <= MARC_FORMAT_TEXT; f++) {
    if (f == MARC_FORMAT_MARCXML || f == MARC_FORMAT_JSON) continue;
    CHECK_EQ_INT(marc_write_begin((marc_format)f, 0, &a), MARC_OK);
    CHECK_EQ_INT(marc_write_end((marc_format)f, 0, &a), MARC_OK);
  }
  CHECK_EQ_INT(a.len, len);
  CHECK_EQ_INT(marc_write(rec, MARC_FORMAT_AUTO, 0, &a), MARC_E_ARG);
  CHECK_EQ_INT(marc_write(rec, MARC_FORMAT_NONE, 0, &a), MARC_E_ARG);
  CHECK_EQ_INT(marc_write(NULL, MARC_FORMAT_MRK, 0, &a), MARC_E_ARG);
  CHECK_EQ_INT(marc_write_begin(MARC_FORMAT_AUTO, 0, &a), MARC_E_ARG);
  CHECK_EQ_INT(a.len, len);
  /* A record ISO 2709 cannot hold: nothing appended. */
  static char big[10000];
  memset(big, 'x', sizeof big);
  marc_record_append_field(rec, "500", ' ', ' ', big, sizeof big);
  CHECK_EQ_INT(marc_write(rec, MARC_FORMAT_ISO2709, 0, &a), MARC_E_TOO_LONG);
  CHECK_EQ_INT(a.len, len);
  marc_buf_free(&a);
  marc_buf_free(&b);
  marc_record_free(rec);
}

/* Every readable format, written as a stream of three records, reads back
 * the same records through marc_input whether the format is given or
 * sniffed, at any chunking; the format sniffed is the one written. */
static void test_input(void) {
  marc_record *rec = sample();
  marc_record *recs[3] = {rec, rec, rec};
  for (int f = MARC_FORMAT_ISO2709; f <= MARC_FORMAT_MRK; f++) {
    marc_format fmt = (marc_format)f;
    if (!marc_format_readable(fmt)) {
      CHECK(marc_input_new(fmt, NULL) == NULL);
      continue;
    }
    marc_buf text = {0};
    marc_write_begin(fmt, MARC_WRITE_XML_DECLARATION, &text);
    for (size_t i = 0; i < 3; i++)
      marc_write(recs[i], fmt,
                 MARC_WRITE_IN_COLLECTION | (i ? MARC_WRITE_NOT_FIRST : 0),
                 &text);
    marc_write_end(fmt, 0, &text);
    ft_result want, got;
    ft_read(fmt, text.data, text.len, 0, 0, 0, &want);
    CHECK(!want.failed && want.n == 3 && want.format == fmt);
    static const size_t chunks[] = {1, 2, 3, 7, 64, 0};
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
      ft_read(MARC_FORMAT_AUTO, text.data, text.len, chunks[c], 0, 0, &got);
      CHECK(!got.failed && got.n == 3);
      CHECK_EQ_INT(got.format, fmt);
      CHECK(got.dump.len == want.dump.len &&
            !memcmp(got.dump.data, want.dump.data, got.dump.len));
      ft_result_free(&got);
    }
    ft_result_free(&want);
    marc_buf_free(&text);
  }
  marc_record_free(rec);
  CHECK(marc_input_new(MARC_FORMAT_TEXT, NULL) == NULL);
  CHECK(marc_input_new(MARC_FORMAT_NONE, NULL) == NULL);
  /* Nothing at all: sniffed as ISO 2709 at finish, no record. */
  ft_result none;
  ft_read(MARC_FORMAT_AUTO, (const uint8_t *)"", 0, 1, 0, 0, &none);
  CHECK(!none.failed && none.n == 0 && none.format == MARC_FORMAT_ISO2709);
  ft_result_free(&none);
  /* The error: strict mode, a record with a problem. */
  marc_reader_options strict = {.strict = 1};
  marc_input *in = marc_input_new(MARC_FORMAT_AUTO, &strict);
  static const char bad[] = "\n=LDR  short\n";
  marc_record *r;
  CHECK_EQ_INT(marc_input_next(in, &r), MARC_NEED_MORE);
  CHECK_EQ_INT(marc_input_format(in), MARC_FORMAT_AUTO);
  marc_input_feed(in, bad, sizeof bad - 1);
  CHECK_EQ_INT(marc_input_format(in), MARC_FORMAT_MRK);
  marc_input_finish(in);
  CHECK_EQ_INT(marc_input_next(in, &r), MARC_E_INVALID);
  const marc_error *e = marc_input_error(in);
  CHECK(e->code > 0 && marc_code_name((marc_code)e->code)[0] != '?');
  CHECK_EQ_INT(e->position, 1); /* where "=LDR" starts */
  CHECK_EQ_INT(e->record, 0);
  CHECK(e->message[0] != 0);
  CHECK_EQ_INT(marc_input_next(in, &r), MARC_END);
  marc_input_free(in);
  marc_input_free(NULL);
}

static void test_query_error(void) {
  static const struct {
    const char *text;
    size_t position;
    const char *message;
  } bad[] = {
      /* Operands are MARCspecs: their compiler's messages. */
      {"", 0, "expected a field tag (three digits, letters or '.', or LDR)"},
      {"245$a=\"open", 11, "unterminated quoted value"},
      {"(245 or 100", 11, "expected ')'"},
      {"245 and", 7,
       "expected a field tag (three digits, letters or '.', or "
       "LDR)"},
      {"24", 2,
       "expected a field tag of three characters (digits, letters or "
       "'.')"},
      {"245 650", 4, "unexpected text"},
      {"008/5-2=x", 4, "range starts after its end"},
      {"245$a{$2=lcsh}", 9, "comparison string must start with '\\'"},
      {"245$a!x", 6, "expected '=' or '~' after '!'"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    marc_error err;
    memset(&err, 0x55, sizeof err);
    marc_query *q = marc_query_compile(bad[i].text, &err);
    CHECK(q == NULL);
    CHECK_EQ_INT(err.code, MARC_E_INVALID);
    if (err.position != bad[i].position || strcmp(err.message, bad[i].message))
      fprintf(stderr, "query '%s': position %zu: %s\n", bad[i].text,
              err.position, err.message);
    CHECK_EQ_INT(err.position, bad[i].position);
    CHECK_EQ_STR(err.message, bad[i].message);
    marc_query_free(q);
  }
  marc_error err;
  marc_query *q = marc_query_compile("245$a~*jazz and LDR/06=a", &err);
  CHECK(q != NULL);
  CHECK_EQ_INT(err.code, 0);
  marc_query_free(q);
  CHECK(marc_query_compile("(", NULL) == NULL); /* err may be NULL */
  /* A failure inside parentheses stops there (it read past the text's
   * end before: ASan saw it). */
  q = marc_query_compile("(", &err);
  CHECK(q == NULL && err.position == 1);
}

int main(void) {
  test_names();
  test_sniff();
  test_write();
  test_input();
  test_query_error();
  return check_done("unit_format");
}
