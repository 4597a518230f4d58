/*
 * marcato.h: the one public header of the marcato MARC 21 core.
 *
 * The core is portable C11: no I/O, no threads, no globals but const tables.
 * Every function is reentrant; an object (reader, record, buffer) must not be
 * used from two threads at once, distinct objects may.
 *
 * Sections: Versions and status codes / Diagnostics / Buffers / Records
 * (views, iteration, lookup) / Record builder / Reader (push parser) /
 * Writers.
 */
#ifndef MARCATO_H
#define MARCATO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(MARCATO_SHARED)
#define MARC_API __declspec(dllexport)
#elif defined(__GNUC__)
#define MARC_API __attribute__((visibility("default")))
#else
#define MARC_API
#endif

/* ===================================================================== */
/* Versions and status codes                                               */
/* ===================================================================== */

#define MARC_VERSION_MAJOR 0
#define MARC_VERSION_MINOR 1
#define MARC_VERSION_PATCH 0
#define MARC_VERSION_STRING "0.1.0"

/* The library's version string, e.g. "0.1.0". */
MARC_API const char *marc_version(void);

/* Result of most calls. Non-negative values are normal outcomes, negative
 * values are errors. */
typedef enum marc_status {
  MARC_OK = 0,        /* a record (or the requested value) is available */
  MARC_NEED_MORE = 1, /* the reader needs more input (feed or finish) */
  MARC_END = 2,       /* input finished and every record was returned */
  MARC_E_NOMEM = -1,  /* an allocation failed; the object is unchanged */
  MARC_E_ARG = -2,    /* a bad argument (NULL, index out of range...) */
  MARC_E_INVALID = -3, /* strict mode: the record had a problem; see the
                          diagnostic. The reader stays usable. */
  MARC_E_TOO_LONG = -4, /* writer: a field over 9,999 or a record over
                           99,999 bytes cannot be encoded in ISO 2709 */
  MARC_E_READONLY = -5, /* builder call on a record that is a view into a
                           reader's buffer: marc_record_clone it first */
  MARC_E_STATE = -6     /* call not allowed now (feed after finish) */
} marc_status;

/* A short English description of a status ("need more input"...). */
MARC_API const char *marc_status_str(marc_status s);

/* ===================================================================== */
/* Diagnostics                                                             */
/* ===================================================================== */

/* What was wrong with a record. Each code's name (marc_code_name) is a
 * stable identifier used in the CLI's output and in tests. */
typedef enum marc_code {
  MARC_D_NONE = 0,
  /* Framing (where a record starts and ends). */
  MARC_D_JUNK,            /* bytes between records skipped ("\n\n") */
  MARC_D_LENGTH_NOT_NUMERIC, /* leader/00-04 not five digits: "X0150" */
  MARC_D_LENGTH_TOO_SHORT,   /* leader length below 24: "00010" */
  MARC_D_LENGTH_MISMATCH, /* record terminator not where the leader length
                             says; the record was framed by its 0x1D */
  MARC_D_RECORD_TOO_LONG, /* real length over 99,999 bytes; read anyway */
  MARC_D_RECORD_OVERSIZE, /* longer than the reader's max_record limit:
                             the rest up to the next 0x1D was dropped */
  MARC_D_TRUNCATED,       /* input ended inside the record */
  MARC_D_NO_TERMINATOR,   /* record does not end with 0x1D */
  /* Leader. */
  MARC_D_LEADER_SHORT,    /* fewer than 24 bytes before the record ends */
  MARC_D_INDICATOR_COUNT, /* leader/10 is not '2' */
  MARC_D_SUBFIELD_CODE_COUNT, /* leader/11 is not '2' */
  MARC_D_BASE_ADDRESS,    /* leader/12-16 not digits or not just after the
                             directory */
  /* Directory. */
  MARC_D_DIRECTORY_TERMINATOR, /* no 0x1E ends the directory */
  MARC_D_DIRECTORY_LENGTH, /* directory length not a multiple of 12 */
  MARC_D_ENTRY_NOT_NUMERIC, /* an entry's length or start has a non-digit */
  MARC_D_ENTRY_OUT_OF_RANGE, /* an entry points past the end of the record */
  MARC_D_TAG_INVALID,     /* a tag byte is not an ASCII letter or digit */
  /* Fields. */
  MARC_D_FIELD_TERMINATOR, /* a field does not end with 0x1E where its
                              directory entry says; recovered from the
                              field terminators */
  MARC_D_FIELD_TOO_SHORT, /* a data field too short to hold indicators */
  MARC_D_SUBFIELD_DELIMITER, /* data after the indicators does not start
                                with 0x1F */
  MARC_D_FIELD_LOST,      /* a directory entry whose field could not be
                             found at all; the field was dropped */
  MARC_D_TOO_MANY_DIAGNOSTICS, /* further diagnostics were dropped */
  /* Writing. */
  MARC_D_FIELD_TOO_LONG,  /* a field over 9,999 bytes (ISO 2709 limit) */
  MARC_D_RECORD_TOO_LONG_TO_WRITE, /* a record over 99,999 bytes */
  MARC_D_COUNT_           /* number of codes (not a code) */
} marc_code;

/* The stable identifier of a code, e.g. "LENGTH_MISMATCH". */
MARC_API const char *marc_code_name(marc_code code);

/* One problem found in the input. `msg` lives as long as the record the
 * diagnostic belongs to. */
typedef struct marc_diag {
  marc_code code;
  const char *msg;  /* human readable detail, never NULL */
  uint64_t offset;  /* absolute byte offset in the input stream */
  uint64_t record;  /* record index in the stream, 0-based */
  char tag[4];      /* field tag the problem is in, "" for none */
} marc_diag;

/* ===================================================================== */
/* Buffers                                                                 */
/* ===================================================================== */

/* A growable byte buffer the writers append to. Zero-initialise it
 * (marc_buf b = {0};), reuse it across records, free it with
 * marc_buf_free. */
typedef struct marc_buf {
  uint8_t *data;
  size_t len;
  size_t cap;
} marc_buf;

MARC_API void marc_buf_free(marc_buf *b);
/* Make room for `n` more bytes; returns MARC_OK or MARC_E_NOMEM. */
MARC_API marc_status marc_buf_reserve(marc_buf *b, size_t n);
MARC_API marc_status marc_buf_append(marc_buf *b, const void *p, size_t n);

/* ===================================================================== */
/* Records                                                                 */
/* ===================================================================== */

/* A record: leader, fields (views into the record's bytes) and the
 * diagnostics found while reading it. Opaque. A record returned by a reader
 * is a view valid until the reader's next call; marc_record_clone makes an
 * owned copy that can be edited. */
typedef struct marc_record marc_record;

/* A field. For control fields (tags 001-009, or any tag starting "00")
 * `off`/`len` cover the value; for data fields they cover the subfield
 * data after the two indicators. Both exclude the field terminator. */
typedef struct marc_field {
  char tag[4];   /* NUL-terminated, three characters */
  uint8_t ind1;  /* ' ' when blank; 0 for control fields */
  uint8_t ind2;
  uint32_t off;  /* offset into marc_record_bytes() */
  uint32_t len;
} marc_field;

/* One subfield: code and value (not NUL-terminated). Bytes before the
 * first delimiter of a malformed field are reported with code 0. */
typedef struct marc_subfield {
  char code;
  const uint8_t *value;
  size_t len;
} marc_subfield;

typedef struct marc_subfield_iter {
  const uint8_t *p;
  const uint8_t *end;
} marc_subfield_iter;

/* New empty owned record with leader "00000nam a2200000   4500". */
MARC_API marc_record *marc_record_new(void);
/* Accepts NULL. */
MARC_API void marc_record_free(marc_record *rec);
/* Owned deep copy (fields, diagnostics and all). NULL when out of memory. */
MARC_API marc_record *marc_record_clone(const marc_record *rec);

/* The 24 leader bytes (not NUL-terminated). */
MARC_API const char *marc_record_leader(const marc_record *rec);
MARC_API size_t marc_record_field_count(const marc_record *rec);
/* NULL when `i` is out of range. */
MARC_API const marc_field *marc_record_field(const marc_record *rec,
                                             size_t i);
/* The bytes that marc_field.off indexes. */
MARC_API const uint8_t *marc_record_bytes(const marc_record *rec);
/* Pointer to a field's value (control) or subfield data (data field). */
MARC_API const uint8_t *marc_field_data(const marc_record *rec,
                                        const marc_field *f);
/* True for control fields (tag "00X"). */
MARC_API int marc_tag_is_control(const char *tag);

/* Where the record came from: 0-based index and absolute byte offset of
 * its first byte in the input stream, and its raw length in bytes. */
MARC_API uint64_t marc_record_index(const marc_record *rec);
MARC_API uint64_t marc_record_offset(const marc_record *rec);
MARC_API size_t marc_record_raw_length(const marc_record *rec);

MARC_API size_t marc_record_diag_count(const marc_record *rec);
MARC_API const marc_diag *marc_record_diag(const marc_record *rec, size_t i);

/* Iterate the subfields of a data field:
 *   marc_subfield_iter it = marc_subfields(rec, f); marc_subfield sf;
 *   while (marc_subfield_next(&it, &sf)) { ... } */
MARC_API marc_subfield_iter marc_subfields(const marc_record *rec,
                                           const marc_field *f);
MARC_API int marc_subfield_next(marc_subfield_iter *it, marc_subfield *sf);

/* Tag patterns: three characters where 'X', 'x' and '.' match any
 * character: "245", "6XX", "1..", "00.". Returns 1 on match. */
MARC_API int marc_tag_match(const char *pattern, const char *tag);
/* Index of the first field at or after `from` whose tag matches `pattern`,
 * or -1. Loop: for (i = find(r,p,0); i >= 0; i = find(r,p,i+1)). */
MARC_API int64_t marc_record_find(const marc_record *rec, const char *pattern,
                                  size_t from);
/* First subfield `code` of field `i`; returns 1 and fills `sf` when found. */
MARC_API int marc_record_subfield(const marc_record *rec, size_t i, char code,
                                  marc_subfield *sf);

/* ===================================================================== */
/* Record builder (owned records only; views return MARC_E_READONLY)       */
/* ===================================================================== */

/* Replace the 24 leader bytes. Positions 00-04 and 12-16 are recomputed by
 * the ISO 2709 writer. */
MARC_API marc_status marc_record_set_leader(marc_record *rec,
                                            const char leader[24]);
/* Set one leader position (0..23). */
MARC_API marc_status marc_record_set_leader_byte(marc_record *rec, size_t pos,
                                                 char c);
/* Insert a field before position `at` (at == count appends). `data` is the
 * control field value, or the subfield data of a data field in wire form
 * ("\x1F" "aTitle" "\x1F" "cAuthor"). Indicators are ignored for control
 * fields. */
MARC_API marc_status marc_record_insert_field(marc_record *rec, size_t at,
                                              const char *tag, char ind1,
                                              char ind2, const void *data,
                                              size_t len);
MARC_API marc_status marc_record_append_field(marc_record *rec,
                                              const char *tag, char ind1,
                                              char ind2, const void *data,
                                              size_t len);
MARC_API marc_status marc_record_replace_field(marc_record *rec, size_t at,
                                               const char *tag, char ind1,
                                               char ind2, const void *data,
                                               size_t len);
MARC_API marc_status marc_record_remove_field(marc_record *rec, size_t at);
MARC_API marc_status marc_record_set_indicators(marc_record *rec, size_t at,
                                                char ind1, char ind2);
/* Insert subfield `code` with `value` before the `pos`-th subfield of data
 * field `at` (pos >= count appends). */
MARC_API marc_status marc_record_insert_subfield(marc_record *rec, size_t at,
                                                 size_t pos, char code,
                                                 const void *value,
                                                 size_t len);
MARC_API marc_status marc_record_remove_subfield(marc_record *rec, size_t at,
                                                 size_t pos);
MARC_API marc_status marc_record_replace_subfield(marc_record *rec, size_t at,
                                                  size_t pos, char code,
                                                  const void *value,
                                                  size_t len);

/* ===================================================================== */
/* Reader (push parser for ISO 2709)                                       */
/* ===================================================================== */

typedef struct marc_reader marc_reader;

typedef struct marc_reader_options {
  /* 0: lenient (default): problems become diagnostics on the record, the
   * sound parts are kept and reading resynchronises on the next record.
   * 1: strict: the first problem in a record makes marc_reader_next return
   * MARC_E_INVALID; marc_reader_error tells what; the next call goes on
   * with the following record. */
  int strict;
  /* Largest record accepted, in bytes; 0 means 16 MiB. Memory held by the
   * reader stays below about twice this. */
  size_t max_record;
  /* Diagnostics kept per record; 0 means 64. */
  size_t max_diags;
} marc_reader_options;

/* `opt` may be NULL for the defaults. NULL when out of memory. */
MARC_API marc_reader *marc_reader_new(const marc_reader_options *opt);
MARC_API void marc_reader_free(marc_reader *r);
/* Forget all input and state; keep the memory. */
MARC_API void marc_reader_reset(marc_reader *r);

/* Offer `n` bytes of input. The reader does not copy them up front: the
 * bytes must stay valid and unchanged until marc_reader_next returns
 * MARC_NEED_MORE (or an error other than MARC_E_INVALID), after which the
 * reader has kept what it still needs. Records returned meanwhile may
 * point into these bytes. */
MARC_API marc_status marc_reader_feed(marc_reader *r, const void *p, size_t n);
/* Zero-copy input: get room for at least `n` bytes inside the reader,
 * write into it, then commit how many were written. NULL when out of
 * memory. Invalidates the last record returned. */
MARC_API uint8_t *marc_reader_buffer(marc_reader *r, size_t n);
MARC_API marc_status marc_reader_commit(marc_reader *r, size_t n);
/* No more input will come: what is left is framed as a final (possibly
 * truncated) record. */
MARC_API marc_status marc_reader_finish(marc_reader *r);

/* Next record: MARC_OK and *rec set (valid until the next call on the
 * reader), MARC_NEED_MORE, MARC_END, MARC_E_INVALID (strict mode), or
 * MARC_E_NOMEM. */
MARC_API marc_status marc_reader_next(marc_reader *r, marc_record **rec);
/* The problem behind the last MARC_E_INVALID (valid until the next call). */
MARC_API const marc_diag *marc_reader_error(const marc_reader *r);

/* Framing only: the raw bytes of the next record, for callers (such as the
 * threaded pipeline) that parse elsewhere with marc_record_parse. */
typedef struct marc_raw {
  const uint8_t *data;
  size_t len;
  uint64_t offset;  /* absolute offset of data[0] */
  uint64_t index;   /* 0-based record index */
  uint64_t junk;    /* bytes skipped just before this record */
  uint32_t flags;   /* MARC_RAW_* framing problems */
  uint32_t claimed; /* length claimed by the leader (0 if not numeric) */
} marc_raw;

enum {
  MARC_RAW_JUNK = 1u << 0,
  MARC_RAW_LENGTH_NOT_NUMERIC = 1u << 1,
  MARC_RAW_LENGTH_TOO_SHORT = 1u << 2,
  MARC_RAW_LENGTH_MISMATCH = 1u << 3,
  MARC_RAW_TRUNCATED = 1u << 4,
  MARC_RAW_OVERSIZE = 1u << 5
};

MARC_API marc_status marc_reader_next_raw(marc_reader *r, marc_raw *raw);

/* Parse a framed record into `rec` (an owned record made by
 * marc_record_new, reused across calls). With `copy` 0 the record views
 * raw->data, which must outlive its use; with `copy` 1 the bytes are copied.
 * Returns MARC_OK, MARC_E_INVALID (when `strict` and a problem was found:
 * the record still holds what was salvaged and its diagnostics) or
 * MARC_E_NOMEM. */
MARC_API marc_status marc_record_parse(marc_record *rec, const marc_raw *raw,
                                       int strict, int copy, size_t max_diags);

/* ===================================================================== */
/* Writers                                                                 */
/* ===================================================================== */

/* Append the record in ISO 2709 to `out`. Record length, base address and
 * directory are computed; the leader is otherwise kept. A field over 9,999
 * bytes or a record over 99,999 bytes returns MARC_E_TOO_LONG with `err`
 * (may be NULL) filled and nothing appended. */
MARC_API marc_status marc_write_iso2709(const marc_record *rec, marc_buf *out,
                                        marc_diag *err);

/* Append the record as MARCMaker text, as MarcEdit writes it:
 *   =LDR  00000nam\\a2200000\\\4500
 *   =001  ocm123
 *   =245  10$aTitle$cAuthor
 * followed by a blank line. Blanks in the leader, control fields and
 * indicators are written '\'; a literal '$', '{', '}' as {dollar}, {lcub},
 * {rcub}, and '\' in leader or control fields as {bsol}. */
MARC_API marc_status marc_write_mrk(const marc_record *rec, marc_buf *out);

/* ===================================================================== */
/* Character sets: MARC-8 <-> UTF-8                                        */
/* ===================================================================== */

/* (section: charset) */

/* ===================================================================== */
/* Formats: MARCXML, MARC-in-JSON, MARCMaker reader                        */
/* ===================================================================== */

/* (section: formats) */

#ifdef __cplusplus
}
#endif
#endif /* MARCATO_H */
