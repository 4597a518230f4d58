/* MARCXML and MARC-in-JSON writers on hand-built records: exact output,
 * escaping, replacement of what the formats cannot hold, stream helpers. */
#include "check.h"
#include "formats/fmt_test.h"

static const char *text(marc_buf *b) {
  marc_buf_append(b, "", 1);
  b->len--;
  return (const char *)b->data;
}

static marc_record *sample(void) {
  marc_record *rec = marc_record_new();
  marc_record_set_leader(rec, "00000nam a2200000 a 4500");
  marc_record_append_field(rec, "001", 0, 0, "ocm1", 4);
  static const char d[] = "\x1F"
                          "aA & B <c> \"q\" 'x'\x1F"
                          "cMe";
  marc_record_append_field(rec, "245", '1', '0', d, sizeof d - 1);
  return rec;
}

static void test_xml_exact(void) {
  marc_record *rec = sample();
  marc_buf b = {0};
  CHECK_EQ_INT(marc_write_marcxml(rec, &b, 0), MARC_OK);
  CHECK_EQ_STR(text(&b),
               "<record xmlns=\"http://www.loc.gov/MARC21/slim\">\n"
               "  <leader>00000nam a2200000 a 4500</leader>\n"
               "  <controlfield tag=\"001\">ocm1</controlfield>\n"
               "  <datafield tag=\"245\" ind1=\"1\" ind2=\"0\">\n"
               "    <subfield code=\"a\">A &amp; B &lt;c&gt; &quot;q&quot; "
               "&apos;x&apos;</subfield>\n"
               "    <subfield code=\"c\">Me</subfield>\n"
               "  </datafield>\n"
               "</record>\n");
  b.len = 0;
  CHECK_EQ_INT(marc_write_marcxml_begin(&b, MARC_XML_DECLARATION), MARC_OK);
  CHECK_EQ_INT(marc_write_marcxml(rec, &b, MARC_XML_IN_COLLECTION), MARC_OK);
  CHECK_EQ_INT(marc_write_marcxml_end(&b), MARC_OK);
  CHECK(strncmp(text(&b),
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<collection xmlns=\"http://www.loc.gov/MARC21/slim\">\n"
                "<record>\n  <leader>",
                98) == 0);
  CHECK(b.len > 14 && memcmp(b.data + b.len - 14, "</collection>\n", 14) == 0);
  marc_buf_free(&b);
  marc_record_free(rec);
}

/* Forbidden controls and invalid UTF-8 become U+FFFD; tab, LF, CR become
 * character references; valid UTF-8 is kept; U+FFFF is replaced. */
static void test_xml_replace(void) {
  marc_record *rec = marc_record_new();
  const char v[] = "a\x01"
                   "b\tc\nd\re\xC3\xA9"
                   "f\xE9g\xEF\xBF\xBFh\x7F";
  marc_record_append_field(rec, "500", ' ', ' ',
                           "\x1F"
                           "a",
                           2);
  marc_record_insert_subfield(rec, 0, 9, 'b', v, sizeof v - 1);
  marc_record_append_field(rec, "008", 0, 0, "x\x1Fy", 3);
  marc_buf b = {0};
  CHECK_EQ_INT(marc_write_marcxml(rec, &b, MARC_XML_IN_COLLECTION), MARC_OK);
  const char *t = text(&b);
  CHECK(strstr(t, "<subfield code=\"a\"></subfield>") != NULL);
  CHECK(strstr(t, "<subfield code=\"b\">a\xEF\xBF\xBD"
                  "b&#9;c&#10;d&#13;"
                  "e\xC3\xA9"
                  "f\xEF\xBF\xBDg\xEF\xBF\xBDh\x7F</subfield>") != NULL);
  CHECK(strstr(t, "<controlfield tag=\"008\">x\xEF\xBF\xBDy<") != NULL);
  CHECK(strstr(t, "ind1=\" \" ind2=\" \"") != NULL);
  marc_buf_free(&b);
  marc_record_free(rec);
}

static void test_json_exact(void) {
  marc_record *rec = sample();
  marc_buf b = {0};
  CHECK_EQ_INT(marc_write_json(rec, &b), MARC_OK);
  CHECK_EQ_STR(text(&b), "{\"leader\":\"00000nam a2200000 a 4500\",\"fields\":["
                         "{\"001\":\"ocm1\"},{\"245\":{\"subfields\":["
                         "{\"a\":\"A & B <c> \\\"q\\\" 'x'\"},{\"c\":\"Me\"}],"
                         "\"ind1\":\"1\",\"ind2\":\"0\"}}]}");
  b.len = 0;
  CHECK_EQ_INT(marc_write_jsonl(rec, &b), MARC_OK);
  CHECK(b.len > 0 && b.data[b.len - 1] == '\n' &&
        memchr(b.data, '\n', b.len - 1) == NULL);
  b.len = 0;
  marc_write_json_begin(&b);
  marc_write_json(rec, &b);
  marc_write_json_sep(&b);
  marc_write_json(rec, &b);
  marc_write_json_end(&b);
  const char *t = text(&b);
  CHECK(strncmp(t, "[\n{\"leader\"", 11) == 0);
  CHECK(strstr(t, "]}\n]\n") != NULL && strstr(t, "}}]},\n{") != NULL);
  marc_buf_free(&b);
  marc_record_free(rec);
}

static void test_json_escape(void) {
  marc_record *rec = marc_record_new();
  const char v[] = "q\"b\\s/\x01\x1F\t\n\r\xE2\x82\xAC\xFF\xC3";
  marc_record_append_field(rec, "009", 0, 0, v, sizeof v - 1);
  marc_buf b = {0};
  CHECK_EQ_INT(marc_write_json(rec, &b), MARC_OK);
  CHECK(strstr(text(&b), "{\"009\":\"q\\\"b\\\\s/\\u0001\\u001f\\t\\n\\r"
                         "\xE2\x82\xAC\xEF\xBF\xBD\xEF\xBF\xBD\"}") != NULL);
  marc_buf_free(&b);
  marc_record_free(rec);
}

/* Data before the first delimiter of a malformed field: not in JSON. */
static void test_no_delimiter(void) {
  marc_record *rec = marc_record_new();
  marc_record_append_field(rec, "245", '0', '0',
                           "lost\x1F"
                           "akept",
                           10);
  marc_buf b = {0};
  marc_write_json(rec, &b);
  CHECK(strstr(text(&b), "\"subfields\":[{\"a\":\"kept\"}]") != NULL);
  CHECK(strstr(text(&b), "lost") == NULL);
  /* MARCXML keeps it, as a subfield coded '?' (the schema has no place
   * for text outside subfields), and says so. */
  b.len = 0;
  marc_write_marcxml(rec, &b, 0);
  CHECK(strstr(text(&b), "<subfield code=\"?\">lost</subfield>") != NULL);
  CHECK_EQ_INT(marc_write_changes(rec, MARC_FORMAT_MARCXML, NULL, NULL), 1);
  /* JSON drops it: reported too. */
  CHECK_EQ_INT(marc_write_changes(rec, MARC_FORMAT_JSON, NULL, NULL), 1);
  /* A delimiter with no code at the end of a field (real records have
   * "$d1924-2007.$"): dropped by both, reported by both. */
  marc_record_append_field(rec, "100", '1', ' ',
                           "\x1F"
                           "aRoach\x1F",
                           8);
  CHECK_EQ_INT(marc_write_changes(rec, MARC_FORMAT_MARCXML, NULL, NULL), 2);
  CHECK_EQ_INT(marc_write_changes(rec, MARC_FORMAT_JSONL, NULL, NULL), 2);
  marc_buf_free(&b);
  marc_record_free(rec);
}

static void test_args(void) {
  marc_buf b = {0};
  CHECK_EQ_INT(marc_write_marcxml(NULL, &b, 0), MARC_E_ARG);
  CHECK_EQ_INT(marc_write_json(NULL, &b), MARC_E_ARG);
  CHECK_EQ_INT(marc_write_json_begin(NULL), MARC_E_ARG);
  CHECK_EQ_INT(marc_write_marcxml_end(NULL), MARC_E_ARG);
  CHECK_EQ_INT((int)b.len, 0);
}

int main(void) {
  test_xml_exact();
  test_xml_replace();
  test_json_exact();
  test_json_escape();
  test_no_delimiter();
  test_args();
  return check_done("fmt_write");
}
