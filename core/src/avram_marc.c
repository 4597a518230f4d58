/* Avram validation of MARC 21 records: the record's leader and fields as
 * Avram fields, its Avram record types, and messages and labels for
 * reports. */
#include "avram_field.h"
#include "avram_internal.h"
#include "byte_scan.h"
#include "internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* The material type (008/18-34 configuration) of a form of material code:
 * leader/06 for 008, 006/00 for 006. Codes as the MARC 21 schema's
 * typed definitions name them. */
static const char *material(char form, char level) {
  switch (form) {
  case 'a':
    /* Language material that is serial or integrating is a continuing
     * resource (leader/07 b, i, s); 006 has its own 's' for that. */
    return level == 'b' || level == 'i' || level == 's' ? "CR" : "BK";
  case 't': return "BK";
  case 's': return "CR";
  case 'm': return "CF";
  case 'e':
  case 'f': return "MP";
  case 'c':
  case 'd':
  case 'i':
  case 'j': return "MU";
  case 'p': return "MX";
  case 'g':
  case 'k':
  case 'o':
  case 'r': return "VM";
  default: return NULL;
  }
}

/* "007a" ... "007z": the category of material of a 007. */
static const char *const cat007[26] = {
    "007a", "007b", "007c", "007d", "007e", "007f", "007g", "007h", "007i",
    "007j", "007k", "007l", "007m", "007n", "007o", "007p", "007q", "007r",
    "007s", "007t", "007u", "007v", "007w", "007x", "007y", "007z"};

/* leader/06 as a one-character type name: "a\0b\0..." indexed by 2*k. */
static const char lower[] = "a\0b\0c\0d\0e\0f\0g\0h\0i\0j\0k\0l\0m\0"
                            "n\0o\0p\0q\0r\0s\0t\0u\0v\0w\0x\0y\0z";

int av_generic_only;

/* A MARC 21 data field that passes every check, settled without the
 * generic machinery (avram_field.h), which a field with anything to report
 * goes through instead: its tag defined (`number` is its three digits'
 * value), not deprecated, repeatable or not seen before, with a subfield
 * schedule and no required subfield; both indicators there, allowed by
 * marc_record_validate and by the definition; data starting with a
 * delimiter; and each subfield code a lowercase letter or digit whose
 * subfield is quiet (defined, not deprecated, no value check), repeated
 * only if repeatable. Such a field gets no problem and no structure
 * diagnostic from the generic path either; the only thing that path would
 * change is the field's count, changed here. 1: settled; 0: the generic
 * path must look. */
static int clean_data_field(av_state *st, const marc_record *rec,
                            const marc_field *mf, uint32_t number) {
  const marc_schema *s = st->s;
  uint32_t di = av_first_of_number(s, number);
  if (di == AV_NONE) return 0;
  const av_field *def = &s->fields.v[di];
  const uint8_t *ok0 = def->ind_ok[0], *ok1 = def->ind_ok[1];
  if (def->deprecated || !def->has_subfields || def->has_required ||
      (st->seen[di] && !def->repeatable) || mf->ind_missing || !ok0 || !ok1 ||
      !av_has_bit(ok0, mf->ind1) || !av_has_bit(ok1, mf->ind2) ||
      !marc__indicator_ok(mf->ind1) || !marc__indicator_ok(mf->ind2))
    return 0;
  const uint8_t *p = rec->bytes + mf->off, *end = p + mf->len;
  if (p == end || *p != MARC_SD) return 0;
  marc__delims d;
  marc__delims_start(&d, rec->bytes, p, end);
  uint64_t seen[2] = {0, 0}; /* codes seen, a bit per ASCII code */
  while (p < end) {          /* p is at a delimiter */
    const uint8_t *code = p + 1;
    if (code == end || !marc__subfield_code_ok(*code)) return 0;
    unsigned c = *code, w = c >> 6;
    uint64_t bit = (uint64_t)1 << (c & 63);
    if (!(def->quiet_codes[w] & bit) ||
        (seen[w] & bit & ~def->quiet_repeatable[w]))
      return 0;
    seen[w] |= bit;
    p = marc__delims_from(&d, code + 1);
  }
  if (st->seen[di] < 255) st->seen[di]++;
  return 1;
}

/* The schema checks of a record, and with `structure` (the same record)
 * marc_record_validate's checks of each field in the same pass, the
 * subfield codes checked by the schema's subfield scan: the diagnostics
 * and problems come out in the order of the two calls one after the
 * other. *diags gets the structure problems added. */
static int64_t check_record(const marc_schema *s, const marc_record *rec,
                            const marc_schema_options *opt,
                            marc_schema_callback cb, void *ctx,
                            marc_record *structure, int64_t *diags) {
  av_state st;
  if (av_begin(&st, s, av_rules(s, opt), cb, ctx) < 0) return -1;
  st.record = rec->index;
  st.record_offset = rec->offset;
  st.structure = structure;
  int64_t nd = 0;
  int failed = 0; /* a structure check ran out of memory */
  if (structure && (nd = marc__check_leader(structure)) < 0) failed = 1;
  const char *ldr = rec->leader;
  const char *types[2];
  size_t ntypes = 0;
  if (ldr[6] >= 'a' && ldr[6] <= 'z')
    types[ntypes++] = lower + 2 * (ldr[6] - 'a');
  const char *mat = material(ldr[6], ldr[7]);
  if (mat) types[ntypes++] = mat;

  av_rec_field f = {.tag = "LDR",
                    .tag_len = 3,
                    .data = (const uint8_t *)ldr,
                    .len = 24,
                    .offset = rec->offset,
                    .types = types,
                    .ntypes = ntypes};
  /* A schema without LDR says nothing about the leader (the DuckDB rule
   * packs, most local profiles): not an undefined field. */
  if (s->ldr && !failed) av_check_field(&st, &f, 0);
  /* Fields of a record parsed from ISO 2709 and unedited have absolute
   * offsets; records built (from MARCXML, JSON, MARCMaker, or edited)
   * point at the record's start. */
  int placed = rec->raw_len != 0 && rec->keep_layout;
  const char *own[1]; /* an 006's or 007's own record type */
  /* clean_data_field decides for MARC schemas (no occurrences or
   * counters) while the validator runs and nothing asked it to stop. */
  int settle =
      !s->has_ranges && av_on(&st, MARC_AV_INVALID_RECORD) && !av_generic_only;
  for (size_t i = 0; i < rec->nfields && !failed && !st.nomem; i++) {
    /* Problems stop when the callback asks; the structure checks go on. */
    if (st.stop && !structure) break;
    const marc_field *mf = &rec->fields[i];
    const char *tg = mf->tag;
    /* The tag as a number, once: most checks below ask about it. */
    unsigned d0 = (unsigned)(tg[0] - '0'), d1 = (unsigned)(tg[1] - '0'),
             d2 = (unsigned)(tg[2] - '0');
    int numeric = (d0 < 10) & (d1 < 10) & (d2 < 10);
    int control = tg[0] == '0' && tg[1] == '0'; /* marc__is_control */
    if (settle && numeric && !control && !st.stop &&
        clean_data_field(&st, rec, mf, d0 * 100 + d1 * 10 + d2))
      continue;
    if (structure && !marc__field_head_clean(mf)) {
      int64_t k = marc__check_field_head(structure, mf);
      if (k < 0) {
        failed = 1;
        break;
      }
      nd += k;
    }
    /* Every member the validator reads is set (no struct cleared per
     * field: this loop runs for every field validated). */
    f.tag = tg;
    /* Tags are three bytes; one with a NUL in it is shorter. */
    f.tag_len = numeric || (tg[0] && tg[1] && tg[2]) ? 3 : strlen(tg);
    f.number1 = numeric ? d0 * 100 + d1 * 10 + d2 + 1 : 0;
    f.data = rec->bytes + mf->off;
    f.len = mf->len;
    f.readable = rec->bytes;
    f.offset = placed ? rec->offset + mf->off : rec->offset;
    f.types = types;
    f.ntypes = ntypes;
    f.variable = !control;
    f.has_ind[0] = f.has_ind[1] = !control && mf->ind_missing == 0;
    if (!control) {
      f.ind[0] = mf->ind1;
      f.ind[1] = mf->ind2;
      f.ind_offset = placed && f.offset >= 2 ? f.offset - 2 : f.offset;
    } else if (tg[2] == '6' || tg[2] == '7') {
      /* 006 and 007 describe their own material, by their first
       * character, whatever the leader says. */
      own[0] = NULL;
      if (mf->len) {
        uint8_t c = f.data[0];
        own[0] = tg[2] == '6'           ? material((char)c, 0)
                 : c >= 'a' && c <= 'z' ? cat007[c - 'a']
                                        : NULL;
      }
      f.types = own;
      f.ntypes = own[0] ? 1 : 0;
    }
    st.mfield = mf;
    st.subfields = 0;
    st.scan_end = NULL;
    av_field_check(&st, &f, 1);
    if (structure && f.variable && !st.nomem) {
      /* The subfields the schema did not scan (an undefined field, one
       * without a subfield schedule, rules off, or the scan stopped). */
      size_t count = st.subfields;
      const uint8_t *from = st.scan_end ? st.scan_end : f.data;
      int64_t k = 0, e = 0;
      if (from < f.data + f.len)
        k = marc__check_subfields(structure, mf, from, &count);
      if (!count && k >= 0) e = marc__check_field_end(structure, mf, count);
      if (k < 0 || e < 0) failed = 1;
      nd += k + e;
    }
  }
  if (failed) st.stop = 1;
  int64_t n = av_end(&st);
  if (diags) *diags = nd + st.structure_found;
  return failed || n < 0 ? -1 : n;
}

int64_t marc_schema_validate(const marc_schema *s, const marc_record *rec,
                             const marc_schema_options *opt,
                             marc_schema_callback cb, void *ctx) {
  if (!s || !rec) return -1;
  return check_record(s, rec, opt, cb, ctx, NULL, NULL);
}

int64_t marc_record_validate_schema(marc_record *rec, const marc_schema *s,
                                    const marc_schema_options *opt,
                                    marc_schema_callback cb, void *ctx,
                                    int64_t *diags) {
  if (diags) *diags = 0;
  if (!rec) return -1;
  if (!s) {
    int64_t n = marc_record_validate(rec);
    if (n >= 0 && diags) *diags = n;
    return n < 0 ? -1 : 0;
  }
  return check_record(s, rec, opt, cb, ctx, rec, diags);
}

const char *marc_schema_label(const marc_schema *s, const char *tag,
                              char code) {
  if (!s || !tag) return NULL;
  av_rec_field f = {.tag = tag, .tag_len = strlen(tag)};
  uint32_t di = av_lookup(s, &f);
  if (di == AV_NONE) return NULL;
  const av_field *d = &s->fields.v[di];
  if (!code) return d->label;
  for (uint32_t k = 0; k < d->sub_count; k++) {
    const av_subfield *sf = &s->subfields.v[d->sub_first + k];
    if (sf->code[0] == code && !sf->code[1]) return sf->label;
  }
  return NULL;
}

/* Printable copy of a value for a message: controls as '?', cut at 40
 * bytes (a cut may split a UTF-8 character; the message is for people). */
static void show(char *out, size_t cap, const uint8_t *v, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n && k + 4 < cap && i < 40; i++)
    out[k++] = v[i] < 0x20 || v[i] == 0x7F ? '?' : (char)v[i];
  if (n > 40 && k + 4 < cap) {
    memcpy(out + k, "...", 3);
    k += 3;
  }
  out[k] = 0;
}

char *marc_schema_problem_message(const marc_schema_problem *p, char *buf,
                                  size_t n) {
  if (!buf || !n) return buf;
  buf[0] = 0;
  if (!p) return buf;
  char where[64], val[48] = "";
  int w = snprintf(where, sizeof where, "field %s", p->tag);
  if (p->indicator && w > 0 && (size_t)w < sizeof where)
    w += snprintf(where + w, sizeof where - (size_t)w, " indicator%u",
                  p->indicator);
  if (p->code && w > 0 && (size_t)w < sizeof where)
    w += snprintf(where + w, sizeof where - (size_t)w, " subfield %c",
                  p->code >= 0x20 && p->code < 0x7F ? p->code : '?');
  if (p->position && w > 0 && (size_t)w < sizeof where)
    snprintf(where + w, sizeof where - (size_t)w, " position %s", p->position);
  if (p->value) show(val, sizeof val, p->value, p->value_len);
  switch (p->rule) {
  case MARC_AV_UNDEFINED_FIELD:
    snprintf(buf, n, "unknown field %s", p->tag);
    break;
  case MARC_AV_DEPRECATED_FIELD:
    snprintf(buf, n, "field %s is deprecated", p->tag);
    break;
  case MARC_AV_NONREPEATABLE_FIELD:
    snprintf(buf, n, "field %s must not be repeated", p->tag);
    break;
  case MARC_AV_MISSING_FIELD:
    snprintf(buf, n, "missing field %s", p->tag);
    break;
  case MARC_AV_INVALID_INDICATOR:
    if (p->value)
      snprintf(buf, n, "value '%s' in %s is not defined in codelist", val,
               where);
    else snprintf(buf, n, "%s is missing", where);
    break;
  case MARC_AV_UNDEFINED_SUBFIELD: snprintf(buf, n, "unknown %s", where); break;
  case MARC_AV_DEPRECATED_SUBFIELD:
    snprintf(buf, n, "%s is deprecated", where);
    break;
  case MARC_AV_NONREPEATABLE_SUBFIELD:
    snprintf(buf, n, "%s must not be repeated", where);
    break;
  case MARC_AV_MISSING_SUBFIELD: snprintf(buf, n, "missing %s", where); break;
  case MARC_AV_PATTERN_MISMATCH:
    snprintf(buf, n, "value '%s' does not match regex pattern '%.40s' in %s",
             val, p->pattern ? p->pattern : "", where);
    break;
  case MARC_AV_INVALID_POSITION:
    snprintf(buf, n, "%s does not exist", where);
    break;
  case MARC_AV_INVALID_FLAG:
    snprintf(buf, n, "value '%s' is not defined in flags in %s", val, where);
    break;
  case MARC_AV_UNDEFINED_CODE:
    snprintf(buf, n, "value '%s' is not defined in codelist in %s", val, where);
    break;
  case MARC_AV_DEPRECATED_CODE:
    snprintf(buf, n, "value '%s' is deprecated in codelist in %s", val, where);
    break;
  case MARC_AV_COUNT_RECORD:
  case MARC_AV_COUNT_FIELD:
  case MARC_AV_COUNT_SUBFIELD: {
    char what[40];
    if (p->rule == MARC_AV_COUNT_RECORD) snprintf(what, sizeof what, "records");
    else if (p->code)
      snprintf(what, sizeof what, "subfield '%.8s$%c'", p->tag,
               p->code >= 0x20 && p->code < 0x7F ? p->code : '?');
    else snprintf(what, sizeof what, "field '%.8s'", p->tag);
    int total = p->value_len == 5 && !memcmp(p->value, "total", 5);
    if (p->rule == MARC_AV_COUNT_RECORD)
      snprintf(buf, n, "expected %" PRId64 " records, got %" PRId64,
               p->expected, p->found);
    else if (total)
      snprintf(buf, n,
               "expected %s total count to be %" PRId64 ", got %" PRId64, what,
               p->expected, p->found);
    else
      snprintf(buf, n, "expected %s in %" PRId64 " records, got %" PRId64, what,
               p->expected, p->found);
    break;
  }
  case MARC_AV_UNDEFINED_CODELIST:
    snprintf(buf, n, "unknown codelist '%s' in %s", val, where);
    break;
  default:
    snprintf(buf, n, "%s in %s", marc_schema_rule_name(p->rule), where);
    break;
  }
  return buf;
}
