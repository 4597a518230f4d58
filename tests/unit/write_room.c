/* Unit test of the text writers' output buffer: each reserves room for
 * what a field's bytes can need, not a multiple of the whole record (the
 * old bound reserved 64 bytes per byte of data, real memory in wasm), and
 * writes the same text whether the buffer starts empty or nearly full. */
#include "check.h"
#include "marcato.h"

#include <stdlib.h>
#include <string.h>

enum { NFIELDS = 9, FIELD = 9000 };

static marc_status write_as(int fmt, const marc_record *rec, marc_buf *out) {
  switch (fmt) {
  case 0: return marc_write_marcxml(rec, out, 0);
  case 1: return marc_write_json(rec, out);
  case 2: return marc_write_mrk(rec, out);
  default: return marc_write_text(rec, out);
  }
}

int main(void) {
  marc_record *rec = marc_record_new();
  marc_record_set_leader(rec, "00000cam a2200000 i 4500");
  marc_record_append_field(rec, "001", 0, 0, "ocm1", 4);
  char *data = malloc(FIELD);
  data[0] = 0x1F;
  data[1] = 'a';
  for (size_t i = 2; i < FIELD; i++) data[i] = (char)('a' + i % 26);
  for (int i = 0; i < NFIELDS; i++)
    marc_record_append_field(rec, "500", ' ', ' ', data, FIELD);
  size_t in = (size_t)NFIELDS * FIELD;
  for (int fmt = 0; fmt < 4; fmt++) {
    marc_buf out = {0};
    CHECK_EQ_INT(write_as(fmt, rec, &out), MARC_OK);
    /* Plain text: the output is about the input's size, and the buffer
     * at most a few times the output (growth doubles). */
    CHECK(out.len >= in && out.len < in + 4096);
    CHECK(out.cap <= 8 * out.len);
    /* The same bytes into a buffer whose room runs out mid-record. */
    marc_buf tight = {0};
    CHECK_EQ_INT(marc_buf_reserve(&tight, 1000), MARC_OK);
    tight.len = tight.cap - 10;
    memset(tight.data, '#', tight.len);
    size_t at = tight.len;
    CHECK_EQ_INT(write_as(fmt, rec, &tight), MARC_OK);
    CHECK_EQ_INT(tight.len - at, out.len);
    CHECK(memcmp(tight.data + at, out.data, out.len) == 0);
    marc_buf_free(&tight);
    marc_buf_free(&out);
  }
  free(data);
  marc_record_free(rec);
  return check_done("unit_write_room");
}
