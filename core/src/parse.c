/* Parsing one framed ISO 2709 record into the record model: leader,
 * directory, field views. Lenient: every problem becomes a diagnostic and
 * whatever is sound is kept. */
#include "internal.h"

#include <stdlib.h>

/* ASCII letters and digits: the characters a tag may hold. */
static const uint8_t tag_char[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
    ['7'] = 1, ['8'] = 1, ['9'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1,
    ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1,
    ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
    ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1,
    ['Z'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
    ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1,
    ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1,
    ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

static inline int tag_ok(const uint8_t *t) {
  return tag_char[t[0]] & tag_char[t[1]] & tag_char[t[2]];
}

/* Diagnostics for what the reader saw while framing the record. */
static marc_status framing_diags(marc_record *rec, const marc_raw *raw) {
  marc_status s = MARC_OK;
  uint32_t fl = raw->flags;
  uint64_t at = raw->offset;
  if (fl & MARC_RAW_JUNK)
    s |= marc__diag_add(rec, MARC_D_JUNK, at - raw->junk, NULL,
                        "%llu byte(s) between records skipped",
                        (unsigned long long)raw->junk);
  if (fl & MARC_RAW_LENGTH_NOT_NUMERIC)
    s |= marc__diag_add(rec, MARC_D_LENGTH_NOT_NUMERIC, at, NULL,
                        "record length (leader/00-04) is not numeric; "
                        "framed by the record terminator");
  if (fl & MARC_RAW_LENGTH_TOO_SHORT)
    s |= marc__diag_add(rec, MARC_D_LENGTH_TOO_SHORT, at, NULL,
                        "record length %u is below 24; framed by the record "
                        "terminator",
                        (unsigned)raw->claimed);
  if (fl & MARC_RAW_LENGTH_MISMATCH) {
    if (raw->len > 99999)
      s |= marc__diag_add(rec, MARC_D_RECORD_TOO_LONG, at, NULL,
                          "record is %zu bytes, over the ISO 2709 limit of "
                          "99,999 (leader says %u); read anyway",
                          raw->len, (unsigned)raw->claimed);
    else
      s |= marc__diag_add(rec, MARC_D_LENGTH_MISMATCH, at, NULL,
                          "leader says %u bytes but the record terminator "
                          "ends it at %zu",
                          (unsigned)raw->claimed, raw->len);
  }
  if (fl & MARC_RAW_OVERSIZE)
    s |=
        marc__diag_add(rec, MARC_D_RECORD_OVERSIZE, at + raw->len, NULL,
                       "record longer than the %zu-byte limit; the rest "
                       "up to the next leader or record terminator was dropped",
                       raw->len);
  if (fl & MARC_RAW_TRUNCATED)
    s |= marc__diag_add(rec, MARC_D_TRUNCATED, at + raw->len, NULL,
                        "record ends after %zu bytes without a record "
                        "terminator (truncated)",
                        raw->len);
  return s < 0 ? MARC_E_NOMEM : MARC_OK;
}

/* How many directory entries in [from, end) (whole 12-byte entries) point
 * at a field that ends with a field terminator in the data area, which
 * starts at end + 1 and ends before `n`. */
static size_t sound_entries(const uint8_t *p, size_t from, size_t end,
                            size_t n) {
  size_t sound = 0;
  for (size_t e = from; e + 12 <= end; e += 12) {
    uint32_t flen, fstart;
    if (!marc__digits(p + e + 3, 4, &flen) ||
        !marc__digits(p + e + 7, 5, &fstart) || !flen)
      continue;
    size_t s = end + 1 + fstart;
    if (s + flen <= n && p[s + flen - 1] == MARC_FT) sound++;
  }
  return sound;
}

/* Find where the directory ends (its 0x1E). Prefers the base address when
 * it is consistent, else the first field terminator. Returns where the
 * directory's entries start (24, or later when stray bytes precede them),
 * or 0 when there is no usable directory end. */
static size_t find_directory_end(marc_record *rec, const uint8_t *p, size_t n,
                                 uint64_t at, size_t *dir_end) {
  size_t dir_start = 24;
  uint32_t base = 0;
  int base_digits = marc__digits(p + 12, 5, &base);
  size_t want = base_digits && base >= 25 ? (size_t)base - 1 : 0;
  int want_ok = want >= 24 && want < n && (want - 24) % 12 == 0;
  if (want_ok && p[want] == MARC_FT) {
    *dir_end = want;
    return dir_start;
  }
  /* (A leader that runs into the record terminator has no directory.) */
  const uint8_t *ft = n > 24 ? memchr(p + 24, MARC_FT, n - 24) : NULL;
  if (want_ok && (!ft || (size_t)(ft - p) > want)) {
    /* The base address fits a whole directory but its terminator is
     * damaged: trust the base address. */
    marc__diag_add(rec, MARC_D_DIRECTORY_TERMINATOR, at + want, NULL,
                   "directory does not end with a field terminator at "
                   "byte %zu (base address %u)",
                   want, (unsigned)base);
    *dir_end = want;
    return dir_start;
  }
  if (!ft) {
    marc__diag_add(rec, MARC_D_DIRECTORY_TERMINATOR, at + 24, NULL,
                   "no field terminator ends the directory; no field read");
    return 0;
  }
  size_t end = (size_t)(ft - p);
  if (base_digits && base == end + 1) {
    /* The base address agrees with the terminator: only the directory's
     * length is wrong (a stray byte in it). */
  } else if (!base_digits)
    marc__diag_add(rec, MARC_D_BASE_ADDRESS, at + 12, NULL,
                   "base address (leader/12-16) is not numeric; using %zu",
                   end + 1);
  else
    marc__diag_add(rec, MARC_D_BASE_ADDRESS, at + 12, NULL,
                   "base address %u does not follow the directory, which "
                   "ends at %zu",
                   (unsigned)base, end);
  size_t rem = (end - 24) % 12;
  if (rem) {
    /* Stray bytes in the leader shift the whole directory; a partial
     * entry at its end does not. Take the alignment that finds more
     * fields. */
    if (sound_entries(p, 24 + rem, end, n) > sound_entries(p, 24, end, n)) {
      dir_start = 24 + rem;
      marc__diag_add(rec, MARC_D_DIRECTORY_LENGTH, at + 24, NULL,
                     "directory length %zu is not a multiple of 12; its "
                     "entries line up from byte %zu (%zu stray byte(s) "
                     "before them)",
                     end - 24, 24 + rem, rem);
    } else {
      marc__diag_add(rec, MARC_D_DIRECTORY_LENGTH, at + 24, NULL,
                     "directory length %zu is not a multiple of 12; the "
                     "partial entry was ignored",
                     end - 24);
    }
  }
  *dir_end = end;
  return dir_start;
}

/* A data field whose first subfield delimiter is not right after two
 * indicators. A delimiter where an indicator belongs means the indicators
 * are missing (or one is): they are read as blanks rather than turning the
 * first subfield code into an indicator. Kept out of line: the hot path
 * only tests one byte. */
#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static void
misplaced_delimiter(marc_record *rec, marc_field *f, const uint8_t *p, size_t s,
                    size_t len, uint64_t at) {
  size_t k = p[s] == MARC_SD ? 0 : p[s + 1] == MARC_SD ? 1 : 2;
  if (k == 2) {
    /* A leader that declares another indicator count (DanMARC's 3) was
     * reported once as INDICATOR_COUNT: that explains every field. */
    char ic = rec->leader[10];
    if (ic >= '0' && ic <= '9' && ic != '2') return;
    marc__diag_add(rec, MARC_D_SUBFIELD_DELIMITER, at + s + 2, f->tag,
                   "data after the indicators does not start with a "
                   "subfield delimiter");
    return;
  }
  f->ind1 = k ? p[s] : ' ';
  f->ind2 = ' ';
  f->ind_missing = (uint8_t)(2 - k); /* the writer leaves them out again */
  f->off = (uint32_t)(s + k);
  f->len = (uint32_t)(len - k);
  marc__diag_add(rec, MARC_D_SUBFIELD_DELIMITER, at + s + k, f->tag,
                 "subfield delimiter where the indicators belong: %zu "
                 "indicator(s) missing, read as blank",
                 2 - k);
}

/* Report each data field holding a subfield delimiter followed by a NUL:
 * a code no format can write (JSON strings end at it, XML cannot hold it)
 * and that the subfield API cannot tell from "no code". Kept out of line:
 * rare. */
#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static void
nul_codes(marc_record *rec, const uint8_t *p, uint64_t at) {
  for (size_t i = 0; i < rec->nfields; i++) {
    const marc_field *f = &rec->fields[i];
    if (marc__is_control(f->tag)) continue;
    const uint8_t *d = p + f->off;
    for (size_t k = 0; k + 1 < f->len; k++)
      if (d[k] == MARC_SD && d[k + 1] == 0) {
        marc__diag_add(rec, MARC_D_SUBFIELD_CODE, at + f->off + k + 1, f->tag,
                       "subfield code is a NUL byte");
        break;
      }
  }
}

/* Store a field found at [s, s+len) (len excludes the terminator).
 * Inlined into the entry loop even where the compiler would not (clang
 * for wasm calls it otherwise: 12% of the parse). */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline void
add_field(marc_record *rec, const uint8_t *p, const uint8_t *tag, size_t s,
          size_t len, uint64_t at) {
  /* Built in a local and stored whole: stores through char fields of the
   * array would make the compiler reload the record's members. */
  marc_field f = {{(char)tag[0], (char)tag[1], (char)tag[2], 0},
                  0,
                  0,
                  0,
                  (uint32_t)s,
                  (uint32_t)len};
  marc_field *slot = &rec->fields[rec->nfields++];
  if (tag[0] == '0' && tag[1] == '0') {
    *slot = f;
    return;
  }
  if (len < 2) {
    f.ind1 = f.ind2 = ' ';
    f.off = (uint32_t)(s + len);
    f.len = 0;
    *slot = f;
    marc__diag_add(rec, MARC_D_FIELD_TOO_SHORT, at + s, slot->tag,
                   "data field of %zu byte(s) cannot hold two indicators", len);
    return;
  }
  f.ind1 = p[s];
  f.ind2 = p[s + 1];
  f.off = (uint32_t)(s + 2);
  f.len = (uint32_t)(len - 2);
  *slot = f;
  /* Well-formed: a delimiter right after the indicators (or a field of
   * bare indicators). */
  if (len > 2 ? p[s + 2] == MARC_SD : p[s] != MARC_SD) return;
  misplaced_delimiter(rec, slot, p, s, len, at);
}

/* Do the fields, in data-area order, lie end to end from `base` to
 * `data_end`, as the ISO 2709 writer lays them out? A byte count alone
 * misses a field overlapping another by as many bytes as a gap elsewhere.
 * Out of memory for the sort: assumed so (nothing is reported). */
static int fields_tile(const marc_record *rec, size_t base, size_t data_end) {
  marc_status st;
  uint64_t *order = marc__data_order(rec, &st);
  if (st != MARC_OK) return 1;
  size_t pos = base;
  int ok = 1;
  for (size_t k = 0; ok && k < rec->nfields; k++) {
    const marc_field *f = &rec->fields[order ? (uint32_t)order[k] : k];
    size_t ind = marc__wire_indicators(rec, f);
    ok = f->off >= ind && f->off - ind == pos;
    pos = (size_t)f->off + f->len + 1;
  }
  free(order);
  return ok && pos == data_end;
}

marc_status marc_record_parse(marc_record *rec, const marc_raw *raw, int strict,
                              int copy, size_t max_diags) {
  if (!rec || !raw || (!raw->data && raw->len)) return MARC_E_ARG;
  marc__record_clear(rec);
  rec->max_diags = max_diags ? max_diags : MARC_DEFAULT_MAX_DIAGS;
  rec->index = raw->index;
  rec->offset = raw->offset;
  rec->raw_len = raw->len;
  rec->keep_layout = 1;
  const uint8_t *p = raw->data;
  size_t n = raw->len;
  if (copy) {
    if (rec->own_cap < n) {
      uint8_t *o = realloc(rec->own, n);
      if (!o) return MARC_E_NOMEM;
      rec->own = o;
      rec->own_cap = n;
    }
    if (n) memcpy(rec->own, p, n);
    rec->own_len = n;
    p = rec->own;
  } else {
    rec->is_view = 1;
  }
  rec->bytes = p;
  uint64_t at = raw->offset;
  if (framing_diags(rec, raw) != MARC_OK) return MARC_E_NOMEM;

  /* The data area ends before the record terminator, if there is one. */
  size_t data_end = n;
  if (n && p[n - 1] == MARC_RT) {
    data_end = n - 1;
  } else if (!(raw->flags & (MARC_RAW_TRUNCATED | MARC_RAW_OVERSIZE))) {
    /* Point at the byte standing where the terminator belongs, or just
     * past the last field terminator when the 0x1D was left out. */
    int left_out = !n || p[n - 1] == MARC_FT;
    marc__diag_add(rec, MARC_D_NO_TERMINATOR, at + n - (left_out ? 0 : 1), NULL,
                   left_out ? "record terminator missing after the last "
                              "field"
                            : "record ends with 0x%02X where the record "
                              "terminator belongs",
                   left_out ? 0u : (unsigned)p[n - 1]);
  }

  if (n < 24) {
    /* The leader the record lacks: blanks, but the indicator and subfield
     * code counts that the reader reads as 2, so that the record written
     * back does not read with a diagnostic it never had. */
    memset(rec->leader, ' ', 24);
    rec->leader[10] = rec->leader[11] = '2';
    if (n) memcpy(rec->leader, p, n);
    marc__diag_add(rec, MARC_D_LEADER_SHORT, at, NULL,
                   "record has %zu byte(s), fewer than a 24-byte leader", n);
    goto done;
  }
  memcpy(rec->leader, p, 24);
  if (p[10] != '2')
    marc__diag_add(rec, MARC_D_INDICATOR_COUNT, at + 10, NULL,
                   "indicator count (leader/10) is '%c', not '2'; read as 2",
                   p[10] >= 0x20 && p[10] < 0x7f ? p[10] : '?');
  if (p[11] != '2')
    marc__diag_add(rec, MARC_D_SUBFIELD_CODE_COUNT, at + 11, NULL,
                   "subfield code count (leader/11) is '%c', not '2'; "
                   "read as 2",
                   p[11] >= 0x20 && p[11] < 0x7f ? p[11] : '?');

  size_t dir_end;
  size_t dir_start = find_directory_end(rec, p, data_end, at, &dir_end);
  if (!dir_start) goto done;
  size_t entries = (dir_end - dir_start) / 12;
  size_t base = dir_end + 1;
  if (marc__fields_reserve(rec, entries) != MARC_OK) return MARC_E_NOMEM;

  /* `cursor` is where the next field should start if fields are stored in
   * directory order: used to recover fields whose entries are damaged
   * (such as records over 99,999 bytes whose offsets overflowed). */
  size_t cursor = base;
  size_t recovered = 0;
  size_t covered = 0; /* data-area bytes the fields account for */
  size_t lost = 0;
  int tiled = 1; /* so far each field starts where the one before ended */
  for (size_t i = 0; i < entries; i++) {
    const uint8_t *e = p + dir_start + 12 * i;
    uint64_t e_at = at + dir_start + 12 * i;
    char tagstr[4] = {(char)e[0], (char)e[1], (char)e[2], 0};
    if (!tag_ok(e))
      marc__diag_add(rec, MARC_D_TAG_INVALID, e_at, NULL,
                     "directory entry %zu has a tag that is not ASCII "
                     "letters or digits",
                     i);
    uint32_t flen = 0, fstart = 0;
    int digits = marc__entry_numbers(e + 3, &flen, &fstart);
    size_t s = base + fstart;
    if (digits && flen >= 1 && s + flen <= data_end &&
        p[s + flen - 1] == MARC_FT) {
      add_field(rec, p, e, s, flen - 1, at);
      tiled &= s == cursor;
      cursor = s + flen;
      covered += flen;
      continue;
    }
    /* Damaged entry: look for the field at the cursor instead. */
    const uint8_t *ft = cursor < data_end
                            ? memchr(p + cursor, MARC_FT, data_end - cursor)
                            : NULL;
    marc_code code = !digits               ? MARC_D_ENTRY_NOT_NUMERIC
                     : s + flen > data_end ? MARC_D_ENTRY_OUT_OF_RANGE
                                           : MARC_D_FIELD_TERMINATOR;
    if (!ft) {
      marc__diag_add(rec,
                     code == MARC_D_FIELD_TERMINATOR ? MARC_D_FIELD_LOST : code,
                     e_at, tagstr,
                     "directory entry %zu (%.12s) points nowhere usable and "
                     "no field follows; field dropped",
                     i, (const char *)e);
      lost++;
      continue;
    }
    size_t len = (size_t)(ft - p) - cursor;
    if (recovered++ == 0)
      marc__diag_add(rec, code, e_at, tagstr,
                     "directory entry %zu (%.12s) is unusable; field taken "
                     "from its field terminator at byte %zu",
                     i, (const char *)e, cursor);
    add_field(rec, p, e, cursor, len, at);
    cursor += len + 1;
    covered += len + 1;
  }
  if (recovered > 1)
    marc__diag_add(rec, MARC_D_FIELD_TERMINATOR, at + base, NULL,
                   "%zu more field(s) located by their field terminators",
                   recovered - 1);
  /* Bytes no field owns, or owned twice, cannot be written back as they
   * were: say so (the writer lays fields end to end) when nothing said
   * already reported the record as damaged. */
  int damaged = recovered || lost || data_end == n ||
                (raw->flags & (MARC_RAW_TRUNCATED | MARC_RAW_OVERSIZE));
  /* Fields in directory order end to end (nearly every record) tile the
   * data area when they cover it: no second pass. */
  if (!damaged && (covered != data_end - base ||
                   (!tiled && !fields_tile(rec, base, data_end))))
    marc__diag_add(rec, MARC_D_DATA_LAYOUT, at + base, NULL,
                   "the fields cover %zu of the %zu bytes of the data area "
                   "(%s)",
                   covered, data_end - base,
                   covered < data_end - base   ? "bytes belong to no field"
                   : covered > data_end - base ? "fields overlap"
                                               : "fields overlap and leave "
                                                 "bytes to no field");
  /* A NUL subfield code: one search of the data area (a NUL is rare). */
  if (data_end > base && memchr(p + base, 0, data_end - base))
    nul_codes(rec, p, at);
done:
  if (strict && rec->ndiags) return MARC_E_INVALID;
  return MARC_OK;
}
