/* The push reader: frames ISO 2709 records out of input fed in chunks of
 * any size.
 *
 * Input lives in two places. Bytes the caller fed and the reader has not
 * needed to keep are read in place ("external", zero-copy): a well-formed
 * record wholly inside them is returned as a view. Whatever must survive
 * the caller's next chunk (a record cut by a chunk boundary, a damaged
 * record being scanned for its terminator) is copied into the reader's own
 * buffer ("internal"), which always holds the bytes that come before the
 * external ones. Nothing is scanned twice: the framing state remembers how
 * far it has looked. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>

struct marc_reader {
  marc_reader_options opt;
  uint8_t *buf; /* internal bytes [start, end) */
  size_t start, end, cap;
  const uint8_t *ext; /* external bytes [ext_pos, ext_len) */
  size_t ext_pos, ext_len;
  size_t prefetched;   /* external bytes up to here were prefetched */
  uint64_t offset;     /* absolute offset of the first unframed byte */
  uint64_t index;      /* index of the next record */
  uint64_t junk;       /* junk bytes skipped before the next record */
  uint32_t scan_flags; /* framing problems of the record being scanned */
  uint32_t claimed;
  size_t scan_pos; /* bytes of the internal candidate already searched */
  int scanning;    /* looking for the record terminator */
  int discarding;  /* dropping the tail of an oversize record */
  int finished;
  int judged;   /* the start of the input was found to be ISO 2709 */
  int rejected; /* ... or not MARC at all: the rest is dropped */
  marc_record *rec;
  marc_diag err;
  char err_msg[MARC_MSG_MAX];
};

marc_reader *marc_reader_new(const marc_reader_options *opt) {
  marc_reader *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  if (opt) r->opt = *opt;
  if (!r->opt.max_record) r->opt.max_record = MARC_DEFAULT_MAX_RECORD;
  if (r->opt.max_record < 24) r->opt.max_record = 24;
  if (!r->opt.max_diags) r->opt.max_diags = MARC_DEFAULT_MAX_DIAGS;
  r->rec = marc_record_new();
  if (!r->rec) {
    free(r);
    return NULL;
  }
  return r;
}

void marc_reader_free(marc_reader *r) {
  if (!r) return;
  free(r->buf);
  marc_record_free(r->rec);
  free(r);
}

void marc_reader_reset(marc_reader *r) {
  r->start = r->end = 0;
  r->ext = NULL;
  r->ext_pos = r->ext_len = 0;
  r->offset = r->index = r->junk = 0;
  r->scan_flags = r->claimed = 0;
  r->scan_pos = 0;
  r->scanning = r->discarding = r->finished = 0;
  r->judged = r->rejected = 0;
}

/* Room for `n` more internal bytes. Moves the kept bytes to the front
 * first: any view into them has been invalidated by the caller's call. */
static marc_status reserve(marc_reader *r, size_t n) {
  if (r->cap - r->end >= n) return MARC_OK;
  if (r->start) {
    memmove(r->buf, r->buf + r->start, r->end - r->start);
    r->end -= r->start;
    r->start = 0;
    if (r->cap - r->end >= n) return MARC_OK;
  }
  size_t cap = r->cap ? r->cap : 65536;
  while (cap - r->end < n) {
    if (cap > SIZE_MAX / 2) return MARC_E_NOMEM;
    cap *= 2;
  }
  uint8_t *b = realloc(r->buf, cap);
  if (!b) return MARC_E_NOMEM;
  r->buf = b;
  r->cap = cap;
  return MARC_OK;
}

/* Move up to `n` external bytes to the internal buffer. */
static marc_status pull(marc_reader *r, size_t n) {
  size_t have = r->ext_len - r->ext_pos;
  if (n > have) n = have;
  if (!n) return MARC_OK;
  if (reserve(r, n) != MARC_OK) return MARC_E_NOMEM;
  memcpy(r->buf + r->end, r->ext + r->ext_pos, n);
  r->end += n;
  r->ext_pos += n;
  return MARC_OK;
}

/* Parsing jumps from a record's leader to its end and through its fields:
 * loads the hardware prefetcher does not see coming, so each record waits
 * on memory. Asking for the next few KB of the caller's bytes ahead of
 * time (each cache line once) roughly halves parse time on large inputs. */
#define PREFETCH_DISTANCE 4096
static void prefetch_ahead(marc_reader *r) {
#if defined(__GNUC__)
  size_t to = r->ext_pos + PREFETCH_DISTANCE;
  if (to > r->ext_len) to = r->ext_len;
  size_t from = r->prefetched > r->ext_pos ? r->prefetched : r->ext_pos;
  for (size_t i = from; i < to; i += 64) __builtin_prefetch(r->ext + i);
  if (to > r->prefetched) r->prefetched = to;
#else
  (void)r;
#endif
}

marc_status marc_reader_feed(marc_reader *r, const void *p, size_t n) {
  if (!r || (!p && n)) return MARC_E_ARG;
  if (r->finished) return MARC_E_STATE;
  /* Unread external bytes must come before the new ones. */
  if (pull(r, r->ext_len - r->ext_pos) != MARC_OK) return MARC_E_NOMEM;
  r->ext = p;
  r->ext_pos = 0;
  r->ext_len = n;
  r->prefetched = 0;
  return MARC_OK;
}

uint8_t *marc_reader_buffer(marc_reader *r, size_t n) {
  if (!r || r->finished) return NULL;
  if (pull(r, r->ext_len - r->ext_pos) != MARC_OK) return NULL;
  r->ext = NULL;
  r->ext_pos = r->ext_len = 0;
  /* At least one byte, so a request for 0 still gets a real pointer. */
  if (reserve(r, n ? n : 1) != MARC_OK) return NULL;
  return r->buf + r->end;
}

marc_status marc_reader_commit(marc_reader *r, size_t n) {
  if (!r || n > r->cap - r->end) return MARC_E_ARG;
  if (r->finished) return MARC_E_STATE;
  r->end += n;
  return MARC_OK;
}

marc_status marc_reader_finish(marc_reader *r) {
  if (!r) return MARC_E_ARG;
  r->finished = 1;
  return MARC_OK;
}

/* Bytes that cannot start a record and are skipped between records:
 * newlines, blanks, NULs, DOS end-of-file, stray terminators. */
static int is_junk(uint8_t c) {
  return c == '\n' || c == '\r' || c == ' ' || c == '\t' || c == 0 ||
         c == 0x1A || c == MARC_RT || c == MARC_FT;
}

static void emit(marc_reader *r, marc_raw *raw, const uint8_t *p, size_t len,
                 uint32_t flags) {
  raw->data = p;
  raw->len = len;
  raw->offset = r->offset;
  raw->index = r->index++;
  raw->junk = r->junk;
  raw->flags = flags | (r->junk ? MARC_RAW_JUNK : 0);
  raw->claimed = r->claimed;
  r->offset += len;
  r->junk = 0;
  r->claimed = 0;
}

/* A truncated record followed by a sound one is framed by the sound one's
 * terminator. Find where the sound one starts: a leader whose length ends
 * exactly at the terminator. Returns 0 if there is none. */
static size_t embedded_leader(const uint8_t *w, size_t len) {
  for (size_t s = 24; s + 24 <= len; s++) {
    uint32_t l;
    if (w[s + 20] == '4' && w[s + 21] == '5' && marc__digits(w + s, 5, &l) &&
        l == len - s)
      return s;
  }
  return 0;
}

/* A stray byte or two before a record (a letter or digit, as real files
 * have) makes the leader's length unreadable or wrong. yaz and MARC4J skip
 * such bytes and read the record intact; so does this: when a leader
 * whose length ends exactly at the terminator (and whose 20-21 are "45")
 * starts one to three bytes in, what comes before it is junk. More is not
 * a stray byte but a garbage leader (yaz's marc4.marc), salvaged as one.
 * Returns how many bytes, or 0. */
#define MAX_STRAY 3
static size_t stray_prefix(const uint8_t *w, size_t len) {
  for (size_t s = 1; s <= MAX_STRAY && s + 24 <= len; s++) {
    uint32_t l;
    if (marc__digits(w + s, 5, &l) && l == len - s && w[s + 20] == '4' &&
        w[s + 21] == '5')
      return s;
  }
  return 0;
}

/* Input ended on `n` bytes that cannot hold a leader: not a record (yaz
 * and MARC4J drop them too), but said, as a problem no record carries. */
static marc_status trailing(marc_reader *r, size_t n) {
  r->start += n;
  r->offset += n;
  r->scanning = 0;
  memset(&r->err, 0, sizeof r->err);
  snprintf(r->err_msg, sizeof r->err_msg,
           "%zu byte(s) after the last record are not a record", n);
  r->err.code = MARC_D_JUNK;
  r->err.msg = r->err_msg;
  r->err.offset = r->offset - n;
  r->err.record = r->index;
  return MARC_E_INVALID;
}

/* Does the input start like ISO 2709? Some trace of a leader in its first
 * 24 bytes (after up to three stray bytes): a numeric record length, base
 * address, or "45" at 20-21. A damaged record keeps one of them; a PNG, a
 * text file or a PDF has none, and framing it by its 0x1D bytes would
 * make hundreds of phantom records. */
static int leader_like(const uint8_t *w, size_t n) {
  for (size_t s = 0; s <= MAX_STRAY && s < n; s++) {
    uint32_t v;
    if (n - s >= 5 && marc__digits(w + s, 5, &v)) return 1;
    if (n - s >= 24 && (marc__digits(w + s + 12, 5, &v) ||
                        (w[s + 20] == '4' && w[s + 21] == '5')))
      return 1;
  }
  return 0;
}

/* How far into the input a leader starts that leader_like missed: five
 * digits (a length of at least 24) with "45" at 20-21, the signature of
 * every MARC 21 leader. 0 when there is none. */
#define FIRST_LOOK 4096
static size_t leader_ahead(const uint8_t *w, size_t n) {
  for (size_t s = 1; s + 24 <= n; s++) {
    uint32_t v;
    if (w[s + 20] == '4' && w[s + 21] == '5' && marc__digits(w + s, 5, &v) &&
        v >= 24)
      return s;
  }
  return 0;
}

/* The input is not MARC: one problem, no record, the rest dropped. */
static marc_status not_marc(marc_reader *r) {
  r->rejected = 1;
  memset(&r->err, 0, sizeof r->err);
  snprintf(r->err_msg, sizeof r->err_msg,
           "not MARC: the input starts with neither an ISO 2709 leader nor "
           "MARCXML, MARC-in-JSON or MARCMaker text");
  r->err.code = MARC_D_NOT_MARC;
  r->err.msg = r->err_msg;
  r->err.offset = r->offset;
  return MARC_E_INVALID;
}

/* Flags of a record that ends at `len` without a record terminator,
 * either because a sound record starts there or because input ended.
 * When the leader's length ends exactly there, the record is whole and
 * only its terminator byte is wrong; when it ends with a field terminator
 * (or is longer than the leader says), the 0x1D was left out: parsing
 * reports NO_TERMINATOR. Otherwise it was cut short. */
static uint32_t cut_flags(uint32_t flags, const uint8_t *w, size_t len,
                          uint32_t claimed) {
  if (flags & MARC_RAW_LENGTH_MISMATCH) {
    if (len == claimed) return flags & ~(uint32_t)MARC_RAW_LENGTH_MISMATCH;
    if (w[len - 1] == MARC_FT || len > claimed) return flags;
    return (flags & ~(uint32_t)MARC_RAW_LENGTH_MISMATCH) | MARC_RAW_TRUNCATED;
  }
  if (w[len - 1] == MARC_FT) return flags;
  return flags | MARC_RAW_TRUNCATED;
}

/* Skip junk bytes at the head of the current window (internal first). */
static int skip_junk(marc_reader *r) {
  int skipped = 0;
  if (r->start < r->end) {
    while (r->start < r->end && is_junk(r->buf[r->start])) {
      r->start++, r->junk++, r->offset++;
      skipped = 1;
    }
    return skipped;
  }
  while (r->ext_pos < r->ext_len && is_junk(r->ext[r->ext_pos])) {
    r->ext_pos++, r->junk++, r->offset++;
    skipped = 1;
  }
  return skipped;
}

/* Drop the tail of an oversize record up to and including its 0x1D, or
 * up to a leader that starts before it: an unterminated blob must not
 * take the sound record after it along (its 0x1D is the first one). A
 * leader here is five digits with "45" at 20-21, which may lie past the
 * 0x1D. So a position is judged only once the 23 bytes after it are in
 * the window (or the input has ended): the same answer at any chunking.
 * The undecided last 23 bytes are kept (in the internal buffer) until the
 * bytes after them tell. Returns 1 when it made progress. */
static int discard_tail(marc_reader *r) {
  if (r->start < r->end && r->end - r->start < 24 && r->ext_pos < r->ext_len &&
      pull(r, r->ext_len - r->ext_pos) != MARC_OK)
    return 0;
  const uint8_t *p;
  size_t *pos, lim;
  int internal = r->start < r->end;
  if (internal) p = r->buf, pos = &r->start, lim = r->end;
  else p = r->ext, pos = &r->ext_pos, lim = r->ext_len;
  if (*pos >= lim) return 0;
  const uint8_t *w = p + *pos;
  size_t n = lim - *pos;
  int eof = r->finished && (internal ? r->ext_pos == r->ext_len : 1);
  const uint8_t *q = memchr(w, MARC_RT, n);
  size_t upto = q ? (size_t)(q - w) + 1 : n;
  /* Positions before `decided` have the 23 bytes after them in view. */
  size_t decided = eof ? n : n > 23 ? n - 23 : 0;
  size_t look = upto < decided ? upto : decided;
  uint32_t v;
  for (size_t i = 0; i < look && i + 24 <= n; i++) {
    if (w[i + 20] == '4' && w[i + 21] == '5' && marc__digits(w + i, 5, &v)) {
      r->offset += i;
      *pos += i;
      r->discarding = 0;
      return 1;
    }
  }
  if (upto <= decided) {
    /* No leader before the 0x1D (or the end of input): drop through it. */
    r->offset += upto;
    *pos += upto;
    if (q) r->discarding = 0;
    return 1;
  }
  /* Drop what is decided, keep the rest until more input comes. */
  r->offset += look;
  *pos += look;
  if (internal) return look > 0;
  return pull(r, n - look) == MARC_OK;
}

/* Slow path: frame from the internal buffer, pulling external bytes as
 * needed. */
static marc_status frame_internal(marc_reader *r, marc_raw *raw) {
  /* (Allocate first: no pointer arithmetic on a NULL buffer.) */
  if (!r->buf && reserve(r, 24) != MARC_OK) return MARC_E_NOMEM;
  for (;;) {
    const uint8_t *w = r->buf + r->start;
    size_t avail = r->end - r->start;
    int eof = r->finished && r->ext_pos == r->ext_len;
    if (!r->scanning) {
      if (avail < 5) {
        if (pull(r, 5 - avail) != MARC_OK) return MARC_E_NOMEM;
        if (r->end - r->start > avail) continue;
        if (!eof) return MARC_NEED_MORE;
        if (!avail) return MARC_END;
        if (!memchr(w, MARC_RT, avail)) return trailing(r, avail);
        r->scanning = 1; /* frame the stub below */
        r->scan_pos = 0;
        r->scan_flags = MARC_RAW_LENGTH_NOT_NUMERIC;
        continue;
      }
      if (!r->judged && r->index == 0) {
        /* The first record: is this ISO 2709 at all? */
        if (avail < 24) {
          if (pull(r, 24 - avail) != MARC_OK) return MARC_E_NOMEM;
          if (r->end - r->start > avail) continue;
          if (!eof) return MARC_NEED_MORE;
        }
        if (!leader_like(w, avail)) {
          /* Junk before the first record (yaz skips it too): look for a
           * leader in the first FIRST_LOOK bytes before calling the input
           * not MARC. */
          if (avail < FIRST_LOOK && !eof) {
            if (pull(r, FIRST_LOOK - avail) != MARC_OK) return MARC_E_NOMEM;
            if (r->end - r->start > avail) continue;
            return MARC_NEED_MORE;
          }
          /* The first FIRST_LOOK bytes only, however the input was fed
           * (a single feed may hold more): the same answer at every
           * chunking. */
          size_t at = leader_ahead(w, avail < FIRST_LOOK ? avail : FIRST_LOOK);
          r->judged = 1;
          if (!at) return not_marc(r);
          r->start += at, r->junk += at, r->offset += at;
          continue;
        }
        r->judged = 1;
      }
      uint32_t len;
      if (!marc__digits(w, 5, &len)) {
        r->scan_flags = MARC_RAW_LENGTH_NOT_NUMERIC;
      } else if (len < 24) {
        r->claimed = len;
        r->scan_flags = MARC_RAW_LENGTH_TOO_SHORT;
      } else {
        r->claimed = len;
        if (len > r->opt.max_record) {
          /* Over the limit even if sound: scanned within the limit
           * below, so it is cut there (OVERSIZE) like any long record. */
        } else if (avail < len) {
          if (pull(r, len - avail) != MARC_OK) return MARC_E_NOMEM;
          if (r->end - r->start > avail) continue;
          if (!eof) return MARC_NEED_MORE;
        } else if (w[len - 1] == MARC_RT) {
          emit(r, raw, w, len, 0);
          r->start += len;
          return MARC_OK;
        }
        r->scan_flags = MARC_RAW_LENGTH_MISMATCH;
      }
      r->scanning = 1;
      r->scan_pos = 0;
    }
    /* Scanning for the record terminator, within the size limit only:
     * whether a record is oversize must not depend on how much input
     * happens to be buffered (zero-copy callers commit any amount). */
    size_t lim = avail < r->opt.max_record ? avail : r->opt.max_record;
    const uint8_t *q = memchr(w + r->scan_pos, MARC_RT, lim - r->scan_pos);
    if (q) {
      size_t len = (size_t)(q - w) + 1;
      uint32_t flags = r->scan_flags;
      size_t stray =
          flags & (MARC_RAW_LENGTH_NOT_NUMERIC | MARC_RAW_LENGTH_MISMATCH)
              ? stray_prefix(w, len)
              : 0;
      if (stray) {
        r->scanning = 0;
        r->start += stray, r->junk += stray, r->offset += stray;
        emit(r, raw, w + stray, len - stray, 0);
        r->start += len - stray;
        return MARC_OK;
      }
      size_t cut = embedded_leader(w, len);
      if (cut) {
        len = cut;
        flags = cut_flags(flags, w, cut, r->claimed);
      }
      r->scanning = 0;
      emit(r, raw, w, len, flags);
      r->start += len;
      return MARC_OK;
    }
    r->scan_pos = lim;
    if (lim == r->opt.max_record) {
      /* The leader's length, if any, is moot: the record is cut at the
       * limit and the rest dropped up to the next 0x1D. */
      r->scanning = 0;
      r->discarding = 1;
      emit(r, raw, w, lim,
           (r->scan_flags & ~(uint32_t)MARC_RAW_LENGTH_MISMATCH) |
               MARC_RAW_OVERSIZE);
      r->start += lim;
      return MARC_OK;
    }
    if (r->ext_pos < r->ext_len) {
      /* Copy up to the next terminator in the external bytes, at most to
       * the size limit. */
      size_t room = r->opt.max_record - avail;
      size_t have = r->ext_len - r->ext_pos;
      if (have > room) have = room;
      const uint8_t *t = memchr(r->ext + r->ext_pos, MARC_RT, have);
      if (pull(r, t ? (size_t)(t - (r->ext + r->ext_pos)) + 1 : have) !=
          MARC_OK)
        return MARC_E_NOMEM;
      continue;
    }
    if (!eof) return MARC_NEED_MORE;
    /* End of input inside the record. */
    if (avail < 24) return trailing(r, avail);
    uint32_t flags = r->scan_flags;
    if (flags & MARC_RAW_LENGTH_MISMATCH && avail >= r->claimed)
      flags = cut_flags(flags, w, avail, r->claimed);
    else
      flags =
          (flags & ~(uint32_t)MARC_RAW_LENGTH_MISMATCH) | MARC_RAW_TRUNCATED;
    r->scanning = 0;
    emit(r, raw, w, avail, flags);
    r->start += avail;
    return MARC_OK;
  }
}

marc_status marc_reader_next_raw(marc_reader *r, marc_raw *raw) {
  if (!r || !raw) return MARC_E_ARG;
  if (r->rejected) { /* not MARC: drop what comes */
    r->offset += (r->end - r->start) + (r->ext_len - r->ext_pos);
    r->start = r->end = 0;
    r->ext_pos = r->ext_len;
    return r->finished ? MARC_END : MARC_NEED_MORE;
  }
  for (;;) {
    if (r->discarding) {
      if (discard_tail(r)) continue;
      if (!r->finished) return MARC_NEED_MORE;
      r->discarding = 0;
    }
    if (!r->scanning && skip_junk(r)) continue;
    if (r->start == r->end) {
      if (r->start) r->start = r->end = 0; /* empty: restart at the front */
      /* Fast path: a well-formed record wholly inside the caller's bytes. */
      size_t avail = r->ext_len - r->ext_pos;
      if (!avail) /* (r->ext may be NULL: no pointer arithmetic on it) */
        return r->finished ? MARC_END : MARC_NEED_MORE;
      const uint8_t *w = r->ext + r->ext_pos;
      uint32_t len;
      if (avail >= 24 && marc__digits5(w, &len) && len >= 24 && len <= avail &&
          len <= r->opt.max_record && w[len - 1] == MARC_RT) {
        r->claimed = len;
        emit(r, raw, w, len, 0);
        r->ext_pos += len;
        prefetch_ahead(r);
        return MARC_OK;
      }
    }
    return frame_internal(r, raw);
  }
}

marc_status marc_reader_next(marc_reader *r, marc_record **out) {
  if (!r || !out) return MARC_E_ARG;
  marc_raw raw;
  marc_status s = marc_reader_next_raw(r, &raw);
  if (s != MARC_OK) return s;
  s = marc_record_parse(r->rec, &raw, r->opt.strict, 0, r->opt.max_diags);
  if (s == MARC_E_INVALID) {
    r->err = r->rec->diags[0];
    memcpy(r->err_msg, r->err.msg, MARC_MSG_MAX);
    r->err.msg = r->err_msg;
    return s;
  }
  if (s != MARC_OK) return s;
  *out = r->rec;
  return MARC_OK;
}

const marc_diag *marc_reader_error(const marc_reader *r) { return &r->err; }
