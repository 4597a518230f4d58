/* Fuzz target for the charset code: arbitrary bytes are decoded as MARC-8
 * (lenient and strict, with and without NFC), the output must be valid
 * UTF-8, encoding it back and decoding again must give the same text, and
 * the bytes as UTF-8 go through NFC and the encoder. Under ASan this also
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
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
