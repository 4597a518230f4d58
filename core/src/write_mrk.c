/* MARCMaker (.mrk) writer, in the text form MarcEdit writes. */
#include "fmt_utf8.h"
#include "fmt_write.h"
#include "internal.h"
#include "write_care.h"

/* In the leader and control fields ("fixed") blanks become '\' (so a
 * literal backslash must become {bsol}); everywhere '$' is the subfield
 * mark, so a literal one becomes {dollar}, and braces, which open
 * mnemonics, become {lcub} and {rcub}; in data fields the delimiter
 * becomes '$'. A line feed (or a carriage return ending the value)
 * becomes '?': the line must go on (marc_write_changes reports it). These
 * flag the bytes that are not copied as they are, and every C0 control
 * (one test for line breaks and the delimiter): the other controls are
 * copied as they are, but a record or field terminator is noted for
 * marc_write_changes (write_care.h). */
static inline uint64_t mrk_hit_common(uint64_t w) {
  return marc__w_eq(w, '$') | marc__w_eq(w, '{') | marc__w_eq(w, '}') |
         ((w - MARC__ONES * 0x20) & ~w & MARC__HIGHS); /* below 0x20 */
}

static inline uint64_t mrk_hit_data(uint64_t w) { return mrk_hit_common(w); }

#if MARC__V16
static inline __m128i mrk_vhit_common(__m128i v) {
  /* Unsigned below 0x20: min(v, 0x1F) == v. */
  __m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(v, MARC__VSET(0x1F)), v);
  return MARC__VOR(MARC__VOR(MARC__VOR(MARC__VEQ(v, '$'), MARC__VEQ(v, '{')),
                             MARC__VEQ(v, '}')),
                   ctl);
}
static inline unsigned mrk_vhit_data(__m128i v) {
  return MARC__VMASK(mrk_vhit_common(v));
}
#endif

/* The mnemonic for '$', '{' or '}'; '?' for a line feed, and for a
 * carriage return at the end of the value (`last`), where CR LF would be
 * read as LF; a carriage return elsewhere as it is. */
static inline uint8_t *mnemonic(uint8_t *o, uint8_t c, int last) {
  if (c == '\n' || c == '\r') {
    *o++ = c == '\n' || last ? '?' : '\r';
    return o;
  }
  if (c == '$') EMIT("{dollar}");
  else if (c == '{') EMIT("{lcub}");
  else EMIT("{rcub}");
  return o;
}

/* A control but a line break is copied as it is; each one sets *care
 * (a line break, a terminator: marc_write_changes reports those). */
static inline uint8_t *put_other(uint8_t *o, uint8_t c, int last, int *care) {
  if (c < 0x20) {
    *care = 1;
    if (c != '\n' && c != '\r') {
      *o++ = c;
      return o;
    }
  }
  return mnemonic(o, c, last);
}

/* '\' - ' ': added to a blank, gives the backslash that stands for it. */
#define MRK_BLANK_TO_BACKSLASH 0x3C

/* Room: 8 bytes per input byte ({dollar}) plus MARC__WORD_SLACK. Blanks,
 * most of a leader's and an 008's bytes, are turned into '\' inside the
 * word copy (a blank stopping the copy cost ~20 instructions a byte); the
 * copy stops at the bytes written otherwise. */
static uint8_t *put_fixed(uint8_t *o, const uint8_t *p, const uint8_t *end,
                          int *care) {
  for (;;) {
#if MARC__V16
    while (end - p >= 16) {
      __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
      unsigned hit =
          MARC__VMASK(MARC__VOR(mrk_vhit_common(v), MARC__VEQ(v, '\\')));
      __m128i blank =
          _mm_and_si128(MARC__VEQ(v, ' '), MARC__VSET(MRK_BLANK_TO_BACKSLASH));
      _mm_storeu_si128((__m128i *)(void *)o, _mm_add_epi8(v, blank));
      if (!hit) {
        o += 16, p += 16;
        continue;
      }
      size_t k = (size_t)__builtin_ctz(hit);
      o += k, p += k;
      goto special;
    }
#endif
    /* Eight bytes at a time, the last few padded with plain bytes. */
    while (p < end) {
      size_t left = (size_t)(end - p), step = left < 8 ? left : 8;
      uint64_t w = left >= 8 ? marc__load8(p) : marc__load_tail(p, left);
      uint64_t hit = mrk_hit_common(w) | marc__w_eq(w, '\\');
      marc__store8(o, w + (marc__w_eq_exact(w, ' ') >> 7) *
                              MRK_BLANK_TO_BACKSLASH);
      if (!hit) {
        o += step, p += step;
        continue;
      }
      size_t k = marc__w_first(hit);
      o += k, p += k;
      goto special;
    }
    return o;
  special:;
    uint8_t c = *p++;
    if (c == '\\') EMIT("{bsol}");
    else o = put_other(o, c, p == end, care);
  }
}

static uint8_t *put_data(uint8_t *o, const uint8_t *p, const uint8_t *end,
                         int *care) {
  for (;;) {
    MARC__COPY_PLAIN(o, p, end, mrk_hit_data(w), mrk_vhit_data(v));
    if (p == end) return o;
    uint8_t c = *p++;
    if (c != MARC_SD) {
      o = put_other(o, c, p == end, care);
      continue;
    }
    *o++ = '$';
    /* A subfield code is one byte, or a character split by the delimiter
     * copied whole (marc__line_code_len); a byte marc__line_byte would
     * change is written as '?'. Any other code is escaped like text. */
    if (p == end || marc__line_byte((char)*p) == (char)*p) continue;
    size_t k = marc__line_code_len(p, (size_t)(end - p));
    if (k > 1) {
      memcpy(o, p, k);
      o += k;
      p += k;
    } else {
      *o++ = '?';
      *care = 1;
      p++;
    }
  }
}

marc_status marc__write_mrk(const marc_record *rec, marc_buf *out,
                            marc__care *care) {
  if (!rec || !out) return MARC_E_ARG;
  size_t mark = out->len; /* nothing is appended on failure */
  if (marc__fmt_room(out, 8, 24, 32) != MARC_OK) return MARC_E_NOMEM;
  uint8_t *o = out->data + out->len;
  EMIT("=LDR  ");
  uint8_t leader[24];
  int odd = 0; /* a control (line break, structural) or a byte from 0x80 */
  for (size_t i = 0; i < 24; i++) {
    uint8_t c = (uint8_t)rec->leader[i];
    odd |= c < 0x20 || c >= 0x80;
    leader[i] = (uint8_t)marc__line_byte((char)c);
  }
  care->leader = odd;
  o = put_fixed(o, leader, leader + 24, &odd);
  *o++ = '\n';
  out->len = (size_t)(o - out->data);
  for (size_t i = 0; i < rec->nfields; i++) {
    const marc_field *f = &rec->fields[i];
    if (marc__fmt_room(out, 8, f->len, 32) != MARC_OK) {
      out->len = mark;
      return MARC_E_NOMEM;
    }
    o = out->data + out->len;
    o[0] = '=';
    o[1] = (uint8_t)marc__line_byte(f->tag[0]);
    o[2] = (uint8_t)marc__line_byte(f->tag[1]);
    o[3] = (uint8_t)marc__line_byte(f->tag[2]);
    /* A field tagged LDR would read back as the next record's leader:
     * its last tag byte is written '?' (marc_write_changes reports it). */
    int changed = o[1] != (uint8_t)f->tag[0] || o[2] != (uint8_t)f->tag[1] ||
                  o[3] != (uint8_t)f->tag[2];
    if (marc__mrk_leader_tag(f->tag)) o[3] = '?', changed = 1;
    o[4] = ' ';
    o[5] = ' ';
    o += 6;
    const uint8_t *p = rec->bytes + f->off, *end = p + f->len;
    if (marc__is_control(f->tag)) {
      o = put_fixed(o, p, end, &changed);
    } else {
      uint8_t i1 = f->ind1, i2 = f->ind2;
      /* An indicator '\\', a control or a byte from 0x80 may be reported. */
      changed |= i1 < 0x20 || i1 >= 0x80 || i1 == '\\' || i2 < 0x20 ||
                 i2 >= 0x80 || i2 == '\\';
      *o++ = i1 == ' ' ? '\\' : (uint8_t)marc__line_byte((char)i1);
      *o++ = i2 == ' ' ? '\\' : (uint8_t)marc__line_byte((char)i2);
      o = put_data(o, p, end, &changed);
    }
    if (changed) marc__care_field(care, i);
    *o++ = '\n';
    out->len = (size_t)(o - out->data);
  }
  if (marc__fmt_room(out, 1, 0, 1) != MARC_OK) {
    out->len = mark;
    return MARC_E_NOMEM;
  }
  return PUT("\n");
}

marc_status marc_write_mrk(const marc_record *rec, marc_buf *out) {
  marc__care care = {{0}, 0, 0};
  return marc__write_mrk(rec, out, &care);
}
