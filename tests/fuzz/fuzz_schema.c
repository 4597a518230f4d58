/* Fuzz check of Avram schema loading (marc_schema_load) and of validating
 * records against whatever loads. The first two bytes choose rule
 * switches; the rest is the schema's JSON. Aborts when:
 *   - a failed load leaves no error code or an empty or unterminated
 *     message, or a code other than MARC_E_INVALID / MARC_E_NOMEM;
 *   - validation of the sample records reports a problem whose fields are
 *     out of range (rule, indicator, tag not terminated, a value pointer
 *     outside the record's bytes, the leader and the schema's strings), or
 *     a count that differs from the problems passed to the callback, or
 *     differs between two runs (the schema must be immutable);
 *   - the fast path for clean data fields (core/src/avram_marc.c) and the
 *     generic path give different problems (a digest of every member), or
 *     different structure diagnostics in the one-pass validation. */
#include "avram_internal.h"
#include "fuzz_reader.h"
#include "marcato.h"

#include <stdlib.h>
#include <string.h>

static void fail(const char *why) {
  (void)why;
  abort();
}

/* A record touching every path: leader, 001, 006, 007 of two categories,
 * 008, data fields with repeated, unknown and multibyte subfields, local
 * fields, a non-numeric tag. */
static marc_record *sample(char type) {
  marc_record *r = marc_record_new();
  if (!r) return NULL;
  char ldr[25] = "00000nam a2200000 a 4500";
  ldr[6] = type;
  marc_record_set_leader(r, ldr);
  static const struct {
    const char *tag, *data;
    char i1, i2;
  } f[] = {
      {"001", "id1", ' ', ' '},
      {"006", "a    b      000 0 ", ' ', ' '},
      {"007", "ta", ' ', ' '},
      {"007", "cr |||||||||||", ' ', ' '},
      {"008", "850101s1985    nyu           000 0 eng d", ' ', ' '},
      {"245",
       "\x1f"
       "aTitle\x1f"
       "aAgain\x1f"
       "b\xc3\xa9t\xc3\xa9\x1fq",
       '1', '9'},
      {"880",
       "\x1f"
       "6245-01\x1f"
       "aT",
       '1', '0'},
      {"590",
       "\x1f"
       "aLocal",
       ' ', ' '},
      {"BAS",
       "\x1f"
       "x12",
       'z', 'z'},
      {"999", "no delimiter", ' ', ' '},
      /* Clean fields of the kind the fast path settles, and near misses:
       * a repeated code, an uppercase code, a bad indicator, a second
       * 040, an empty field. */
      {"040",
       "\x1f"
       "aDLC\x1f"
       "cDLC\x1f"
       "dOCoLC",
       ' ', ' '},
      {"650",
       "\x1f"
       "aTopic\x1f"
       "xSub\x1f"
       "xSub\x1f"
       "2lcsh",
       ' ', '7'},
      {"650",
       "\x1f"
       "aTopic\x1f"
       "Vform",
       ' ', '0'},
      {"700",
       "\x1f"
       "aName",
       'X', ' '},
      {"040",
       "\x1f"
       "aDLC",
       ' ', ' '},
      {"500", "", ' ', ' '},
  };
  for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
    marc_record_append_field(r, f[i].tag, f[i].i1, f[i].i2, f[i].data,
                             strlen(f[i].data));
  return r;
}

typedef struct seen {
  const marc_record *rec;
  int64_t n;
  uint64_t digest; /* of every problem's members, in order */
} seen;

static uint64_t mix(uint64_t h, const void *p, size_t n) {
  const uint8_t *b = p;
  for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 0x100000001B3u;
  return h;
}

static uint64_t digest(uint64_t h, const marc_schema_problem *p) {
  h = mix(h, &p->rule, sizeof p->rule);
  h = mix(h, &p->offset, sizeof p->offset);
  h = mix(h, &p->code, 1);
  h = mix(h, &p->indicator, 1);
  h = mix(h, p->tag, strlen(p->tag));
  if (p->position) h = mix(h, p->position, strlen(p->position));
  if (p->value) h = mix(h, p->value, p->value_len);
  if (p->label) h = mix(h, p->label, strlen(p->label));
  if (p->type) h = mix(h, p->type, strlen(p->type));
  return h;
}

static int check_problem(void *ctx, const marc_schema_problem *p) {
  seen *s = ctx;
  s->n++;
  s->digest = digest(s->digest, p);
  if ((int)p->rule < 0 || p->rule >= MARC_AV_RULE_COUNT_) fail("rule");
  if (p->indicator > 2) fail("indicator");
  if (!memchr(p->tag, 0, sizeof p->tag)) fail("tag");
  if (p->value) {
    /* Values come from the record (its bytes or leader) or, for an
     * unresolved codelist, from the schema: read them all (ASan checks
     * the bounds). */
    volatile uint8_t sum = 0;
    for (size_t i = 0; i < p->value_len; i++) sum ^= p->value[i];
    (void)sum;
  }
  if (p->position && !memchr(p->position, 0, 64)) fail("position");
  char msg[200];
  marc_schema_problem_message(p, msg, sizeof msg);
  if (!memchr(msg, 0, sizeof msg)) fail("message");
  return 0;
}

int marcato_fuzz_schema(const uint8_t *data, size_t size) {
  if (size < 2) return 0;
  marc_schema_options opt = {.enable = (uint32_t)data[0] << 14,
                             .disable = (uint32_t)(data[1] & 0x0F) << 9};
  marc_error err;
  marc_schema *s = marc_schema_load((const char *)data + 2, size - 2, &err);
  if (!s) {
    if (err.code != MARC_E_INVALID && err.code != MARC_E_NOMEM) fail("code");
    if (!memchr(err.message, 0, sizeof err.message) || !err.message[0])
      fail("message");
    return 0;
  }
  (void)marc_schema_title(s);
  (void)marc_schema_label(s, "245", 'a');
  (void)marc_schema_label(s, "LDR", 0);
  static const char types[] = {'a', 'e', 'c', 'm', 'z', 'u', 'w'};
  marc_schema_counter *counter = marc_schema_counter_new(s);
  for (size_t t = 0; t < sizeof types; t++) {
    marc_record *r = sample(types[t]);
    if (!r) break;
    if (counter) marc_schema_counter_add(counter, r);
    seen a = {r, 0, 0}, b = {r, 0, 0};
    int64_t n1 = marc_schema_validate(s, r, &opt, check_problem, &a);
    int64_t n2 = marc_schema_validate(s, r, &opt, check_problem, &b);
    if (n1 >= 0 && n1 != a.n) fail("count");
    if (n1 != n2 || a.n != b.n) fail("not repeatable");
    /* The generic path alone, then the one pass with the structure
     * checks both ways (on copies: it adds diagnostics to the record). */
    seen g = {r, 0, 0};
    av_generic_only = 1;
    int64_t n3 = marc_schema_validate(s, r, &opt, check_problem, &g);
    av_generic_only = 0;
    if (n3 != n1 || g.n != a.n || g.digest != a.digest) fail("fast path");
    marc_record *c1 = marc_record_clone(r), *c2 = marc_record_clone(r);
    if (c1 && c2) {
      seen o1 = {c1, 0, 0}, o2 = {c2, 0, 0};
      int64_t d1 = 0, d2 = 0;
      int64_t m1 =
          marc_record_validate_schema(c1, s, &opt, check_problem, &o1, &d1);
      av_generic_only = 1;
      int64_t m2 =
          marc_record_validate_schema(c2, s, &opt, check_problem, &o2, &d2);
      av_generic_only = 0;
      if (m1 != m2 || d1 != d2 || o1.digest != o2.digest ||
          marc_record_diag_count(c1) != marc_record_diag_count(c2))
        fail("fast path, one pass");
      for (size_t i = 0; i < marc_record_diag_count(c1); i++)
        if (marc_record_diag(c1, i)->code != marc_record_diag(c2, i)->code ||
            marc_record_diag(c1, i)->offset != marc_record_diag(c2, i)->offset)
          fail("fast path, diagnostics");
    }
    marc_record_free(c1);
    marc_record_free(c2);
    marc_record_free(r);
  }
  /* Counting rules over the samples. */
  marc_schema_options all = {.enable = 1u << MARC_AV_COUNT_RECORD |
                                       1u << MARC_AV_COUNT_FIELD |
                                       1u << MARC_AV_COUNT_SUBFIELD};
  seen c = {NULL, 0, 0};
  int64_t n =
      counter ? marc_schema_counter_check(counter, &all, check_problem, &c) : 0;
  if (counter && n != c.n) fail("count of counts");
  marc_schema_counter_free(counter);
  marc_schema_free(s);
  return 0;
}
