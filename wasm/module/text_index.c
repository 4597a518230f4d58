/* text_index.c: a record's text as JS will see it. The text of a field is
 * its data with every byte sequence that is not UTF-8 replaced by U+FFFD
 * as TextDecoder does, so the UTF-16 offsets computed here (fields and
 * subfields, split as marc_subfield_next splits them) are those of the
 * string JS decodes; JS then only calls substring().
 *
 * Subfields are split by marc_subfield_next's rule (text before the first
 * delimiter gets code 0; a delimiter ending the data is no subfield), but
 * not with it: it yields byte ranges, and JS needs UTF-16 offsets, which
 * only this file counts. Most MARC data is ASCII, so the hot paths go a
 * word (8 bytes) at a time: one scan finds every delimiter of a record's
 * ASCII field span, which is then dealt out to the fields. */
#include "glue.h"

#include "fmt_utf8.h"

#include <stdlib.h>
#include <string.h>

/* Room for `more` subfields. */
static int sub_reserve(sub_list *s, size_t more) {
  if (s->cap - s->n >= more) return 0;
  size_t cap = s->cap ? s->cap : 256;
  while (cap - s->n < more) cap *= 2;
  wasm_sub *v = realloc(s->v, cap * sizeof *v);
  if (!v) return -1;
  s->v = v;
  s->cap = cap;
  return 0;
}

static int sub_push(sub_list *s, uint32_t code, uint32_t at) {
  if (sub_reserve(s, 1) != 0) return -1;
  s->v[s->n].code = code;
  s->v[s->n].at = at;
  s->v[s->n].len = 0;
  s->n++;
  return 0;
}

/* Bytes of the 8-byte word `w` that end a plain ASCII run: a delimiter
 * (0x1F) or a byte >= 0x80, as the top bit of each such byte. The zero-byte
 * test can also flag a byte just above a real match (borrow), never below
 * one, so the lowest flag is exact, which is all the caller uses. */
static uint64_t run_enders(uint64_t w) {
  const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
  uint64_t x = w ^ (ones * 0x1F);
  return ((x - ones) & ~x & high) | (w & high);
}

/* What indexing one field's data found. */
typedef struct field_text {
  uint32_t units; /* UTF-16 units of the decoded text */
  int ascii;      /* every byte below 0x80 */
  int bad;        /* some bytes are not UTF-8 (each maximal invalid subpart
                     decodes to one U+FFFD) */
} field_text;

/* Close the open subfield (the last one pushed) where its value ends. */
static void sub_close(sub_list *subs, uint32_t end) {
  wasm_sub *s = &subs->v[subs->n - 1];
  s->len = end - s->at - (s->code ? (s->code > 0xFFFF ? 2 : 1) : 0);
}

/* Index field data p[0..n) as TextDecoder decodes it, without copying it:
 * its UTF-16 length, and with `subs` non-NULL its subfields as
 * marc_subfield_next splits them (text before the first delimiter gets
 * code 0; a delimiter ending the data is no subfield), at UTF-16 offsets
 * from the field's start. */
static marc_status index_field_any(const uint8_t *p, size_t n, sub_list *subs,
                                   field_text *ft) {
  uint32_t u = 0;
  int open = 0; /* a subfield is open: its value ends at the next delimiter */
  ft->ascii = 1;
  ft->bad = 0;
  if (subs && n && p[0] != 0x1F) {
    if (sub_push(subs, 0, 0) != 0) return MARC_E_NOMEM;
    open = 1;
  }
  size_t i = 0;
  while (i < n) {
    /* Plain ASCII, 8 bytes at a time (one UTF-16 unit per byte): most
     * MARC data. */
    while (i + 8 <= n) {
      uint64_t w;
      memcpy(&w, p + i, 8);
      uint64_t m = run_enders(w);
      if (m) {
        size_t k = (size_t)__builtin_ctzll(m) >> 3;
        i += k;
        u += (uint32_t)k;
        break;
      }
      i += 8;
      u += 8;
    }
    if (i >= n) break;
    uint8_t c = p[i];
    if (c == 0x1F && subs) {
      if (open) sub_close(subs, u);
      open = 0;
      u++;
      i++;
      if (i >= n) break; /* lone delimiter at the end: no subfield */
      /* The code: one character (one or two UTF-16 units), even 0x1F. */
      uint32_t at = u, code = p[i];
      if (code < 0x80) {
        u++;
        i++;
      } else {
        ft->ascii = 0;
        size_t bad = 0, k = marc__utf8_check(p + i, n - i, &bad);
        if (k) {
          uint32_t cp = code & (k == 2 ? 0x1F : k == 3 ? 0x0F : 0x07);
          for (size_t j = 1; j < k; j++) cp = cp << 6 | (p[i + j] & 0x3F);
          i += k;
          u += cp >= 0x10000 ? 2 : 1;
          code = cp;
        } else {
          ft->bad = 1;
          i += bad;
          u++;
          code = 0xFFFD;
        }
      }
      if (sub_push(subs, code, at) != 0) return MARC_E_NOMEM;
      open = 1;
      continue;
    }
    if (c < 0x80) {
      u++;
      i++;
      continue;
    }
    ft->ascii = 0;
    size_t bad = 0, k = marc__utf8_check(p + i, n - i, &bad);
    if (k) {
      i += k;
      u += k == 4 ? 2 : 1;
    } else {
      ft->bad = 1;
      i += bad;
      u++;
    }
  }
  if (open) sub_close(subs, u);
  ft->units = u;
  return MARC_OK;
}

#define WORD_ONES 0x0101010101010101ull
#define WORD_HIGH 0x8080808080808080ull

/* The top bit of each byte of `w` equal to 0x1F, exactly (no borrow). */
static uint64_t delimiter_bytes(uint64_t w) {
  const uint64_t low7 = ~WORD_HIGH;
  uint64_t x = w ^ (WORD_ONES * 0x1F);
  return ~(((x & low7) + low7) | x) & WORD_HIGH;
}

static int delims_reserve(delim_list *d, size_t n) {
  if (n <= d->cap) return 0;
  uint32_t *v = realloc(d->v, n * sizeof *v);
  if (!v) return -1;
  d->v = v;
  d->cap = n;
  return 0;
}

/* The word of p[0..n) at byte i; the last one zero-padded (zero is plain). */
static inline uint64_t load_word(const uint8_t *p, size_t n, size_t i) {
  uint64_t w = 0;
  if (i + 8 <= n) {
    memcpy(&w, p + i, 8);
  } else {
    for (size_t j = i; j < n; j++) w |= (uint64_t)p[j] << (8 * (j - i));
  }
  return w;
}

/* The offsets of the delimiters of ASCII data p[0..n), ascending, into
 * dl (room for n), a word at a time, each from a bit mask (no branch per
 * byte). Returns their count, or SIZE_MAX at the first byte >= 0x80. */
static size_t ascii_delimiters(const uint8_t *p, size_t n, uint32_t *dl) {
  size_t nd = 0;
  for (size_t i = 0; i < n; i += 8) {
    uint64_t w = load_word(p, n, i);
    /* Most words are ASCII without a delimiter: one test for both (the
     * "has a zero byte" test after the XOR may flag a byte that is not a
     * delimiter, never miss one), the exact mask only after a flag. */
    uint64_t x = w ^ (WORD_ONES * 0x1F);
    if (!((w | ((x - WORD_ONES) & ~x)) & WORD_HIGH)) continue;
    if (w & WORD_HIGH) return SIZE_MAX;
    for (uint64_t m = delimiter_bytes(w); m; m &= m - 1)
      dl[nd++] = (uint32_t)(i + ((size_t)__builtin_ctzll(m) >> 3));
  }
  return nd;
}

/* The subfields of the ASCII field p[a..b) into v[k..], at offsets from
 * `a`, as index_field_any splits it, taking its delimiters from dl[*di..nd)
 * (ascending offsets into p; those before `a` are skipped, *di ends past
 * the field). Room must be reserved. Returns the new subfield count. */
static size_t deal_subfields(const uint8_t *p, uint32_t a, uint32_t b,
                             const uint32_t *dl, size_t nd, size_t *di,
                             wasm_sub *v, size_t k) {
  size_t j = *di;
  while (j < nd && dl[j] < a) j++;
  int open = 0;
  if (a < b && p[a] != 0x1F) {
    v[k].code = 0;
    v[k].at = 0;
    k++;
    open = 1;
  }
  uint32_t next = a; /* a delimiter before this is a subfield code */
  for (; j < nd && dl[j] < b; j++) {
    uint32_t d = dl[j];
    if (d < next) continue;
    if (open) v[k - 1].len = d - a - v[k - 1].at - (v[k - 1].code ? 1 : 0);
    open = 0;
    if (d + 1 >= b) continue; /* lone delimiter at the end: no subfield */
    v[k].code = p[d + 1];
    v[k].at = d + 1 - a;
    k++;
    open = 1;
    next = d + 2;
  }
  if (open) v[k - 1].len = b - a - v[k - 1].at - (v[k - 1].code ? 1 : 0);
  *di = j;
  return k;
}

/* index_field_any for the common case, ASCII data: its delimiters found
 * a word at a time, then dealt out. Falls back to index_field_any at the
 * first byte >= 0x80. */
static marc_status index_field(const uint8_t *p, size_t n, sub_list *subs,
                               delim_list *scratch, field_text *ft) {
  ft->ascii = 1;
  ft->bad = 0;
  ft->units = (uint32_t)n;
  if (delims_reserve(scratch, n + 1) != 0) return MARC_E_NOMEM;
  size_t nd = ascii_delimiters(p, n, scratch->v);
  if (nd == SIZE_MAX) return index_field_any(p, n, subs, ft);
  if (!subs) return MARC_OK;
  /* One subfield per delimiter at most, plus the text before the first. */
  if (sub_reserve(subs, nd + 1) != 0) return MARC_E_NOMEM;
  size_t di = 0;
  subs->n =
      deal_subfields(p, 0, (uint32_t)n, scratch->v, nd, &di, subs->v, subs->n);
  return MARC_OK;
}

/* Also asked of the bytes between two fields (terminator, indicators). */
int glue_is_ascii(const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i] >= 0x80) return 0;
  return 1;
}

/* Append field data to `text` as TextDecoder would decode it: the bytes
 * as they are, or with `bad` each maximal invalid subpart as U+FFFD. */
static marc_status copy_field_text(marc_buf *text, const uint8_t *p, size_t n,
                                   int bad) {
  if (!bad) return n ? marc_buf_append(text, p, n) : MARC_OK;
  if (marc_buf_reserve(text, n * 3) != MARC_OK) return MARC_E_NOMEM;
  uint8_t *o = text->data + text->len;
  for (size_t i = 0; i < n;) {
    size_t nbad = 0,
           k = p[i] < 0x80 ? 1 : marc__utf8_check(p + i, n - i, &nbad);
    if (k) {
      memcpy(o, p + i, k);
      o += k;
      i += k;
    } else {
      *o++ = 0xEF, *o++ = 0xBF, *o++ = 0xBD;
      i += nbad;
    }
  }
  text->len = (size_t)(o - text->data);
  return MARC_OK;
}

/* The common case in one pass: a record read as is (not built) whose
 * fields lie in order in its bytes, all ASCII from the first field to the
 * last. Then the text is those bytes (UTF-16 offsets are byte offsets from
 * the first field), and the delimiters of the whole span, found a word at
 * a time, are dealt out to the fields' subfields as index_field_any would
 * split each field. Returns 0, leaving `fa` and the subfields for the
 * general path, when the record is not such a record; 1 when indexed;
 * -1 when out of memory. *span_end is the end of the last field. */
static int index_ascii_record(encoder *e, const marc_record *rec,
                              const uint8_t *src, size_t nbytes, size_t nf,
                              field_at *fa, size_t *span_end) {
  if (!nf) return 0;
  const marc_field *fs = marc_record_fields(rec);
  size_t prev = 0;
  for (size_t i = 0; i < nf; i++) {
    const marc_field *f = &fs[i];
    if ((i && f->off < prev) || (size_t)f->off + f->len > nbytes) return 0;
    prev = (size_t)f->off + f->len;
  }
  size_t r0 = fs[0].off, n = prev - r0;
  const uint8_t *p = src + r0;
  /* Every delimiter of the span, relative to r0. */
  if (delims_reserve(&e->delims, n + 1) != 0) return -1;
  const uint32_t *dl = e->delims.v;
  size_t nd = ascii_delimiters(p, n, e->delims.v);
  if (nd == SIZE_MAX) return 0;
  /* At most one subfield per delimiter, plus one per field. */
  if (sub_reserve(&e->subs, nd + nf) != 0) return -1;
  size_t k = e->subs.n, di = 0;
  for (size_t i = 0; i < nf; i++) {
    const marc_field *f = &fs[i];
    uint32_t a = f->off - (uint32_t)r0, b = a + f->len;
    fa[i].sub = (uint32_t)k;
    fa[i].units = f->len;
    fa[i].at_bytes = a;
    fa[i].at_copy = 0;
    fa[i].bad = 0;
    fa[i].ascii = 1;
    if (!marc_tag_is_control(f->tag))
      k = deal_subfields(p, a, b, dl, nd, &di, e->subs.v, k);
    fa[i].nsub = (uint32_t)k - fa[i].sub;
  }
  e->subs.n = k;
  *span_end = prev;
  return 1;
}

marc_status glue_index_text(encoder *e, const marc_record *rec, int built,
                            size_t nbytes, marc_buf *text, record_text *rt) {
  size_t nf = marc_record_field_count(rec);
  const marc_field *fs = marc_record_fields(rec);
  const uint8_t *src = marc_record_bytes(rec);
  /* Index the fields' text first: the subfield count sizes the block. */
  e->subs.n = 0;
  if (nf > e->fa_cap) {
    field_at *fa = realloc(e->fa, nf * sizeof *fa);
    if (!fa) return MARC_E_NOMEM;
    e->fa = fa;
    e->fa_cap = nf;
  }
  field_at *fa = e->fa;
  /* The text is read from the block's bytes when every field decodes on
   * its own as it does within them: fields in order, apart by ASCII bytes
   * (terminators, indicators: they end any UTF-8 sequence) or back to back
   * and both valid UTF-8. Else the fields' text is copied to `text`. */
  int in_bytes = nf > 0, ascii = 1;
  size_t region = 0, prev_end = 0, pos = 0;
  uint32_t ub = 0, uc = 0; /* UTF-16 units from the region's start, copied */
  int prev_bad = 0;
  int fast =
      built ? 0 : index_ascii_record(e, rec, src, nbytes, nf, fa, &prev_end);
  if (fast < 0) return MARC_E_NOMEM;
  if (fast) region = fs[0].off;
  for (size_t i = 0; i < nf && !fast; i++) {
    const marc_field *f = &fs[i];
    const uint8_t *d = src + f->off;
    size_t at = built ? pos : f->off; /* where the data is in the bytes */
    pos += f->len;
    field_text ft;
    fa[i].sub = (uint32_t)e->subs.n;
    if (index_field(d, f->len, marc_tag_is_control(f->tag) ? NULL : &e->subs,
                    &e->delims, &ft) != MARC_OK)
      return MARC_E_NOMEM;
    fa[i].nsub = (uint32_t)e->subs.n - fa[i].sub;
    fa[i].bad = (uint8_t)ft.bad;
    fa[i].ascii = (uint8_t)ft.ascii;
    ascii &= ft.ascii;
    if (i == 0) {
      region = at;
    } else if (in_bytes) {
      size_t gap = at - prev_end;
      if (at < prev_end ||
          (gap ? !glue_is_ascii(src + prev_end, gap) : prev_bad || ft.bad))
        in_bytes = 0;
      ub += (uint32_t)gap;
    }
    fa[i].at_bytes = ub;
    fa[i].at_copy = uc;
    fa[i].units = ft.units;
    ub += ft.units;
    uc += ft.units;
    prev_end = at + f->len;
    prev_bad = ft.bad;
  }
  if (prev_end > nbytes) in_bytes = 0;
  size_t text_start = text->len;
  if (!in_bytes) {
    for (size_t i = 0; i < nf; i++) {
      const marc_field *f = &fs[i];
      if (copy_field_text(text, src + f->off, f->len, fa[i].bad) != MARC_OK) {
        text->len = text_start;
        return MARC_E_NOMEM;
      }
    }
  }
  rt->in_bytes = in_bytes;
  rt->ascii = ascii;
  if (in_bytes) {
    rt->off = region;
    rt->len = prev_end - region;
  } else {
    rt->off = text_start;
    rt->len = text->len - text_start;
  }
  return MARC_OK;
}
