/* Unit tests of the record builder: every edit call, read-only views,
 * storage reuse over many edits, and writing the result. */
#include "check.h"
#include "common/dump.h"
#include "internal.h" /* own_cap: to see that storage stays bounded */
#include "unit/mkrec.h"

#include <stdlib.h>

/* A string literal and its length, for the builder calls. */
#define W(s) s, sizeof(s) - 1

/* The record's fields as "TAG ii data|TAG data|..." with delimiters shown
 * as '$' (static buffer). */
static const char *fields_str(const marc_record *rec) {
  static char s[4096];
  size_t n = 0;
  for (size_t i = 0; i < marc_record_field_count(rec); i++) {
    const marc_field *f = marc_record_field(rec, i);
    n += (size_t)snprintf(s + n, sizeof s - n, "%s%s ", i ? "|" : "", f->tag);
    if (!marc_tag_is_control(f->tag))
      n += (size_t)snprintf(s + n, sizeof s - n, "%c%c ", f->ind1, f->ind2);
    const uint8_t *d = marc_field_data(rec, f);
    for (size_t k = 0; k < f->len && n + 2 < sizeof s; k++)
      s[n++] = d[k] == 0x1f ? '$' : (char)d[k];
    s[n] = 0;
  }
  return s;
}

static void test_new(void) {
  marc_record *rec = marc_record_new();
  CHECK(memcmp(marc_record_leader(rec), W("00000nam a2200000   4500")) == 0);
  CHECK_EQ_INT(marc_record_field_count(rec), 0);
  CHECK_EQ_INT(marc_record_diag_count(rec), 0);
  CHECK_EQ_INT(marc_record_raw_length(rec), 0);
  marc_record_free(rec);
}

static void test_field_edits(void) {
  marc_record *rec = marc_record_new();
  CHECK_EQ_INT(marc_record_append_field(rec, "245", '1', '0',
                                        W("\x1f"
                                          "aTitle")),
               MARC_OK);
  CHECK_EQ_INT(marc_record_insert_field(rec, 0, "001", 'x', 'y', W("id1")),
               MARC_OK);
  CHECK_EQ_INT(marc_record_insert_field(rec, 1, "100", '1', ' ',
                                        W("\x1f"
                                          "aAuthor")),
               MARC_OK);
  CHECK_EQ_INT(marc_record_append_field(rec, "500", ' ', ' ',
                                        W("\x1f"
                                          "aNote")),
               MARC_OK);
  CHECK_EQ_STR(fields_str(rec),
               "001 id1|100 1  $aAuthor|245 10 $aTitle|500    $aNote");
  /* Indicators are ignored for control fields. */
  CHECK_EQ_INT(marc_record_field(rec, 0)->ind1, 0);
  CHECK_EQ_INT(marc_record_insert_field(rec, 5, "600", ' ', ' ', W("")),
               MARC_E_ARG);
  CHECK_EQ_INT(marc_record_insert_field(rec, 0, "60", ' ', ' ', W("")),
               MARC_E_ARG);
  CHECK_EQ_INT(marc_record_insert_field(rec, 0, "600", ' ', ' ', NULL, 3),
               MARC_E_ARG);

  CHECK_EQ_INT(marc_record_replace_field(rec, 2, "246", '3', '1',
                                         W("\x1f"
                                           "aOther")),
               MARC_OK);
  CHECK_EQ_INT(marc_record_replace_field(rec, 4, "246", ' ', ' ', W("")),
               MARC_E_ARG);
  CHECK_EQ_INT(marc_record_remove_field(rec, 1), MARC_OK);
  CHECK_EQ_INT(marc_record_remove_field(rec, 3), MARC_E_ARG);
  CHECK_EQ_STR(fields_str(rec), "001 id1|246 31 $aOther|500    $aNote");
  CHECK_EQ_INT(marc_record_set_indicators(rec, 1, '0', '4'), MARC_OK);
  CHECK_EQ_INT(marc_record_set_indicators(rec, 0, '0', '4'), MARC_E_ARG);
  CHECK_EQ_INT(marc_record_set_indicators(rec, 3, '0', '4'), MARC_E_ARG);
  CHECK_EQ_STR(fields_str(rec), "001 id1|246 04 $aOther|500    $aNote");

  CHECK_EQ_INT(marc_record_set_leader(rec, "01234cas a2200123 i 4500"),
               MARC_OK);
  CHECK(memcmp(marc_record_leader(rec), W("01234cas a2200123 i 4500")) == 0);
  CHECK_EQ_INT(marc_record_set_leader_byte(rec, 9, ' '), MARC_OK);
  CHECK_EQ_INT(marc_record_set_leader_byte(rec, 24, 'x'), MARC_E_ARG);
  CHECK_EQ_INT(marc_record_leader(rec)[9], ' ');
  CHECK_EQ_INT(marc_record_set_leader(rec, NULL), MARC_E_ARG);
  marc_record_free(rec);
}

static void test_subfield_edits(void) {
  marc_record *rec = marc_record_new();
  marc_record_append_field(rec, "001", 0, 0, W("x"));
  marc_record_append_field(rec, "650", ' ', '0',
                           W("\x1f"
                             "aA\x1f"
                             "xB"));
  CHECK_EQ_INT(marc_record_insert_subfield(rec, 1, 1, 'v', W("Mid")), MARC_OK);
  CHECK_EQ_STR(fields_str(rec), "001 x|650  0 $aA$vMid$xB");
  CHECK_EQ_INT(marc_record_insert_subfield(rec, 1, 0, '6', W("880-01")),
               MARC_OK);
  CHECK_EQ_INT(marc_record_insert_subfield(rec, 1, 99, 'z', W("End")), MARC_OK);
  CHECK_EQ_STR(fields_str(rec), "001 x|650  0 $6880-01$aA$vMid$xB$zEnd");
  CHECK_EQ_INT(marc_record_replace_subfield(rec, 1, 2, 'y', W("New")), MARC_OK);
  CHECK_EQ_INT(marc_record_replace_subfield(rec, 1, 5, 'y', W("New")),
               MARC_E_ARG);
  CHECK_EQ_INT(marc_record_remove_subfield(rec, 1, 0), MARC_OK);
  CHECK_EQ_INT(marc_record_remove_subfield(rec, 1, 4), MARC_E_ARG);
  CHECK_EQ_STR(fields_str(rec), "001 x|650  0 $aA$yNew$xB$zEnd");
  CHECK_EQ_INT(marc_record_remove_subfield(rec, 1, 3), MARC_OK);
  CHECK_EQ_STR(fields_str(rec), "001 x|650  0 $aA$yNew$xB");
  /* Subfield edits on a control field or a missing field are refused. */
  CHECK_EQ_INT(marc_record_insert_subfield(rec, 0, 0, 'a', W("v")), MARC_E_ARG);
  CHECK_EQ_INT(marc_record_insert_subfield(rec, 2, 0, 'a', W("v")), MARC_E_ARG);
  CHECK_EQ_INT(marc_record_insert_subfield(rec, 1, 0, 'a', NULL, 1),
               MARC_E_ARG);
  /* An empty data field gets its first subfield. */
  marc_record_append_field(rec, "590", ' ', ' ', W(""));
  CHECK_EQ_INT(marc_record_insert_subfield(rec, 2, 0, 'a', W("only")), MARC_OK);
  CHECK_EQ_STR(fields_str(rec), "001 x|650  0 $aA$yNew$xB|590    $aonly");
  marc_record_free(rec);
}

/* Every builder call on a reader's view is refused and changes nothing. */
static void test_readonly(void) {
  marc_buf in = {0};
  mk_simple(&in, "view");
  marc_reader *r = marc_reader_new(NULL);
  marc_record *v = NULL;
  marc_reader_feed(r, in.data, in.len);
  CHECK_EQ_INT(marc_reader_next(r, &v), MARC_OK);
  const char *before = fields_str(v);
  char saved[4096];
  snprintf(saved, sizeof saved, "%s", before);
  CHECK_EQ_INT(marc_record_set_leader(v, "00000cam a2200000   4500"),
               MARC_E_READONLY);
  CHECK_EQ_INT(marc_record_set_leader_byte(v, 5, 'c'), MARC_E_READONLY);
  CHECK_EQ_INT(marc_record_insert_field(v, 0, "500", ' ', ' ', W("")),
               MARC_E_READONLY);
  CHECK_EQ_INT(marc_record_append_field(v, "500", ' ', ' ', W("")),
               MARC_E_READONLY);
  CHECK_EQ_INT(marc_record_replace_field(v, 0, "500", ' ', ' ', W("")),
               MARC_E_READONLY);
  CHECK_EQ_INT(marc_record_remove_field(v, 0), MARC_E_READONLY);
  CHECK_EQ_INT(marc_record_set_indicators(v, 2, '0', '0'), MARC_E_READONLY);
  CHECK_EQ_INT(marc_record_insert_subfield(v, 2, 0, 'a', W("x")),
               MARC_E_READONLY);
  CHECK_EQ_INT(marc_record_remove_subfield(v, 2, 0), MARC_E_READONLY);
  CHECK_EQ_INT(marc_record_replace_subfield(v, 2, 0, 'a', W("x")),
               MARC_E_READONLY);
  CHECK_EQ_STR(fields_str(v), saved);
  CHECK(memcmp(marc_record_leader(v), W("00")) == 0 &&
        marc_record_leader(v)[5] == 'n');
  marc_reader_free(r);
  marc_buf_free(&in);
}

/* Storage no field refers to is reclaimed: thousands of edits keep the
 * record's storage near its live size, and the content right. */
static void test_many_edits(void) {
  enum { EDITS = 20000 };
  marc_record *rec = marc_record_new();
  char data[128];
  for (int i = 0; i < 10; i++) {
    snprintf(data, sizeof data,
             "\x1f"
             "afield %d",
             i);
    marc_record_append_field(rec, "500", ' ', ' ', data, strlen(data));
  }
  marc_record_append_field(rec, "650", ' ', '0',
                           W("\x1f"
                             "aA\x1f"
                             "xB"));
  size_t peak = 0;
  for (int i = 0; i < EDITS; i++) {
    int n = snprintf(data, sizeof data,
                     "\x1f"
                     "aedit %d %s",
                     i, "padding padding padding padding padding padding");
    CHECK(marc_record_replace_field(rec, (size_t)(i % 10), "500", ' ', ' ',
                                    data, (size_t)n) == MARC_OK);
    if (rec->own_cap > peak) peak = rec->own_cap;
  }
  fprintf(stderr, "replace_field x%d: storage peak %zu bytes\n", EDITS, peak);
  CHECK(peak <= 64 * 1024);
  for (int i = 0; i < 10; i++) {
    marc_subfield sf;
    int last = EDITS - 10 + i;
    snprintf(data, sizeof data, "edit %d ", last);
    CHECK(marc_record_subfield(rec, (size_t)i, 'a', &sf) &&
          memcmp(sf.value, data, strlen(data)) == 0);
  }
  /* Subfield edits take their unchanged parts from the field's own
   * storage: they too must let storage be reclaimed. */
  peak = 0;
  for (int i = 0; i < EDITS; i++) {
    int n = snprintf(data, sizeof data, "value %d %s", i,
                     "padding padding padding padding padding padding");
    CHECK(marc_record_replace_subfield(rec, 10, 1, 'x', data, (size_t)n) ==
          MARC_OK);
    if (rec->own_cap > peak) peak = rec->own_cap;
  }
  fprintf(stderr, "replace_subfield x%d: storage peak %zu bytes\n", EDITS,
          peak);
  CHECK(peak <= 64 * 1024);
  marc_subfield sf;
  CHECK(marc_record_subfield(rec, 10, 'a', &sf) && sf.len == 1 &&
        sf.value[0] == 'A');
  snprintf(data, sizeof data, "value %d ", EDITS - 1);
  CHECK(marc_record_subfield(rec, 10, 'x', &sf) &&
        memcmp(sf.value, data, strlen(data)) == 0);
  marc_record_free(rec);
}

/* Built, written, read back: the same fields and leader. */
static void test_write_read_back(void) {
  marc_record *rec = marc_record_new();
  marc_record_set_leader(rec, "99999cam a2299999 i 4500");
  marc_record_append_field(rec, "001", 0, 0, W("b1"));
  marc_record_append_field(rec, "245", '0', '0',
                           W("\x1f"
                             "aT"));
  marc_record_insert_field(rec, 1, "020", ' ', ' ',
                           W("\x1f"
                             "a123"));
  marc_record_insert_subfield(rec, 2, 1, 'c', W("C"));
  marc_buf out = {0};
  CHECK_EQ_INT(marc_write_iso2709(rec, &out, NULL), MARC_OK);
  marc_reader *r = marc_reader_new(NULL);
  marc_record *back = NULL;
  marc_reader_feed(r, out.data, out.len);
  marc_reader_finish(r);
  CHECK_EQ_INT(marc_reader_next(r, &back), MARC_OK);
  if (back) {
    CHECK_EQ_INT(marc_record_diag_count(back), 0);
    CHECK_EQ_STR(fields_str(back), "001 b1|020    $a123|245 00 $aT$cC");
    char want[25];
    snprintf(want, sizeof want, "%05zucam a22%05zu i 4500", out.len,
             (size_t)(24 + 3 * 12 + 1));
    CHECK(memcmp(marc_record_leader(back), want, 24) == 0);
  }
  marc_reader_free(r);
  marc_buf_free(&out);
  marc_record_free(rec);
}

/* A tag of three bytes with NULs, as lenient reading keeps it: the C
 * string calls refuse it, marc_record_append_field_tag3 keeps the bytes,
 * and a control tag stays a control field. */
static void test_tag3(void) {
  static const char nul_data[3] = {0, 0, '1'}, nul_control[3] = {'0', '0', 0};
  marc_record *rec = marc_record_new();
  CHECK_EQ_INT(marc_record_append_field(rec, nul_data, ' ', ' ', W("x")),
               MARC_E_ARG);
  CHECK_EQ_INT(marc_record_append_field_tag3(rec, nul_data, '1', '2',
                                             W("\x1f"
                                               "ax")),
               MARC_OK);
  CHECK_EQ_INT(marc_record_append_field_tag3(rec, nul_control, 0, 0, W("c")),
               MARC_OK);
  CHECK_EQ_INT(marc_record_append_field_tag3(rec, NULL, 0, 0, W("c")),
               MARC_E_ARG);
  CHECK_EQ_INT(marc_record_field_count(rec), 2);
  const marc_field *f = marc_record_field(rec, 0);
  CHECK(memcmp(f->tag, nul_data, 3) == 0);
  CHECK(f->ind1 == '1' && f->ind2 == '2' && f->len == 3);
  f = marc_record_field(rec, 1);
  CHECK(memcmp(f->tag, nul_control, 3) == 0);
  CHECK_EQ_INT(marc_tag_is_control(f->tag), 1);
  CHECK(f->ind1 == 0 && f->ind2 == 0 && f->len == 1);
  marc_record_free(rec);
}

int main(void) {
  test_tag3();
  test_new();
  test_field_edits();
  test_subfield_edits();
  test_readonly();
  test_many_edits();
  test_write_read_back();
  return check_done("unit_builder");
}
