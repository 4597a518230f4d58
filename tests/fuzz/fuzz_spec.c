/* The MARCspec compiler under fuzzing: any text compiles or is rejected
 * with a position inside it, and a compiled spec evaluates on a record
 * holding every kind of field with values in bounds, in record order, and
 * with marc_spec_match agreeing with marc_spec_eval.
 *
 * Input: data[0] bit 0 chooses traject aliases; data[1] is unused (the
 * seed replay's second header byte); the rest is the spec text, up to a
 * NUL. */
#include "fuzz_reader.h"
#include "marcato.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_ASSERT(c)                                                         \
  do {                                                                         \
    if (!(c)) {                                                                \
      fprintf(stderr, "fuzz_spec: %s failed\n", #c);                           \
      abort();                                                                 \
    }                                                                          \
  } while (0)

static marc_record *test_record(void) {
  marc_record *r = marc_record_new();
  static const struct {
    const char *tag;
    char i1, i2;
    const char *data;
  } f[] = {
      {"001", 0, 0, "ocm0001"},
      {"007", 0, 0, "vf cbahou"},
      {"007", 0, 0, "ta"},
      {"008", 0, 0, "000417s1998    pk            000 0 urdo "},
      {"020", ' ', ' ',
       "\x1F"
       "a039\x1Fqpaperback\x1F"
       "c$4.95"},
      {"020", ' ', ' ',
       "\x1F"
       "a049\x1Fqhardcover"},
      {"100", '1', ' ',
       "\x1F"
       "6880-01\x1F"
       "aZilbershtain"},
      {"245", '1', '0',
       "\x1F"
       "aTitle /\x1F"
       "bsub\x1F"
       "c{x}\x1F$"},
      {"650", ' ', '0',
       "\x1F"
       "aJazz.\x1F"
       "2lcsh\x1F_u"},
      {"800", '1', '1',
       "\x1F"
       "aPoe, Edgar"},
      {"880", '1', ' ',
       "\x1F"
       "6100-01\x1F"
       "a\xD7\x99\xD7\xA6"},
  };
  for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
    marc_record_append_field(r, f[i].tag, f[i].i1, f[i].i2, f[i].data,
                             strlen(f[i].data));
  return r;
}

typedef struct seen {
  const marc_record *rec;
  size_t values, last_field;
  int one_spec; /* no ':' joins: values come in record order */
} seen;

static int on_value(void *user, const marc_spec_value *v) {
  seen *s = user;
  FUZZ_ASSERT(v->data != NULL || v->len == 0);
  /* A value is at most a field's MARCMaker text: bounded by the record. */
  FUZZ_ASSERT(v->len < 4096);
  FUZZ_ASSERT(v->field == SIZE_MAX ||
              v->field < marc_record_field_count(s->rec));
  if (v->len) {
    volatile uint8_t sink = v->data[0] ^ v->data[v->len - 1];
    (void)sink;
  }
  /* The leader (SIZE_MAX) comes alone: LDR is one spec of its own. */
  if (s->one_spec && v->field != SIZE_MAX) {
    FUZZ_ASSERT(!s->values || v->field >= s->last_field);
    s->last_field = v->field;
  }
  s->values++;
  return 0;
}

int marcato_fuzz_spec(const uint8_t *data, size_t size) {
  if (size < 2) return 0;
  unsigned flags = data[0] & 1 ? MARC_SPEC_TRAJECT : 0;
  size_t n = size - 2;
  char *text = malloc(n + 1);
  if (!text) return 0;
  memcpy(text, data + 2, n);
  text[n] = 0;
  marc_error err;
  marc_spec *sp = marc_spec_compile_flags(text, flags, &err);
  if (!sp) {
    FUZZ_ASSERT(err.code == MARC_E_INVALID || err.code == MARC_E_NOMEM);
    FUZZ_ASSERT(err.position <= strlen(text));
    FUZZ_ASSERT(err.message[0] != 0);
  } else {
    static marc_record *rec;
    if (!rec) rec = test_record();
    for (int utf8 = 0; utf8 < 2; utf8++) {
      marc_record_set_leader_byte(rec, 9, utf8 ? 'a' : ' ');
      seen s = {rec, 0, 0, !flags};
      marc_buf scratch = {0};
      FUZZ_ASSERT(marc_spec_eval(sp, rec, &scratch, on_value, &s) == MARC_OK);
      FUZZ_ASSERT(scratch.len == 0);
      FUZZ_ASSERT(marc_spec_match(sp, rec, NULL) == (s.values > 0));
      marc_buf_free(&scratch);
    }
    marc_spec_free(sp);
  }
  free(text);
  return 0;
}
