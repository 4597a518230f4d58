/* Fuzz target for the charset code: arbitrary bytes are decoded as MARC-8
 * (lenient and strict, with and without NFC), the output must be valid
 * UTF-8, encoding it back and decoding again must give the same text, and
 * the bytes as UTF-8 go through NFC and the encoder, and as a record's
 * field through marc_record_to_utf8 (the double-encoding repair: valid
 * UTF-8 out, nothing left to repair, bytes kept with MARC_ENC_UTF8 and
 * where marc_record_utf8_needs_repair says so). Under ASan this also
 * proves no read or write out of bounds. Build with libFuzzer
 * (-fsanitize=fuzzer) or link charset_fuzz_main.c to replay seeds. */
#include "marcato.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken property: say which and crash, so that the fuzzer keeps the
 * input. */
#define require(cond)                                                          \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "fuzz_marc8.c:%d: %s\n", __LINE__, #cond);               \
      abort();                                                                 \
    }                                                                          \
  } while (0)

static const uint8_t *field_of(const marc_record *rec, size_t *len) {
  const marc_field *f = marc_record_field(rec, 0);
  *len = f->len;
  return marc_field_data(rec, f);
}

/* The bytes as the one data field of a record that says UTF-8. */
static void record_repair(const uint8_t *data, size_t size) {
  marc_record *rec = marc_record_new();
  require(rec != NULL);
  if (marc_record_set_leader(rec, "00000nam a2200000 a 4500") != MARC_OK ||
      marc_record_append_field(rec, "245", '1', '0', data, size) != MARC_OK) {
    marc_record_free(rec);
    return;
  }
  int valid = marc_utf8_check(data, size, NULL) != MARC_UTF8_INVALID;
  for (int enc = MARC_ENC_AUTO; enc <= MARC_ENC_UTF8; enc += 2) {
    marc_charset_options opt = {(marc_encoding)enc, 0, 0, 0};
    int needs = marc_record_utf8_needs_repair(rec, (marc_encoding)enc);
    marc_record *out = NULL;
    require(marc_record_to_utf8(rec, &opt, &out, NULL) == MARC_OK);
    size_t len;
    const uint8_t *d = field_of(out, &len);
    require(marc_utf8_check(d, len, NULL) != MARC_UTF8_INVALID);
    /* Nothing to repair: the bytes are kept. */
    if (!needs) require(len == size && (!len || !memcmp(d, data, len)));
    /* Valid UTF-8 read as UTF-8 is never changed; auto repairs to the
     * end (no double encoding left). */
    if (enc == MARC_ENC_UTF8) require(needs == !valid);
    if (enc == MARC_ENC_AUTO)
      require(!marc_record_utf8_needs_repair(out, MARC_ENC_AUTO));
    marc_record_free(out);
  }
  marc_record_free(rec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  record_repair(data, size);
  marc_buf u = {0}, m = {0}, u2 = {0}, n = {0};
  marc_charset_issue issues[4];
  for (int nfc = 0; nfc <= 1; nfc++) {
    marc_charset_options opt = {MARC_ENC_AUTO, nfc, 0, 0};
    marc_charset_log log = {issues, 4, 0};
    u.len = m.len = u2.len = 0;
    require(marc_marc8_to_utf8(data, size, &u, &opt, &log) == MARC_OK);
    require(marc_utf8_check(u.data, u.len, NULL) != MARC_UTF8_INVALID);
    require(marc_utf8_to_marc8(u.data, u.len, &m, &opt, NULL) == MARC_OK);
    require(marc_marc8_to_utf8(m.data, m.len, &u2, &opt, NULL) == MARC_OK);
    if (nfc) {
      /* Same text after NFC (without NFC, marks of a base the encoder had
       * to write as a reference may be reordered). */
      require(u2.len == u.len && (!u.len || !memcmp(u.data, u2.data, u.len)));
    }
    /* Strict stops at the first problem that lenient mode logged. */
    marc_charset_options strict = {MARC_ENC_AUTO, nfc, 1, 0};
    marc_buf s = {0};
    marc_status st = marc_marc8_to_utf8(data, size, &s, &strict, NULL);
    require(st == (log.count ? MARC_E_INVALID : MARC_OK));
    require(st == MARC_OK || s.len == 0);
    marc_buf_free(&s);
  }
  n.len = 0;
  require(marc_utf8_nfc(data, size, &n, NULL, NULL) == MARC_OK);
  require(marc_utf8_check(n.data, n.len, NULL) != MARC_UTF8_INVALID);
  m.len = 0;
  require(marc_utf8_to_marc8(data, size, &m, NULL, NULL) == MARC_OK);
  marc_buf_free(&u);
  marc_buf_free(&m);
  marc_buf_free(&u2);
  marc_buf_free(&n);
  return 0;
}
