/* charset.c: the charset policy of a reader or pipeline worker: which
 * records reach JS as read, which are converted to UTF-8 (MARC-8 decoded,
 * or NFC), and how the block says so (leader/09, WASM_REC_BUILT). */
#include "glue.h"

#include <string.h>

void glue_encoder_init(encoder *e, int32_t encoding, int32_t nfc) {
  memset(e, 0, sizeof *e);
#if MARCATO_WASM_HAVE_MARC8
  e->encoding = encoding == MARC_ENC_AUTO || encoding == MARC_ENC_MARC8 ||
                        encoding == MARC_ENC_UTF8
                    ? encoding
                    : WASM_ENC_AS_READ;
#else
  (void)encoding;
  e->encoding = WASM_ENC_AS_READ;
#endif
  e->nfc = nfc ? 1 : 0;
}

#if MARCATO_WASM_HAVE_MARC8
/* Does converting `rec` to UTF-8 change no data byte? Yes when every byte
 * is ASCII below 0x7F but ESC (a MARC-8 escape) and '&' (maybe a MARC-8
 * character reference): those read as themselves in MARC-8, UTF-8 and NFC.
 * Records with diagnostics go to the converter, which may add more. */
static int converts_as_is(const marc_record *rec) {
  if (marc_record_diag_count(rec)) return 0;
  size_t nf = marc_record_field_count(rec);
  const marc_field *fs = marc_record_fields(rec);
  const uint8_t *bytes = marc_record_bytes(rec);
  for (size_t i = 0; i < nf; i++)
    if (!marc_charset_plain(bytes + fs[i].off, fs[i].len)) return 0;
  return 1;
}

/* Did the conversion leave every field's data and the diagnostics as they
 * were? Then the record is the one read (its layout too, which the ISO
 * 2709 writer keeps, as the CLI does) with leader/09 'a'. */
static int converted_as_is(const marc_record *rec, const marc_record *conv) {
  size_t nf = marc_record_field_count(rec);
  if (marc_record_field_count(conv) != nf ||
      marc_record_diag_count(conv) != marc_record_diag_count(rec))
    return 0;
  for (size_t i = 0; i < nf; i++) {
    const marc_field *a = marc_record_field(rec, i),
                     *b = marc_record_field(conv, i);
    if (a->len != b->len ||
        (a->len &&
         memcmp(marc_field_data(rec, a), marc_field_data(conv, b), a->len)))
      return 0;
  }
  return 1;
}
#endif

/* MARC-8 decoded, or with nfc UTF-8 normalised; charset problems become
 * the converted record's diagnostics. */
const marc_record *glue_convert(encoder *e, const marc_record *rec,
                                int *built) {
  e->nextra = 0;
  e->set_l09 = 0;
#if MARCATO_WASM_HAVE_MARC8
  if (e->encoding < 0) return rec;
  const char *ld = marc_record_leader(rec);
  int is_utf8 = ld[9] == 'a';
  /* UTF-8 as read, unless bytes are not UTF-8 or (auto) the text is
   * double-encoded: the converter writes U+FFFD for bad bytes and reports
   * each (UTF8_INVALID), and repairs double encoding (ENCODING_REPAIRED),
   * as the CLI does. */
  if (e->encoding == MARC_ENC_UTF8 ||
      (e->encoding == MARC_ENC_AUTO && is_utf8)) {
    if (!e->nfc &&
        !marc_record_utf8_needs_repair(rec, (marc_encoding)e->encoding))
      return rec;
  }
  if (converts_as_is(rec)) {
    /* The converter would only set leader/09: the block says 'a' instead
     * (about half the MARC-8 records of real files). */
    if (!is_utf8) e->set_l09 = 'a';
    return rec;
  }
  marc_charset_options opt;
  memset(&opt, 0, sizeof opt);
  opt.encoding = (marc_encoding)e->encoding;
  opt.nfc = e->nfc;
  marc_charset_log log = {e->issues, MAX_EXTRA, 0};
  marc_record_free(e->conv);
  e->conv = NULL;
  marc_status s = marc_record_to_utf8(rec, &opt, &e->conv, &log);
  if (s != MARC_OK || !e->conv) return rec; /* out of memory: as read */
  if (converted_as_is(rec, e->conv)) {
    if (!is_utf8) e->set_l09 = 'a';
    return rec;
  }
  /* The converted record carries the conversion problems as diagnostics
   * (MARC8_UNMAPPED...); the log is not needed. */
  *built = 1;
  return e->conv;
#else
  (void)built;
  return rec;
#endif
}
