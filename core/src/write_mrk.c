/* MARCMaker (.mrk) writer, in the text form MarcEdit writes. */
#include "fmt_utf8.h"
#include "fmt_write.h"
#include "internal.h"

/* In the leader and control fields ("fixed") blanks become '\' (so a
 * literal backslash must become {bsol}); everywhere '$' is the subfield
 * mark, so a literal one becomes {dollar}, and braces, which open
 * mnemonics, become {lcub} and {rcub}; in data fields the delimiter
 * becomes '$'. A line feed (or a carriage return ending the value)
 * becomes '?': the line must go on (marc_write_changes reports it). These
 * flag the bytes that are not copied as they are. */
static inline uint64_t mrk_hit_common(uint64_t w) {
  return marc__w_eq(w, '$') | marc__w_eq(w, '{') | marc__w_eq(w, '}') |
         marc__w_eq(w, '\n') | marc__w_eq(w, '\r');
}

static inline uint64_t mrk_hit_data(uint64_t w) {
  return mrk_hit_common(w) | marc__w_eq(w, MARC_SD);
}

static inline uint64_t mrk_hit_fixed(uint64_t w) {
  return mrk_hit_common(w) | marc__w_eq(w, '\\') | marc__w_eq(w, ' ');
}

#if MARC__V16
static inline __m128i mrk_vhit_common(__m128i v) {
  __m128i brk = MARC__VOR(MARC__VEQ(v, '\n'), MARC__VEQ(v, '\r'));
  return MARC__VOR(MARC__VOR(MARC__VOR(MARC__VEQ(v, '$'), MARC__VEQ(v, '{')),
                             MARC__VEQ(v, '}')),
                   brk);
}
static inline unsigned mrk_vhit_data(__m128i v) {
  return MARC__VMASK(MARC__VOR(mrk_vhit_common(v), MARC__VEQ(v, MARC_SD)));
}
static inline unsigned mrk_vhit_fixed(__m128i v) {
  __m128i m = MARC__VOR(mrk_vhit_common(v), MARC__VEQ(v, '\\'));
  return MARC__VMASK(MARC__VOR(m, MARC__VEQ(v, ' ')));
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

/* Room: 8 bytes per input byte ({dollar}) plus MARC__WORD_SLACK. */
static uint8_t *put_fixed(uint8_t *o, const uint8_t *p, const uint8_t *end) {
  for (;;) {
    MARC__COPY_PLAIN(o, p, end, mrk_hit_fixed(w), mrk_vhit_fixed(v));
    if (p == end) return o;
    uint8_t c = *p++;
    if (c == ' ') *o++ = '\\';
    else if (c == '\\') EMIT("{bsol}");
    else o = mnemonic(o, c, p == end);
  }
}

static uint8_t *put_data(uint8_t *o, const uint8_t *p, const uint8_t *end) {
  for (;;) {
    MARC__COPY_PLAIN(o, p, end, mrk_hit_data(w), mrk_vhit_data(v));
    if (p == end) return o;
    uint8_t c = *p++;
    if (c != MARC_SD) {
      o = mnemonic(o, c, p == end);
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
      p++;
    }
  }
}

marc_status marc_write_mrk(const marc_record *rec, marc_buf *out) {
  if (!rec || !out) return MARC_E_ARG;
  size_t mark = out->len; /* nothing is appended on failure */
  if (marc__fmt_room(out, 8, 24, 32) != MARC_OK) return MARC_E_NOMEM;
  uint8_t *o = out->data + out->len;
  EMIT("=LDR  ");
  uint8_t leader[24];
  for (size_t i = 0; i < 24; i++)
    leader[i] = (uint8_t)marc__line_byte(rec->leader[i]);
  o = put_fixed(o, leader, leader + 24);
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
    if (marc__mrk_leader_tag(f->tag)) o[3] = '?';
    o[4] = ' ';
    o[5] = ' ';
    o += 6;
    const uint8_t *p = rec->bytes + f->off, *end = p + f->len;
    if (marc__is_control(f->tag)) {
      o = put_fixed(o, p, end);
    } else {
      *o++ = f->ind1 == ' ' ? '\\' : (uint8_t)marc__line_byte((char)f->ind1);
      *o++ = f->ind2 == ' ' ? '\\' : (uint8_t)marc__line_byte((char)f->ind2);
      o = put_data(o, p, end);
    }
    *o++ = '\n';
    out->len = (size_t)(o - out->data);
  }
  if (marc__fmt_room(out, 1, 0, 1) != MARC_OK) {
    out->len = mark;
    return MARC_E_NOMEM;
  }
  return PUT("\n");
}
