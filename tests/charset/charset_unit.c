/* Unit tests of the MARC-8 / UTF-8 conversions: escapes, combining marks,
 * EACC, unmapped bytes, strict mode, references, the UTF-8 check, NFC and
 * the record calls. */
#include "check.h"
#include "marcato.h"

#include <stdlib.h>

static marc_buf out;
static marc_charset_issue issues[8];
static marc_charset_log log8;

/* Decode `in` (NUL-terminated unless n given) and return the NUL-terminated
 * output; status in *st. */
static const char *dec(const char *in, size_t n, int nfc, int strict,
                       marc_status *st) {
  marc_charset_options o = {MARC_ENC_AUTO, nfc, strict, 0};
  out.len = 0;
  log8 = (marc_charset_log){issues, 8, 0};
  *st = marc_marc8_to_utf8((const uint8_t *)in, n ? n : strlen(in), &out, &o,
                           &log8);
  marc_buf_append(&out, "", 1);
  return (const char *)out.data;
}

static const char *enc(const char *in, int strict, marc_status *st) {
  marc_charset_options o = {MARC_ENC_AUTO, 0, strict, 0};
  out.len = 0;
  log8 = (marc_charset_log){issues, 8, 0};
  *st = marc_utf8_to_marc8((const uint8_t *)in, strlen(in), &out, &o, &log8);
  marc_buf_append(&out, "", 1);
  return (const char *)out.data;
}

static void test_escapes(void) {
  marc_status s;
  /* Basic Cyrillic into G0, then back to ASCII. */
  /* (0x40-0x5F are the small letters, 0x60-0x7E the capitals.) */
  CHECK_EQ_STR(dec("\x1b(NmOSKWA\x1b(B!", 0, 0, 0, &s),
               "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0!");
  CHECK_EQ_INT(s, MARC_OK);
  /* ESC , N is the same designation; ESC s returns to ASCII. */
  CHECK_EQ_STR(dec("\x1b,Na\x1bsa", 0, 0, 0, &s), "\xd0\x90"
                                                  "a");
  /* Greek symbols, subscripts, superscripts (ESC g / b / p). */
  CHECK_EQ_STR(dec("\x1bg"
                   "abc\x1bs",
                   0, 0, 0, &s),
               "\xce\xb1\xce\xb2\xce\xb3");
  CHECK_EQ_STR(dec("H\x1b"
                   "b2\x1bsO",
                   0, 0, 0, &s),
               "H\xe2\x82\x82O");
  CHECK_EQ_STR(dec("x\x1bp2\x1bs", 0, 0, 0, &s), "x\xc2\xb2");
  /* Hebrew into G0; ANSEL explicitly into G1 (ESC ) ! E). */
  CHECK_EQ_STR(dec("\x1b(2`\x1b(B", 0, 0, 0, &s), "\xd7\x90");
  CHECK_EQ_STR(dec("\x1b)!E\xa5", 0, 0, 0, &s), "\xc3\x86");
  /* Extended Arabic designated into G1 (ESC ) 4). */
  CHECK_EQ_STR(dec("\x1b)4\xa9", 0, 0, 0, &s), "\xd9\xbe");
  /* A subfield delimiter brings back the defaults; its code is kept. */
  CHECK_EQ_STR(dec("\x1b(NA\x1f"
                   "bA",
                   0, 0, 0, &s),
               "\xd0\xb0\x1f"
               "bA");
  /* Unknown escape: skipped and reported. */
  CHECK_EQ_STR(dec("a\x1b(Zb", 0, 0, 0, &s), "ab");
  CHECK_EQ_INT(log8.count, 1);
  CHECK_EQ_INT(issues[0].code, MARC_CS_MARC8_BAD_ESCAPE);
  CHECK_EQ_INT(issues[0].offset, 1);
  /* ESC at the very end. */
  CHECK_EQ_STR(dec("a\x1b", 0, 0, 0, &s), "a");
  CHECK_EQ_INT(log8.count, 1);
}

static void test_combining(void) {
  marc_status s;
  /* ANSEL: acute (E2) before 'e'; Unicode: after it. */
  CHECK_EQ_STR(dec("caf\xe2"
                   "e",
                   0, 0, 0, &s),
               "cafe\xcc\x81");
  CHECK_EQ_STR(dec("caf\xe2"
                   "e",
                   0, 1, 0, &s),
               "caf\xc3\xa9");
  /* Two marks keep their order; NFC orders by class and composes. */
  CHECK_EQ_STR(dec("\xf2\xe2"
                   "a",
                   0, 0, 0, &s),
               "a\xcc\xa3\xcc\x81");
  CHECK_EQ_STR(dec("\xe5\xf2"
                   "a",
                   0, 1, 0, &s),
               "\xe1\xba\xa1\xcc\x84");
  /* Ligature halves: EB a EC b -> a U+0361 b (the second half has no
   * character of its own). */
  CHECK_EQ_STR(dec("\xeb"
                   "t\xec"
                   "s",
                   0, 0, 0, &s),
               "t\xcd\xa1s");
  /* A mark with no base stays, after what precedes it. */
  CHECK_EQ_STR(dec("ab\xe2", 0, 0, 0, &s), "ab\xcc\x81");
  CHECK_EQ_STR(dec("a\xe2\x1f"
                   "bc",
                   0, 0, 0, &s),
               "a\xcc\x81\x1f"
               "bc");
  /* Space is a base (a spacing accent). */
  CHECK_EQ_STR(dec("\xe2 x", 0, 0, 0, &s), " \xcc\x81x");
  /* Hebrew points precede their letter too. */
  CHECK_EQ_STR(dec("\x1b(2@`\x1b(B", 0, 0, 0, &s), "\xd7\x90\xd6\xb7");
}

static void test_eacc(void) {
  marc_status s;
  /* 0x213024 is U+4E09 (three); the ideographic space is 0x212320. */
  CHECK_EQ_STR(dec("\x1b$1!0$\x1b(B", 0, 0, 0, &s), "\xe4\xb8\x89");
  CHECK_EQ_STR(dec("\x1b$1!# \x1b(B", 0, 0, 0, &s), "\xe3\x80\x80");
  /* ESC $ ) 1 puts EACC into G1: the same code with high bits set. */
  CHECK_EQ_STR(dec("\x1b$)1\xa1\xb0\xa4", 0, 0, 0, &s), "\xe4\xb8\x89");
  /* A space between EACC characters is a space. */
  CHECK_EQ_STR(dec("\x1b$1!0$ !0$", 0, 0, 0, &s), "\xe4\xb8\x89 \xe4\xb8\x89");
  /* Cut short by the end: U+FFFD and MARC8_TRUNCATED. */
  CHECK_EQ_STR(dec("\x1b$1!0", 0, 0, 0, &s), "\xef\xbf\xbd");
  CHECK_EQ_INT(issues[0].code, MARC_CS_MARC8_TRUNCATED);
  /* A triple not in the table. */
  CHECK_EQ_STR(dec("\x1b$1~~~", 0, 0, 0, &s), "\xef\xbf\xbd");
  CHECK_EQ_INT(issues[0].code, MARC_CS_MARC8_UNMAPPED);
  CHECK_EQ_INT(issues[0].value, 0x7E7E7E);
  /* The encoder switches to EACC and back. */
  CHECK_EQ_STR(enc("a\xe4\xb8\x89"
                   "b",
                   0, &s),
               "a\x1b$1!0$\x1b(Bb");
}

static void test_unmapped_and_strict(void) {
  marc_status s;
  /* 0xA0 and 0xAF have no ANSEL character. */
  CHECK_EQ_STR(dec("a\xa0"
                   "b",
                   0, 0, 0, &s),
               "a\xef\xbf\xbd"
               "b");
  CHECK_EQ_INT(s, MARC_OK);
  CHECK_EQ_INT(log8.count, 1);
  CHECK_EQ_INT(issues[0].code, MARC_CS_MARC8_UNMAPPED);
  CHECK_EQ_INT(issues[0].value, 0xA0);
  CHECK_EQ_INT(issues[0].offset, 1);
  /* Strict: an error, the buffer keeps its former length. */
  marc_charset_options strict = {MARC_ENC_AUTO, 0, 1, 0};
  marc_buf b = {0};
  marc_buf_append(&b, "keep", 4);
  marc_charset_log lg = {issues, 8, 0};
  CHECK_EQ_INT(
      marc_marc8_to_utf8((const uint8_t *)"x\xaf", 2, &b, &strict, &lg),
      MARC_E_INVALID);
  CHECK_EQ_INT(b.len, 4);
  CHECK_EQ_INT(lg.count, 1);
  CHECK_EQ_INT(
      marc_utf8_to_marc8((const uint8_t *)"\xe2\x98\xba", 3, &b, &strict, &lg),
      MARC_E_INVALID);
  CHECK_EQ_INT(b.len, 4);
  marc_buf_free(&b);
  /* Counting only (no items). */
  marc_charset_log count_only = {NULL, 0, 0};
  marc_buf c = {0};
  marc_marc8_to_utf8((const uint8_t *)"\xa0\xa0", 2, &c, NULL, &count_only);
  CHECK_EQ_INT(count_only.count, 2);
  marc_buf_free(&c);
}

static void test_encoder(void) {
  marc_status s;
  /* Precomposed letters decompose; marks go before the base. */
  CHECK_EQ_STR(enc("caf\xc3\xa9", 0, &s), "caf\xe2"
                                          "e");
  CHECK_EQ_STR(enc("e\xcc\x81\xcc\xa3", 0, &s), "\xe2\xf2"
                                                "e");
  /* Cyrillic: one escape for the run, back to ASCII at the end. */
  CHECK_EQ_STR(enc("\xd0\x9c\xd0\xb8\xd1\x80", 0, &s), "\x1b(NmIR\x1b(B");
  /* Before a subfield delimiter too. */
  CHECK_EQ_STR(enc("\xd0\x90\x1f"
                   "bx",
                   0, &s),
               "\x1b(Na\x1b(B\x1f"
               "bx");
  /* The euro sign is in ANSEL since 2004 (0xC8). */
  CHECK_EQ_STR(enc("5\xe2\x82\xac", 0, &s), "5\xc8");
  /* Characters MARC-8 lacks: references, reported. */
  CHECK_EQ_STR(enc("5\xe2\x98\xba", 0, &s), "5&#x263A;");
  CHECK_EQ_INT(s, MARC_OK);
  CHECK_EQ_INT(log8.count, 1);
  CHECK_EQ_INT(issues[0].code, MARC_CS_MARC8_UNREPRESENTABLE);
  CHECK_EQ_INT(issues[0].value, 0x263A);
  CHECK_EQ_INT(issues[0].offset, 1);
  /* ...which the decoder reads back, unless keep_ncr. */
  CHECK_EQ_STR(dec("5&#x20AC;", 0, 0, 0, &s), "5\xe2\x82\xac");
  marc_charset_options keep = {MARC_ENC_AUTO, 0, 0, 1};
  marc_buf k = {0};
  marc_marc8_to_utf8((const uint8_t *)"&#x20AC;", 8, &k, &keep, NULL);
  CHECK(k.len == 8 && memcmp(k.data, "&#x20AC;", 8) == 0);
  marc_buf_free(&k);
  /* A literal "&#x" is escaped so it reads back as itself. */
  CHECK_EQ_STR(enc("&#x41;", 0, &s), "&#x0026;#x41;");
  CHECK_EQ_STR(dec("&#x0026;#x41;", 0, 0, 0, &s), "&#x41;");
  /* Invalid UTF-8 is reported once and written as U+FFFD's reference. */
  CHECK_EQ_STR(enc("a\xc3(", 0, &s), "a&#xFFFD;(");
  CHECK_EQ_INT(log8.count, 1);
  CHECK_EQ_INT(issues[0].code, MARC_CS_UTF8_INVALID);
  /* The ligature's second half is written back before the next letter. */
  CHECK_EQ_STR(enc("t\xcd\xa1s", 0, &s), "\xeb"
                                         "t\xec"
                                         "s");
  /* A mark with no base cannot precede anything: a reference. */
  CHECK_EQ_STR(enc("\xcc\x81"
                   "a",
                   0, &s),
               "&#x0301;a");
}

static void test_utf8_check_and_nfc(void) {
  size_t bad = 99;
  CHECK_EQ_INT(marc_utf8_check((const uint8_t *)"plain", 5, &bad),
               MARC_UTF8_ASCII);
  CHECK_EQ_INT(marc_utf8_check((const uint8_t *)"caf\xc3\xa9", 5, &bad),
               MARC_UTF8_MULTIBYTE);
  CHECK_EQ_INT(marc_utf8_check((const uint8_t *)"caf\xe2"
                                                "e",
                               5, &bad),
               MARC_UTF8_INVALID);
  CHECK_EQ_INT(bad, 3);
  CHECK_EQ_INT(marc_utf8_check((const uint8_t *)"\xc0\xaf", 2, &bad),
               MARC_UTF8_INVALID); /* overlong */
  CHECK_EQ_INT(marc_utf8_check((const uint8_t *)"\xed\xa0\x80", 3, &bad),
               MARC_UTF8_INVALID); /* surrogate */
  CHECK_EQ_INT(marc_utf8_check((const uint8_t *)"\xf4\x90\x80\x80", 4, &bad),
               MARC_UTF8_INVALID); /* past U+10FFFF */
  CHECK_EQ_INT(marc_utf8_check((const uint8_t *)"12345678\xe2\x82", 10, &bad),
               MARC_UTF8_INVALID); /* cut short after the fast path */
  CHECK_EQ_INT(bad, 8);

  marc_buf b = {0};
  /* Composition, ordering, singletons, Hangul, exclusions. */
  struct {
    const char *in, *want;
  } cases[] = {
      {"A\xcc\x8a", "\xc3\x85"},    /* A + ring -> U+00C5 */
      {"\xe2\x84\xab", "\xc3\x85"}, /* Angstrom sign -> U+00C5 */
      {"a\xcc\x81\xcc\xa3", "\xe1\xba\xa1\xcc\x81"}, /* dot below first */
      {"\xe1\x84\x80\xe1\x85\xa1", "\xea\xb0\x80"},  /* L + V -> U+AC00 */
      {"\xe0\xa4\xa8\xe0\xa4\xbc", "\xe0\xa4\xa9"},  /* U+0929 */
      {"\xe0\xa4\x95\xe0\xa4\xbc", "\xe0\xa4\x95\xe0\xa4\xbc"}, /* U+0958
                                                         is excluded */
      {"plain ascii", "plain ascii"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    b.len = 0;
    CHECK_EQ_INT(marc_utf8_nfc((const uint8_t *)cases[i].in,
                               strlen(cases[i].in), &b, NULL, NULL),
                 MARC_OK);
    marc_buf_append(&b, "", 1);
    CHECK_EQ_STR((const char *)b.data, cases[i].want);
  }
  marc_buf_free(&b);
}

static marc_record *make(char l09, const char *data) {
  marc_record *r = marc_record_new();
  marc_record_set_leader_byte(r, 9, l09);
  marc_record_append_field(r, "001", 0, 0, "id1", 3);
  marc_record_append_field(r, "245", '1', '0', data, strlen(data));
  return r;
}

static void test_records(void) {
  marc_charset_options nfc = {MARC_ENC_AUTO, 1, 0, 0};
  marc_charset_log lg = {issues, 8, 0};
  /* MARC-8 record -> UTF-8, leader/09 'a'. */
  marc_record *src = make(' ', "\x1f"
                               "aCaf\xe2"
                               "e");
  marc_record *u = NULL, *m = NULL;
  CHECK_EQ_INT(marc_record_to_utf8(src, &nfc, &u, &lg), MARC_OK);
  CHECK_EQ_INT(marc_record_leader(u)[9], 'a');
  marc_subfield sf;
  CHECK(marc_record_subfield(u, 1, 'a', &sf));
  CHECK(sf.len == 5 && memcmp(sf.value, "Caf\xc3\xa9", 5) == 0);
  CHECK_EQ_INT(lg.count, 0);
  /* And back: leader/09 blank, the ANSEL bytes again. */
  CHECK_EQ_INT(marc_record_to_marc8(u, &nfc, &m, &lg), MARC_OK);
  CHECK_EQ_INT(marc_record_leader(m)[9], ' ');
  CHECK(marc_record_subfield(m, 1, 'a', &sf));
  CHECK(sf.len == 5 && memcmp(sf.value,
                              "Caf\xe2"
                              "e",
                              5) == 0);
  marc_record_free(u);
  marc_record_free(m);
  marc_record_free(src);

  /* Labelled MARC-8, valid UTF-8 with multibyte: read as UTF-8, reported.
   * Forced MARC-8 decodes the bytes as ANSEL instead. */
  src = make(' ', "\x1f"
                  "aCaf\xc3\xa9");
  lg.count = 0;
  CHECK_EQ_INT(marc_record_to_utf8(src, &nfc, &u, &lg), MARC_OK);
  CHECK_EQ_INT(lg.count, 1);
  CHECK_EQ_INT(issues[0].code, MARC_CS_ENCODING_MISLABELED);
  CHECK(marc_record_subfield(u, 1, 'a', &sf));
  CHECK(sf.len == 5 && memcmp(sf.value, "Caf\xc3\xa9", 5) == 0);
  marc_record_free(u);
  marc_charset_options forced = {MARC_ENC_MARC8, 0, 0, 0};
  lg.count = 0;
  CHECK_EQ_INT(marc_record_to_utf8(src, &forced, &u, &lg), MARC_OK);
  CHECK_EQ_INT(lg.count, 0); /* C3 is (c), A9 the musical flat */
  CHECK(marc_record_subfield(u, 1, 'a', &sf));
  CHECK(sf.len == 8 && memcmp(sf.value, "Caf\xc2\xa9\xe2\x99\xad", 8) == 0);
  marc_record_free(u);
  /* Strict: the mislabelling is an error, no record. */
  marc_charset_options strict = {MARC_ENC_AUTO, 0, 1, 0};
  u = (marc_record *)&u;
  CHECK_EQ_INT(marc_record_to_utf8(src, &strict, &u, NULL), MARC_E_INVALID);
  CHECK(u == NULL);
  marc_record_free(src);

  /* A UTF-8 record with a bad byte: U+FFFD and UTF8_INVALID, with the
   * field's tag and the offset in the source's bytes. */
  src = make('a', "\x1f"
                  "ab\xff"
                  "c");
  lg.count = 0;
  CHECK_EQ_INT(marc_record_to_utf8(src, NULL, &u, &lg), MARC_OK);
  CHECK_EQ_INT(lg.count, 1);
  CHECK_EQ_INT(issues[0].code, MARC_CS_UTF8_INVALID);
  CHECK_EQ_STR(issues[0].tag, "245");
  const marc_field *f = marc_record_field(src, 1);
  CHECK_EQ_INT(issues[0].offset, f->off + 3);
  CHECK(marc_record_subfield(u, 1, 'a', &sf));
  CHECK(sf.len == 5 && memcmp(sf.value,
                              "b\xef\xbf\xbd"
                              "c",
                              5) == 0);
  marc_record_free(u);
  /* Already MARC-8: copied unchanged. */
  marc_record_free(src);
  src = make(' ', "\x1f"
                  "aCaf\xe2"
                  "e");
  CHECK_EQ_INT(marc_record_to_marc8(src, NULL, &m, NULL), MARC_OK);
  CHECK(marc_record_subfield(m, 1, 'a', &sf));
  CHECK(sf.len == 5 && memcmp(sf.value,
                              "Caf\xe2"
                              "e",
                              5) == 0);
  marc_record_free(m);
  marc_record_free(src);
  CHECK_EQ_INT(marc_record_to_utf8(NULL, NULL, &u, NULL), MARC_E_ARG);
  CHECK_EQ_STR(marc_charset_code_name(MARC_CS_MARC8_UNMAPPED),
               "MARC8_UNMAPPED");
}

/* marc_charset_plain: exactly the bytes below 0x7F but ESC and '&', at
 * every position of the word-at-a-time scan and its tail; and such text
 * converts to itself (MARC-8 to UTF-8, and NFC). */
static void test_charset_plain(void) {
  uint8_t buf[19];
  for (size_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)(0x1F + i * 5);
  CHECK(marc_charset_plain(buf, sizeof buf));
  CHECK(marc_charset_plain(NULL, 0));
  CHECK(marc_charset_plain(buf, 0));
  for (int b = 0; b < 256; b++) {
    int want = b < 0x7F && b != 0x1B && b != '&';
    for (size_t at = 0; at < sizeof buf; at++) {
      uint8_t t[sizeof buf];
      memcpy(t, buf, sizeof t);
      t[at] = (uint8_t)b;
      if (marc_charset_plain(t, sizeof t) != want) {
        CHECK_EQ_INT(b * 100 + (int)at, -1); /* names the failing case */
        return;
      }
    }
  }
  marc_buf o = {0};
  CHECK_EQ_INT(marc_marc8_to_utf8(buf, sizeof buf, &o, NULL, NULL), MARC_OK);
  CHECK(o.len == sizeof buf && memcmp(o.data, buf, sizeof buf) == 0);
  o.len = 0;
  CHECK_EQ_INT(marc_utf8_nfc(buf, sizeof buf, &o, NULL, NULL), MARC_OK);
  CHECK(o.len == sizeof buf && memcmp(o.data, buf, sizeof buf) == 0);
  marc_buf_free(&o);
}

int main(void) {
  test_escapes();
  test_combining();
  test_eacc();
  test_unmapped_and_strict();
  test_encoder();
  test_utf8_check_and_nfc();
  test_charset_plain();
  test_records();
  marc_buf_free(&out);
  return check_done("charset_unit");
}
