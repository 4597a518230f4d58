/*
 * marcato.h: the one public header of the marcato MARC 21 core.
 *
 * The core is portable C11: no I/O, no threads, no globals but const tables.
 * Every function is reentrant; an object (reader, record, buffer) must not be
 * used from two threads at once, distinct objects may.
 *
 * Sections: Versions and status codes / Diagnostics / Errors / Buffers /
 * Records (views, iteration, lookup) / Record builder / Reader (push
 * parser) / Writers / Validation / Queries / Character sets / Formats
 * (text readers and writers) / Any format: the format enum, sniffing, one
 * reader handle and one write call.
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
  MARC_OK = 0,          /* a record (or the requested value) is available */
  MARC_NEED_MORE = 1,   /* the reader needs more input (feed or finish) */
  MARC_END = 2,         /* input finished and every record was returned */
  MARC_E_NOMEM = -1,    /* an allocation failed; the object is unchanged */
  MARC_E_ARG = -2,      /* a bad argument (NULL, index out of range...) */
  MARC_E_INVALID = -3,  /* strict mode: the record had a problem; see the
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
  MARC_D_JUNK,               /* bytes between records skipped ("\n\n") */
  MARC_D_LENGTH_NOT_NUMERIC, /* leader/00-04 not five digits: "X0150" */
  MARC_D_LENGTH_TOO_SHORT,   /* leader length below 24: "00010" */
  MARC_D_LENGTH_MISMATCH,    /* record terminator not where the leader length
                                says; the record was framed by its 0x1D */
  MARC_D_RECORD_TOO_LONG,    /* real length over 99,999 bytes; read anyway */
  MARC_D_RECORD_OVERSIZE,    /* longer than the reader's max_record limit:
                                the rest up to the next 0x1D was dropped */
  MARC_D_TRUNCATED,          /* input ended inside the record */
  MARC_D_NO_TERMINATOR,      /* record does not end with 0x1D */
  /* Leader. */
  MARC_D_LEADER_SHORT,        /* fewer than 24 bytes before the record ends */
  MARC_D_INDICATOR_COUNT,     /* leader/10 is not '2' */
  MARC_D_SUBFIELD_CODE_COUNT, /* leader/11 is not '2' */
  MARC_D_BASE_ADDRESS,        /* leader/12-16 not digits or not just after the
                                 directory */
  /* Directory. */
  MARC_D_DIRECTORY_TERMINATOR, /* no 0x1E ends the directory */
  MARC_D_DIRECTORY_LENGTH,     /* directory length not a multiple of 12 */
  MARC_D_ENTRY_NOT_NUMERIC,    /* an entry's length or start has a non-digit */
  MARC_D_ENTRY_OUT_OF_RANGE,   /* an entry points past the end of the record */
  MARC_D_TAG_INVALID,          /* a tag byte is not an ASCII letter or digit */
  /* Fields. */
  MARC_D_FIELD_TERMINATOR,     /* a field does not end with 0x1E where its
                                  directory entry says; recovered from the
                                  field terminators */
  MARC_D_FIELD_TOO_SHORT,      /* a data field too short to hold indicators */
  MARC_D_SUBFIELD_DELIMITER,   /* data after the indicators does not start
                                  with 0x1F */
  MARC_D_FIELD_LOST,           /* a directory entry whose field could not be
                                  found at all; the field was dropped */
  MARC_D_DATA_LAYOUT,          /* the fields do not cover the data area exactly:
                                  bytes belong to no field, or two entries share
                                  bytes; written back, the record changes */
  MARC_D_TOO_MANY_DIAGNOSTICS, /* further diagnostics were dropped */
  /* Writing. */
  MARC_D_FIELD_TOO_LONG, /* a field over 9,999 bytes (ISO 2709 limit) */
  MARC_D_RECORD_TOO_LONG_TO_WRITE, /* a record over 99,999 bytes */
  /* Validation (marc_record_validate): content against MARC 21 rules. */
  MARC_D_LEADER_VALUE,    /* a leader position holds a value MARC 21 does
                             not define for the record type: 06 = 'q' */
  MARC_D_INDICATOR_VALUE, /* an indicator is not a digit, lowercase
                             letter or blank: '9' is fine, ':' is not */
  MARC_D_SUBFIELD_CODE,   /* a subfield code is not a lowercase letter or
                             digit: "\x1F\x00..." */
  MARC_D_FIELD_EMPTY,     /* a data field without subfields, or an empty
                             control field */
  MARC_D_TAG_NOT_NUMERIC, /* a tag with letters ("BAS"): local use only */
  /* Text formats (MARCXML, MARC-in-JSON, MARCMaker). */
  MARC_D_SYNTAX,    /* input not well-formed: "<record><leader>" cut
                       off, a JSON object never closed */
  MARC_D_NOT_MARC,  /* an element, key or line that is not part of
                       the format: <foo>, {"fields2": []} */
  MARC_D_BAD_VALUE, /* an indicator or subfield code that is not
                       exactly one character: ind1="10" */
  /* Character sets (marc_record_to_utf8 / _to_marc8), one per
   * marc_charset_code. */
  MARC_D_MARC8_UNMAPPED,        /* MARC-8 bytes with no character: U+FFFD */
  MARC_D_MARC8_BAD_ESCAPE,      /* an unknown escape sequence, skipped */
  MARC_D_MARC8_TRUNCATED,       /* a multibyte character cut short: U+FFFD */
  MARC_D_UTF8_INVALID,          /* bytes that are not UTF-8: U+FFFD */
  MARC_D_MARC8_UNREPRESENTABLE, /* written as "&#xXXXX;" in MARC-8 */
  MARC_D_ENCODING_MISLABELED,   /* leader/09 says MARC-8, the data is UTF-8 */
  MARC_D_ENCODING_REPAIRED,     /* double-encoded UTF-8 repaired (once per
                                   record): "PeÃÂtain" read as "Pétain" */
  MARC_D_COUNT_                 /* number of codes (not a code) */
} marc_code;

/* The stable identifier of a code, e.g. "LENGTH_MISMATCH". */
MARC_API const char *marc_code_name(marc_code code);

/* One problem found in the input. `msg` lives as long as the record the
 * diagnostic belongs to. */
typedef struct marc_diag {
  marc_code code;
  const char *msg; /* human readable detail, never NULL */
  uint64_t offset; /* absolute byte offset in the input stream */
  uint64_t record; /* record index in the stream, 0-based */
  char tag[4];     /* field tag the problem is in, "" for none */
} marc_diag;

/* ===================================================================== */
/* Errors                                                                  */
/* ===================================================================== */

/* The one shape of an error the API reports in a struct (the query
 * compiler, the any-format reader marc_input). Plain data: copy it, keep
 * it.
 *   code      a marc_status error (negative: MARC_E_NOMEM, MARC_E_INVALID
 *             for a query's syntax error...) or a marc_code (positive: the
 *             problem a reader found, MARC_D_SYNTAX...); 0 for none.
 *   position  where: the absolute byte offset in the input for readers,
 *             the 0-based byte offset in the text for queries.
 *   message   what, in English, NUL-terminated (cut to fit).
 *   record    readers: the 0-based index of the record the problem is
 *             in (or the next record's, for a problem between records);
 *             0 otherwise.
 *   tag       readers: the tag of the field the problem is in, or "". */
typedef struct marc_error {
  int code;
  size_t position;
  char message[160];
  uint64_t record;
  char tag[4];
} marc_error;

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
  char tag[4];  /* NUL-terminated, three characters */
  uint8_t ind1; /* ' ' when blank; 0 for control fields */
  uint8_t ind2;
  /* Indicators absent from the record as read (0 normally; 1 or 2 when a
   * damaged field starts with its subfield delimiter): read as blanks,
   * and left out again by the ISO 2709 writer while the record is
   * unedited, so reading and writing changes no byte. */
  uint8_t ind_missing;
  uint32_t off; /* offset into marc_record_bytes() */
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
MARC_API const marc_field *marc_record_field(const marc_record *rec, size_t i);
/* Every field: an array of marc_record_field_count(rec) in directory
 * order, valid until the record changes (NULL when it has none). For loops
 * over many records, one call instead of one per field. */
MARC_API const marc_field *marc_record_fields(const marc_record *rec);
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
MARC_API marc_status marc_record_append_field(marc_record *rec, const char *tag,
                                              char ind1, char ind2,
                                              const void *data, size_t len);
/* Append a field whose tag is exactly the three bytes `tag[0..2]`, a NUL
 * byte included: lenient reading keeps a tag as read, and this builds such
 * a field again (marc_record_append_field takes the tag as a C string). A
 * NUL counts as neither digit nor letter, so the field stays a control
 * field or a data field as the reader saw it. */
MARC_API marc_status marc_record_append_field_tag3(marc_record *rec,
                                                   const char tag[3], char ind1,
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
                                                 const void *value, size_t len);
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
 * directory are computed; the leader is otherwise kept. A record read from
 * ISO 2709 and unedited is written as it was read (it reads back with the
 * diagnostics it was read with). Any other record is written so that it
 * reads back with no diagnostic it was not read with: leader/10-11 "22",
 * text before a data field's first subfield delimiter as a subfield coded
 * '?', a NUL subfield code as '?' (marc_write_changes reports each); a tag
 * holding a NUL or structural byte, a field holding a terminator or a
 * structural indicator returns MARC_E_INVALID with `err` (may be NULL)
 * filled and nothing appended. A field over 9,999 bytes or a record over
 * 99,999 bytes returns MARC_E_TOO_LONG likewise. */
MARC_API marc_status marc_write_iso2709(const marc_record *rec, marc_buf *out,
                                        marc_diag *err);

/* Append the record as MARCMaker text, as MarcEdit writes it:
 *   =LDR  00000nam\\a2200000\\\4500
 *   =001  ocm123
 *   =245  10$aTitle$cAuthor
 * followed by a blank line. Blanks in the leader, control fields and
 * indicators are written '\'; a literal '$', '{', '}' as {dollar}, {lcub},
 * {rcub}, and '\' in leader or control fields as {bsol}. A line feed in a
 * field (or a carriage return ending it) is written '?', as are bytes of
 * the leader, tags and indicators that cannot stand in a UTF-8 line
 * (marc_write_changes reports each). */
MARC_API marc_status marc_write_mrk(const marc_record *rec, marc_buf *out);

/* Append the record as plain text for people (yaz-marcdump's line style):
 * the leader, then "001 value" and "245 10 $a Title $c Author" lines, then
 * a blank line. Not escaped: use MARCMaker for text to read back. */
MARC_API marc_status marc_write_text(const marc_record *rec, marc_buf *out);

/* ===================================================================== */
/* Validation                                                              */
/* ===================================================================== */

/* Check a record's content against MARC 21 rules beyond structure: leader
 * values for its record type (bibliographic, authority, holdings,
 * classification, community information), indicator characters, subfield
 * codes, empty fields, non-numeric tags. Problems are appended to the
 * record's diagnostics (also for reader views: only the diagnostics
 * change). Returns the number of problems found, or -1 when out of
 * memory. */
MARC_API int64_t marc_record_validate(marc_record *rec);

/* 1 when the reader's diagnostics say too little of the record is left to
 * check its content against a schema (a short leader, a broken directory,
 * lost fields, truncation...): front ends then report its structure
 * diagnostics and no schema findings, as `marcato validate` does. */
MARC_API int marc_record_damaged(const marc_record *rec);

/* ===================================================================== */
/* Queries                                                                 */
/* ===================================================================== */

/* A compiled record query. Operands are MARCspecs (see marc_spec below),
 * combined with words (whitespace separates them):
 *   245  650[0]$a{^2=\0}  a value of the spec exists ("6XX": X in a tag is
 *                      any character, as '.')
 *   245$a=\Jazz        one value equals the comparison string (\s is a
 *                      space); != none does (and there is a value)
 *   245$a~\jazz        one value includes it; !~ none does
 *   245$a=Jazz         a plain value ("Ulysses / " or '...' quoted): equal
 *   245$a~^jazz        a plain value after ~ is a POSIX extended regular
 *   245$a~*jazz        expression (~* ignoring case)
 *   LDR/06=a 008/35-37=eng 001=ocm123   positions and control fields
 *   A and B, A or B, not A, ( A )   combine; "and" binds tighter
 * The older forms MARCspec has no words for still read as before:
 * 245$ab (a or b; MARCspec: 245$a$b), 245.ind1=1 (245^1=\1). A data field
 * spec's value is its MARCMaker text ("10$aTitle"). A compiled query is
 * immutable: one may be used from many threads at once. */
typedef struct marc_query marc_query;

/* NULL on a syntax error or out of memory; then `err` (may be NULL) says
 * why: code MARC_E_INVALID and the byte offset in `text` where the syntax
 * went wrong ("245$a=" stops at 6: "expected a value"), or MARC_E_NOMEM.
 * On success err->code is 0. (Before 0.2 the error was a string; the
 * library is 0.x and the signature changed.) */
MARC_API marc_query *marc_query_compile(const char *text, marc_error *err);
/* 1 when the record matches, else 0. */
MARC_API int marc_query_match(const marc_query *q, const marc_record *rec);
MARC_API void marc_query_free(marc_query *q);

/* ===================================================================== */
/* Character sets: MARC-8 <-> UTF-8                                        */
/* ===================================================================== */

/* MARC 21 records are in MARC-8 (leader/09 ' ') or UTF-8 (leader/09 'a').
 * These calls convert text and whole records between the two. Tables are
 * generated at build time from the Library of Congress code tables: every
 * set (ASCII, ANSEL, Greek symbols, subscripts, superscripts, Hebrew,
 * Cyrillic, Arabic, Greek, EACC), escape sequences, combining marks
 * (which MARC-8 puts before their base character and Unicode after it).
 * All calls are reentrant and use no state but their arguments. */

/* What went wrong while converting text. Names: marc_charset_code_name. */
typedef enum marc_charset_code {
  MARC_CS_NONE = 0,
  MARC_CS_MARC8_UNMAPPED,        /* MARC-8 byte(s) with no character in the set
                                    in use, e.g. 0xA0 under ANSEL, or an EACC
                                    triple not in the table: U+FFFD written */
  MARC_CS_MARC8_BAD_ESCAPE,      /* ESC not followed by a known designation,
                                    e.g. ESC ( Z: the sequence is skipped */
  MARC_CS_MARC8_TRUNCATED,       /* an EACC character cut short by the end of
                                    the text or a delimiter: U+FFFD written */
  MARC_CS_UTF8_INVALID,          /* bytes that are not UTF-8 (0xC3 0x28,
                                    overlong, surrogate): U+FFFD written */
  MARC_CS_MARC8_UNREPRESENTABLE, /* a character MARC-8 cannot hold (U+20AC):
                                written as the reference "&#x20AC;" */
  MARC_CS_ENCODING_MISLABELED,   /* record level: leader/09 says MARC-8 but
                                    the data is valid UTF-8 with multibyte
                                    sequences; it was read as UTF-8 */
  MARC_CS_ENCODING_REPAIRED,     /* record level, auto encoding: UTF-8 read
                                    as Latin-1 and encoded again (once or
                                    more: "Ã©" for "é") was undone; logged
                                    once per record, at the first repair,
                                    `value` the first character repaired */
  MARC_CS_COUNT_                 /* number of codes (not a code) */
} marc_charset_code;

/* The stable identifier of a code, e.g. "MARC8_UNMAPPED". */
MARC_API const char *marc_charset_code_name(marc_charset_code code);

/* One problem. For text calls `offset` is the byte offset in the input
 * text and `tag` is ""; for record calls it is the offset in
 * marc_record_bytes() of the source record (add marc_record_offset() for a
 * position in the stream) and `tag` the field's tag. `value` is the byte,
 * bytes (EACC: b1 << 16 | b2 << 8 | b3) or code point at fault. */
typedef struct marc_charset_issue {
  marc_charset_code code;
  uint32_t value;
  uint64_t offset;
  char tag[4];
} marc_charset_issue;

/* Where the calls report problems: the caller's array of `cap` items
 * (`items` may be NULL with `cap` 0 to only count). `count` grows by one
 * per problem, also past `cap`; only the first `cap` are stored. Reuse
 * across calls or reset `count` to 0. Zero-initialise:
 *   marc_charset_issue v[16]; marc_charset_log log = {v, 16, 0}; */
typedef struct marc_charset_log {
  marc_charset_issue *items;
  size_t cap;
  size_t count;
} marc_charset_log;

/* The character set of a record's data. */
typedef enum marc_encoding {
  MARC_ENC_AUTO = 0, /* leader/09: 'a' UTF-8, anything else MARC-8; but
                        data that claims MARC-8 and is valid UTF-8 with
                        multibyte sequences is read as UTF-8 and
                        MARC_CS_ENCODING_MISLABELED reported */
  MARC_ENC_MARC8 = 1,
  MARC_ENC_UTF8 = 2
} marc_encoding;

/* Options of every conversion; zero-initialised means the defaults. */
typedef struct marc_charset_options {
  marc_encoding encoding; /* record calls: the source's encoding */
  /* 1: compose the UTF-8 output to Unicode NFC (e with U+0301 becomes
   * U+00E9), as most UTF-8 MARC is written. 0 (default): MARC-8's
   * decomposed form is kept (base character, then combining marks). For
   * UTF-8 sources the record call normalises too. Costs a scan of the
   * output; text without combining marks is left as is. */
  int nfc;
  /* 1: the first problem stops the call with MARC_E_INVALID, the output
   * buffer keeps its former length, and the problem is in the log. 0
   * (default): lenient, problems are replaced (U+FFFD, "&#x...;") and
   * logged. */
  int strict;
  /* Decoding MARC-8: numeric character references "&#xHHHH;" (MARC 21's
   * lossless convention, what the encoder writes for characters MARC-8
   * lacks) are read back as the character unless this is 1. */
  int keep_ncr;
} marc_charset_options;

/* Append the UTF-8 form of MARC-8 text `in` to `out`. The text starts in
 * the default state (G0 ASCII, G1 ANSEL); escape sequences switch sets:
 * ESC ( F / ESC , F (G0), ESC ) F / ESC - F (G1), ESC $ 1, ESC $ ( 1 ...
 * (EACC), ESC g / ESC b / ESC p (Greek symbols, subscripts, superscripts
 * into G0) and ESC s (back to ASCII). A subfield delimiter 0x1F and the
 * subfield code after it pass through unchanged and bring back the default
 * state (as YAZ and pymarc, which convert subfield by subfield), so a
 * field's subfield data can be converted whole. Combining marks with no
 * base before a delimiter or the end are kept, after what precedes them.
 * `opt` and `log` may be NULL. Returns MARC_OK, MARC_E_INVALID (strict),
 * MARC_E_NOMEM or MARC_E_ARG. */
MARC_API marc_status marc_marc8_to_utf8(const uint8_t *in, size_t n,
                                        marc_buf *out,
                                        const marc_charset_options *opt,
                                        marc_charset_log *log);

/* Append the MARC-8 form of UTF-8 text `in` to `out`. G1 holds ANSEL
 * throughout; a character is taken from ANSEL or the set in G0 when they
 * have it, else from the first set that does (ASCII, ANSEL, Greek symbols,
 * subscripts, superscripts, Hebrew, Cyrillic, Arabic, Greek, EACC), with an
 * escape sequence. Precomposed letters are decomposed (U+00E9 becomes ANSEL
 * 0xE2 'e'); combining marks are moved before their base. Characters no set
 * holds, and marks with no base, become "&#xHHHH;" and
 * MARC_CS_MARC8_UNREPRESENTABLE is logged (a literal "&#x" in the text is
 * written "&#x0026;#x"). The text ends, and every subfield delimiter is
 * preceded, with G0 back to ASCII. Decoding the result (without keep_ncr)
 * gives back the input's text: equal to the input after NFC on both. */
MARC_API marc_status marc_utf8_to_marc8(const uint8_t *in, size_t n,
                                        marc_buf *out,
                                        const marc_charset_options *opt,
                                        marc_charset_log *log);

/* Append the NFC form of UTF-8 text `in` to `out`. Invalid bytes become
 * U+FFFD (logged as MARC_CS_UTF8_INVALID; strict stops). */
MARC_API marc_status marc_utf8_nfc(const uint8_t *in, size_t n, marc_buf *out,
                                   const marc_charset_options *opt,
                                   marc_charset_log *log);

/* Nonzero when every byte of `p` is ASCII below 0x7F but ESC (0x1B, a
 * MARC-8 escape) and '&' (maybe a character reference): such text reads
 * the same as MARC-8, UTF-8 and NFC, so converting it changes nothing.
 * Checked eight bytes at a time. */
MARC_API int marc_charset_plain(const uint8_t *p, size_t n);

/* Results of marc_utf8_check. */
enum {
  MARC_UTF8_INVALID = -1, /* not UTF-8 */
  MARC_UTF8_ASCII = 0,    /* valid, every byte below 0x80 */
  MARC_UTF8_MULTIBYTE = 1 /* valid, with at least one multibyte sequence */
};
/* Is `p` well-formed UTF-8 (no overlong forms, surrogates or code points
 * past U+10FFFF)? On MARC_UTF8_INVALID, `*bad` (may be NULL) is the offset
 * of the first bad byte. Used for "leader says MARC-8 but the bytes are
 * UTF-8": MARC-8 text with ANSEL diacritics is almost never valid
 * multibyte UTF-8. */
MARC_API int marc_utf8_check(const uint8_t *p, size_t n, size_t *bad);

/* Nonzero when a field of `rec` holds bytes that are not UTF-8. A record
 * whose leader says UTF-8 but fails this goes through marc_record_to_utf8
 * before text output (the CLI and the wasm readers alike), which writes
 * U+FFFD for each bad sequence and reports it (UTF8_INVALID) instead of
 * copying the bytes. */
MARC_API int marc_record_utf8_invalid(const marc_record *rec);

/* Nonzero when marc_record_to_utf8 would change the data of `rec`, read as
 * UTF-8 with source encoding `encoding`: bytes that are not UTF-8 (see
 * marc_record_utf8_invalid) or, with MARC_ENC_AUTO, double-encoded UTF-8
 * (UTF-8 read as Latin-1 and encoded again, once or more: a letter
 * U+00C2-U+00F4 then one to three characters U+0080-U+00BF whose bytes
 * form one valid UTF-8 sequence; "Ã©" for "é"), which the conversion
 * repairs and reports (MARC_CS_ENCODING_REPAIRED). One pass over the
 * non-ASCII fields; ASCII-only fields are skipped eight bytes at a time. */
MARC_API int marc_record_utf8_needs_repair(const marc_record *rec,
                                           marc_encoding encoding);

/* Convert a record to UTF-8: a new owned record in *out (free it with
 * marc_record_free) with every field's data converted (MARC-8 decoded, or
 * UTF-8 checked and, with `nfc`, normalised) and leader/09 set to 'a'. The
 * source's encoding is opt->encoding (default auto, see marc_encoding).
 * The copy keeps the source's index, offset and diagnostics. In strict
 * mode the first problem returns MARC_E_INVALID, *out is NULL and the log
 * holds the problem; MARC_E_NOMEM and MARC_E_ARG also leave *out NULL.
 * MARC_CS_ENCODING_MISLABELED is logged with offset 9 and tag "". With
 * the auto encoding, UTF-8 data that is double-encoded is repaired (see
 * marc_record_utf8_needs_repair) and MARC_CS_ENCODING_REPAIRED logged once
 * for the record; MARC_ENC_UTF8 keeps such bytes as they are. */
MARC_API marc_status marc_record_to_utf8(const marc_record *rec,
                                         const marc_charset_options *opt,
                                         marc_record **out,
                                         marc_charset_log *log);

/* Convert a record to MARC-8 (leader/09 blank), for legacy systems; the
 * reverse of marc_record_to_utf8 with the same options. A source already
 * in MARC-8 (by opt->encoding or leader/09) is copied unchanged. */
MARC_API marc_status marc_record_to_marc8(const marc_record *rec,
                                          const marc_charset_options *opt,
                                          marc_record **out,
                                          marc_charset_log *log);

/* ===================================================================== */
/* Formats: MARCXML, MARC-in-JSON, MARCMaker reader                        */
/* ===================================================================== */

/* The text formats beside ISO 2709. The writers have no dependency and are
 * in every build. The MARCXML reader needs expat and the MARC-in-JSON
 * reader cJSON: builds without them (the default Emscripten and WASI
 * builds) leave those functions out. CMake sets the global properties
 * MARCATO_HAVE_MARCXML_READER / MARCATO_HAVE_JSON_READER to tell.
 *
 * MARCXML and MARC-in-JSON must be UTF-8, so the writers always produce
 * valid output: every byte that is not part of a well-formed UTF-8
 * sequence (MARC-8 or Latin-1 text, a cut character) becomes U+FFFD, and
 * so does every C0 control XML 1.0 forbids (all but tab, LF and CR), and
 * U+FFFE/U+FFFF. Convert MARC-8 records to UTF-8 before writing them.
 * Bytes before the first subfield delimiter of a malformed data field have
 * no place in either format and are not written. */

/* --- MARCXML writer --------------------------------------------------- */

enum {
  /* marc_write_marcxml: the record is inside a <collection> (from
   * marc_write_marcxml_begin), so <record> does not repeat the namespace
   * declaration. */
  MARC_XML_IN_COLLECTION = 1u << 0,
  /* marc_write_marcxml_begin: start with <?xml version="1.0"
   * encoding="UTF-8"?>. */
  MARC_XML_DECLARATION = 1u << 1
};

/* Append one record as MARCXML (namespace http://www.loc.gov/MARC21/slim),
 * laid out as yaz-marcdump -o marcxml does: one element per line, two
 * spaces of indentation per level. & < > " ' are written as entities, and
 * tab, LF and CR as character references (&#9; &#10; &#13;) so that XML
 * parsers give them back unchanged. The leader is written as stored.
 * Returns MARC_OK, MARC_E_ARG or MARC_E_NOMEM (nothing appended). */
MARC_API marc_status marc_write_marcxml(const marc_record *rec, marc_buf *out,
                                        uint32_t flags);
/* A stream of records: begin, then marc_write_marcxml(..,
 * MARC_XML_IN_COLLECTION) per record, then end. */
MARC_API marc_status marc_write_marcxml_begin(marc_buf *out, uint32_t flags);
MARC_API marc_status marc_write_marcxml_end(marc_buf *out);

/* --- MARC-in-JSON writer ---------------------------------------------- */

/* Append one record as one compact MARC-in-JSON object, no newline:
 *   {"leader":"...","fields":[{"001":"..."},
 *    {"245":{"subfields":[{"a":"..."}],"ind1":"1","ind2":"0"}}]}
 * Controls are escaped (\n \r \t, else \u00XX: the subfield delimiter
 * inside a control field becomes \u001f). */
MARC_API marc_status marc_write_json(const marc_record *rec, marc_buf *out);
/* JSON Lines: the object and "\n". */
MARC_API marc_status marc_write_jsonl(const marc_record *rec, marc_buf *out);
/* A JSON array of records: begin ("[\n"), marc_write_json per record with
 * marc_write_json_sep (",\n") between two records, end ("\n]\n"). */
MARC_API marc_status marc_write_json_begin(marc_buf *out);
MARC_API marc_status marc_write_json_sep(marc_buf *out);
MARC_API marc_status marc_write_json_end(marc_buf *out);

/* --- Readers ------------------------------------------------------------ */

/* The three text readers work like marc_reader: feed a chunk of any size,
 * call next until it returns MARC_NEED_MORE (the bytes must stay valid
 * until then; feeding earlier returns MARC_E_STATE), feed the next chunk,
 * and after the last one finish and call next until MARC_END. Results do not
 * depend on how the input was cut. They take the same options (max_record
 * bounds the bytes of one record's fields). A record returned is an owned
 * record (it can be edited in place) that the reader reuses: it is valid until
 * the reader's next call; marc_record_clone keeps one. Its offset is the
 * absolute byte offset where the record starts (<record>, '{', "=LDR"), its raw
 * length the bytes up to its end.
 *
 * Problems. Lenient mode (default) attaches diagnostics to the record
 * they are in and keeps what is sound; content between records that is
 * not a record is reported as MARC_D_JUNK on the next record. Malformed
 * XML cuts the record it is in (returned with a MARC_D_SYNTAX diagnostic)
 * and reading resumes at the next <record>, which reports the bytes
 * skipped (MARC_D_JUNK). A problem with no record to carry it (malformed
 * XML or JSON with no record after it, content but no record at the end
 * of input) makes next return
 * MARC_E_INVALID once, in both modes, with the problem in *_error.
 * Strict mode returns MARC_E_INVALID for the first problem of a record
 * and goes on with the next record. */

/* Each text reader T below has the same six calls, declared by
 * MARC_TEXT_READER(T) (the names are spelled out for searching):
 *   T *T_new(const marc_reader_options *opt);   NULL when out of memory
 *   void T_free(T *r);                           accepts NULL
 *   marc_status T_feed(T *r, const void *p, size_t n);
 *   marc_status T_finish(T *r);
 *   marc_status T_next(T *r, marc_record **rec);
 *   const marc_diag *T_error(const T *r);        after MARC_E_INVALID */
#define MARC_TEXT_READER(T)                                                    \
  typedef struct T T;                                                          \
  MARC_API T *T##_new(const marc_reader_options *opt);                         \
  MARC_API void T##_free(T *r);                                                \
  MARC_API marc_status T##_feed(T *r, const void *p, size_t n);                \
  MARC_API marc_status T##_finish(T *r);                                       \
  MARC_API marc_status T##_next(T *r, marc_record **rec);                      \
  MARC_API const marc_diag *T##_error(const T *r)

/* MARCXML (needs expat): marc_xml_reader_new, _free, _feed, _finish,
 * _next, _error. Accepts one XML document: a <collection> of records or a
 * lone <record>, with or without a namespace prefix (marc:record);
 * elements are matched by local name, whatever their namespace. Any
 * encoding expat knows is converted to UTF-8. After bytes that are not
 * well-formed XML (a stray '&', a NUL, invalid UTF-8) the record they cut
 * is returned with what it holds and a MARC_D_SYNTAX diagnostic, and
 * reading resumes at the next "<record" start tag: that record carries a
 * MARC_D_JUNK diagnostic with the error's offset, the number of bytes
 * skipped and the first of them. An error with no record after it is
 * MARC_E_INVALID (MARC_D_SYNTAX) when it cut no record. */
MARC_TEXT_READER(marc_xml_reader);

/* MARC-in-JSON (needs cJSON): marc_json_reader_new, _free, _feed, _finish,
 * _next, _error. Accepts JSON Lines, objects one after the other however
 * laid out, or a JSON array of objects (several arrays one after the other
 * too). Records are framed by a byte scanner, so an array is never held
 * whole: only one record's object is. JSON strings cannot hold NUL bytes
 * here (\u0000 ends the value). */
MARC_TEXT_READER(marc_json_reader);

/* MARCMaker text, the inverse of marc_write_mrk: marc_mrk_reader_new,
 * _free, _feed, _finish, _next, _error. "=LDR  " starts a record, a blank
 * line or the next "=LDR" ends it; LF or CRLF. '\' is a blank in the
 * leader, control fields and indicators; '$' starts a subfield; {dollar}
 * {lcub} {rcub} {bsol} are '$' '{' '}' '\'. Other {mnemonics} are kept as
 * written. No dependency. */
MARC_TEXT_READER(marc_mrk_reader);

/* ===================================================================== */
/* Any format: the format enum, sniffing, one reader, one write call       */
/* ===================================================================== */

/* The formats marcato reads and writes. TEXT is written only. */
typedef enum marc_format {
  MARC_FORMAT_NONE = -1,   /* not a format: an unknown name */
  MARC_FORMAT_AUTO = 0,    /* reading: sniff from the first bytes */
  MARC_FORMAT_ISO2709 = 1, /* ISO 2709 (.mrc) */
  MARC_FORMAT_MARCXML = 2, /* MARCXML, a <collection> of records */
  MARC_FORMAT_JSON = 3,    /* MARC-in-JSON, written as an array */
  MARC_FORMAT_JSONL = 4,   /* MARC-in-JSON, one record per line */
  MARC_FORMAT_MRK = 5,     /* MARCMaker (.mrk) */
  MARC_FORMAT_TEXT = 6     /* for people (yaz-marcdump's lines); write only */
} marc_format;

/* The format's name, as the CLI's -f/-t and the JS package spell it:
 * "auto", "iso2709", "marcxml", "json", "jsonl", "mrk", "text"; "?" for
 * anything else. */
MARC_API const char *marc_format_name(marc_format fmt);
/* The format a name stands for: the names above and the aliases "marc",
 * "mrc" (iso2709), "xml" (marcxml) and "marcmaker" (mrk).
 * MARC_FORMAT_NONE for an unknown name or NULL. */
MARC_API marc_format marc_format_from_name(const char *name);
/* 1 when this build has a reader for `fmt` (MARCXML needs expat, JSON and
 * JSONL cJSON; ISO 2709 and MRK are always there), else 0. */
MARC_API int marc_format_readable(marc_format fmt);

/* The format of input that starts with these bytes. The one rule, used by
 * the CLI, the wasm glue and the JS package:
 *   skip a UTF-8 byte order mark (EF BB BF) and then spaces, tabs, CR and
 *   LF; the next byte decides:
 *   '<'        MARCXML
 *   '{'        JSONL when a whole object stands on the first line (its
 *              closing '}' followed only by blanks before the LF) and the
 *              next line that is not blank starts with '{'; else JSON
 *   '['        JSON
 *   "=LDR", or '=', three bytes and two blanks ("=245  ")  MRK
 *   otherwise  ISO 2709 (also for empty input or only blanks)
 * Give it the bytes already read: 64 are enough for all but JSONL, which
 * needs its first line and the start of the next (with fewer bytes it
 * answers JSON, which reads JSON Lines too). */
MARC_API marc_format marc_sniff(const uint8_t *p, size_t n);

/* --- One reader for any format ----------------------------------------- */

/* A reader handle for any format: the ISO 2709, MARCXML, MARC-in-JSON or
 * MARCMaker reader behind one set of calls, used as marc_reader is (feed,
 * next until MARC_NEED_MORE, feed..., finish, next until MARC_END). Opaque.
 * The format readers stay public; this only dispatches. */
typedef struct marc_input marc_input;

/* A reader for `fmt` (JSONL is read by the MARC-in-JSON reader). With
 * MARC_FORMAT_AUTO the format is sniffed (marc_sniff) from the first bytes
 * fed: they are kept (copied) until more could not change the answer (at
 * most 64 KiB) or finish is called, then given to the reader, so the
 * caller never reads its input twice. `opt` may
 * be NULL. NULL when out of memory, when fmt is TEXT or not a format, or
 * when this build has no reader for it (marc_format_readable). */
MARC_API marc_input *marc_input_new(marc_format fmt,
                                    const marc_reader_options *opt);
/* Accepts NULL. */
MARC_API void marc_input_free(marc_input *in);
/* Offer `n` bytes; as marc_reader_feed, they must stay valid until next
 * returns MARC_NEED_MORE (while sniffing they are copied). */
MARC_API marc_status marc_input_feed(marc_input *in, const void *p, size_t n);
/* No more input will come. */
MARC_API marc_status marc_input_finish(marc_input *in);
/* Next record: MARC_OK and *rec set (valid until the next call),
 * MARC_NEED_MORE, MARC_END, MARC_E_INVALID (marc_input_error says why),
 * MARC_E_NOMEM, or MARC_E_STATE when the format sniffed has no reader in
 * this build (then the error names it). */
MARC_API marc_status marc_input_next(marc_input *in, marc_record **rec);
/* The problem behind the last MARC_E_INVALID or MARC_E_STATE: a reader's
 * diagnostic as code (marc_code), position (absolute byte offset), message,
 * record and tag. Valid until the next call. */
MARC_API const marc_error *marc_input_error(const marc_input *in);
/* The format being read: the one given, or the one sniffed (AUTO until
 * enough bytes came). */
MARC_API marc_format marc_input_format(const marc_input *in);

/* --- One write call for any format -------------------------------------- */

/* Flags of marc_write, marc_write_begin and marc_write_end. */
enum {
  /* MARCXML: the record is inside a collection (no namespace on
   * <record>); JSON: the record is inside an array. Set it for records
   * between marc_write_begin and marc_write_end. */
  MARC_WRITE_IN_COLLECTION = 1u << 0,
  /* MARCXML: marc_write_begin writes the XML declaration first. */
  MARC_WRITE_XML_DECLARATION = 1u << 1,
  /* JSON in a collection: this is not the first record, so ",\n" comes
   * before it. */
  MARC_WRITE_NOT_FIRST = 1u << 2
};

/* Append `rec` in `fmt` (not AUTO): marc_write_iso2709, _marcxml, _json,
 * _jsonl, _mrk or _text. A record ISO 2709 cannot hold returns
 * MARC_E_TOO_LONG with nothing appended (marc_write_iso2709 with an `err`
 * tells which field). Many records: marc_write_begin, marc_write per
 * record with MARC_WRITE_IN_COLLECTION (and MARC_WRITE_NOT_FIRST after
 * the first), marc_write_end. MARC_E_ARG for AUTO or an unknown format. */
MARC_API marc_status marc_write(const marc_record *rec, marc_format fmt,
                                uint32_t flags, marc_buf *out);
/* What comes before the first record of a stream: MARCXML's
 * <collection> (with the declaration when flagged), JSON's "[\n";
 * nothing for the other formats. */
MARC_API marc_status marc_write_begin(marc_format fmt, uint32_t flags,
                                      marc_buf *out);
/* What ends a stream: MARCXML's </collection>, JSON's "\n]\n"; nothing
 * for the others. */
MARC_API marc_status marc_write_end(marc_format fmt, uint32_t flags,
                                    marc_buf *out);

/* ===================================================================== */
/* Validation against Avram schemas                                        */
/* ===================================================================== */

/* Avram (https://format.gbv.de/schema/avram/specification, version 0.9.6)
 * is a JSON schema language for MARC-like formats: which fields, indicators,
 * subfields, fixed-field positions and codes a format defines. A schema is
 * loaded (parsed and compiled into flat tables) once and is immutable
 * afterwards: one schema may validate records on many threads at once.
 * Validating a record allocates nothing per field. Needs cJSON (like the
 * MARC-in-JSON reader): builds without it leave this section out; CMake
 * sets the global property MARCATO_HAVE_AVRAM to tell.
 *
 * Patterns are ECMAScript regular expressions in Avram; they are
 * translated to POSIX extended expressions (see marc_schema_load for what
 * is supported). */

typedef struct marc_schema marc_schema;

/* The validation rules, named as in the Avram specification. Each problem
 * reported carries one; marc_schema_rule_name gives its name. */
typedef enum marc_schema_rule {
  MARC_AV_INVALID_RECORD = 0,     /* master switch of rules below */
  MARC_AV_UNDEFINED_FIELD,        /* a field the schema does not define */
  MARC_AV_DEPRECATED_FIELD,       /* a field defined as deprecated */
  MARC_AV_NONREPEATABLE_FIELD,    /* a non-repeatable field repeated */
  MARC_AV_MISSING_FIELD,          /* a required field missing */
  MARC_AV_INVALID_FIELD_VALUE,    /* switch: flat field values (LDR, 00X) */
  MARC_AV_INVALID_INDICATOR,      /* indicator not defined, or missing */
  MARC_AV_INVALID_SUBFIELD,       /* switch: every subfield rule below */
  MARC_AV_UNDEFINED_SUBFIELD,     /* a subfield code the field lacks */
  MARC_AV_DEPRECATED_SUBFIELD,    /* a subfield defined as deprecated */
  MARC_AV_NONREPEATABLE_SUBFIELD, /* a non-repeatable subfield repeated */
  MARC_AV_MISSING_SUBFIELD,       /* a required subfield missing */
  MARC_AV_INVALID_SUBFIELD_VALUE, /* switch: subfield values */
  MARC_AV_PATTERN_MISMATCH,       /* a value does not match its pattern */
  MARC_AV_INVALID_POSITION,       /* a value too short for its positions */
  MARC_AV_RECORD_TYPES,           /* switch: typed definitions (008 BK...) */
  MARC_AV_INVALID_FLAG,           /* a position not made of its flags */
  MARC_AV_UNDEFINED_CODE,         /* a value not in its codelist */
  MARC_AV_DEPRECATED_CODE,        /* a value defined as deprecated */
  MARC_AV_UNDEFINED_CODELIST,     /* a codelist reference the schema lacks
                                     (off by default) */
  MARC_AV_LOCAL_FIELD,            /* marcato's switch, off by default:
                                     report local MARC fields (9XX and X9X,
                                     such as 590, 690, 090) the schema does
                                     not define as undefinedField */
  MARC_AV_COUNT_RECORD,           /* counting over a set of records (off by
                                     default; marc_schema_counter): the number
                                     of records, and of records with a field or
                                     subfield, as the schema's "records" say */
  MARC_AV_COUNT_FIELD,            /* fields in all, as "total" says */
  MARC_AV_COUNT_SUBFIELD,         /* subfields in all, as "total" says */
  MARC_AV_RULE_COUNT_             /* number of rules (not a rule) */
} marc_schema_rule;

/* The rule's name in the specification, e.g. "undefinedField". */
MARC_API const char *marc_schema_rule_name(marc_schema_rule rule);
/* The rule named `name` (as marc_schema_rule_name gives), or -1. */
MARC_API int marc_schema_rule_from_name(const char *name);

/* Which rules run: bit (1u << rule) set in `enable` switches a rule on,
 * in `disable` off, over the defaults (every rule on but
 * undefinedCodelist, localField and the counting rules, which only
 * marc_schema_counter_check runs; undefinedField off for partial
 * schemas, see marc_schema_partial). Zero-initialised: the defaults. A
 * rule whose switch (invalidRecord, invalidSubfield...) is off does not
 * run either. */
typedef struct marc_schema_options {
  uint32_t enable;
  uint32_t disable;
} marc_schema_options;

/* One problem found. Pointers are valid during the callback only.
 *   record    0-based index of the record (marc_record_index)
 *   offset    absolute byte offset in the input of what is wrong: the
 *             subfield's code, the indicator, the field's data (flat
 *             fields: plus the position), the record for missing fields
 *   tag       the field's tag ("LDR" for the leader), "" for none
 *   code      the subfield code, 0 for none
 *   indicator 1 or 2 for an indicator, 0 for none
 *   position  the positions key ("07-10"), NULL for none
 *   value     the value at fault (value_len bytes, not NUL-terminated),
 *             NULL for none
 *   pattern   the pattern not matched, NULL for none
 *   id        the field definition's identifier, NULL when undefined
 *   label     the definition's label (the subfield's for subfield rules,
 *             the position's for positions, else the field's), NULL for
 *             none
 *   expected, found   counting rules: the number the schema gives and the
 *             number counted (value is then "total" or "records", the
 *             key compared); 0 otherwise
 *   type      the record type of the typed definition the value was
 *             checked against ("BK" for 008 of books, "007c"), NULL for
 *             the field's own definition: with `position`, which
 *             definition of the positions is meant */
typedef struct marc_schema_problem {
  marc_schema_rule rule;
  uint64_t record;
  uint64_t offset;
  char tag[16];
  char code;
  uint8_t indicator;
  const char *position;
  const uint8_t *value;
  size_t value_len;
  const char *pattern;
  const char *id;
  const char *label;
  int64_t expected, found;
  const char *type;
} marc_schema_problem;

/* Called once per problem; return non-zero to stop validating the
 * record. */
typedef int (*marc_schema_callback)(void *ctx, const marc_schema_problem *p);

/* Load an Avram schema from JSON text. NULL on failure with `err` (may be
 * NULL) filled: code MARC_E_INVALID and a message naming the JSON Pointer
 * of the problem ("/fields/245/repeatable: expected true or false") and
 * the byte position for JSON syntax errors, or MARC_E_NOMEM.
 * Patterns: literals, '.', bracket expressions (with \d \w \s inside),
 * \d \D \w \W \s \S, escaped characters (\. \| \/ ...), \t \n
 * \r, \xHH and \uHHHH, ^ $, groups ( ) and (?: ), alternation,
 * quantifiers * + ? {n} {n,} {n,m} with counts up to 255 (lazy forms
 * match the same strings). Look-arounds, back-references, \b, \p{},
 * named groups, non-ASCII characters in brackets and flags are refused
 * with an error naming the pattern's JSON Pointer. Values are matched as
 * UTF-8: '.' matches one whole character, a bracket expression one byte
 * (so [^a] matches a non-ASCII character too, byte by byte). */
MARC_API marc_schema *marc_schema_load(const char *json, size_t len,
                                       marc_error *err);
/* Accepts NULL. */
MARC_API void marc_schema_free(marc_schema *s);

/* The schemas marcato ships (built into the library): MARC 21
 * bibliographic (complete, from avram-js), authority and holdings
 * (partial rule packs from the DuckDB marc21 extension). */
typedef enum marc_schema_builtin {
  MARC_SCHEMA_BIBLIOGRAPHIC = 0,
  MARC_SCHEMA_AUTHORITY,
  MARC_SCHEMA_HOLDINGS,
  MARC_SCHEMA_BUILTIN_COUNT_
} marc_schema_builtin;
/* Load a built-in schema (same errors as marc_schema_load). */
MARC_API marc_schema *marc_schema_load_builtin(marc_schema_builtin which,
                                               marc_error *err);
/* The JSON text of a built-in schema (`*len` bytes, not NUL-terminated
 * in general), as the library embeds it: for front ends that show the
 * definitions (labels, code meanings). NULL for a bad `which`. */
MARC_API const char *marc_schema_builtin_json(marc_schema_builtin which,
                                              size_t *len);
/* The built-in schema for a record of type leader/06: bibliographic
 * (a c d e f g i j k m o p r t), authority (z), holdings (u v x y); -1
 * for the others (classification 'w', community information 'q'). */
MARC_API int marc_schema_builtin_for(char leader06);

/* The schema's title ("" when it has none). */
MARC_API const char *marc_schema_title(const marc_schema *s);
/* 1 for a partial schema (the built-in authority and holdings ones): it
 * leaves fields out, so undefinedField is off by default. */
MARC_API int marc_schema_partial(const marc_schema *s);
/* The label of the field definition matching `tag` (and of its subfield
 * `code` when not 0), or NULL: for reports and viewers. */
MARC_API const char *marc_schema_label(const marc_schema *s, const char *tag,
                                       char code);

/* Validate a record against the schema: the leader as field "LDR", the
 * control fields as flat fields, the data fields with their indicators and
 * subfields. Avram record types are leader/06 ("a"), the material type
 * of leader/06-07 (BK CF CR MP MU MX VM) for every field but 006 and 007,
 * which take theirs from their own first character (006/00 'a' is BK,
 * 007/00 'c' is "007c"), as MARC 21 defines them. Each problem is passed
 * to `cb` (may be NULL to count only). `opt` may be NULL for the
 * defaults. Returns the number of problems, or -1 when out of memory
 * (only for values over 4 KiB that a pattern must match). */
MARC_API int64_t marc_schema_validate(const marc_schema *s,
                                      const marc_record *rec,
                                      const marc_schema_options *opt,
                                      marc_schema_callback cb, void *ctx);

/* marc_record_validate(rec), then marc_schema_validate(s, rec, opt, cb,
 * ctx) when `s` is not NULL, in one pass over the record's fields (each
 * field's subfields are scanned once for both): the same diagnostics are
 * appended to the record and the same problems passed to `cb`, each in
 * the same order, as by the two calls (the callback may be called before
 * the diagnostics of later fields are added). Front ends pass NULL for a
 * record marc_record_damaged says is too damaged for a schema. Returns
 * the number of schema problems, or -1 when out of memory; *diags (may
 * be NULL) gets the number of diagnostics marc_record_validate would
 * return. */
MARC_API int64_t marc_record_validate_schema(marc_record *rec,
                                             const marc_schema *s,
                                             const marc_schema_options *opt,
                                             marc_schema_callback cb, void *ctx,
                                             int64_t *diags);

/* Counting rules (countRecord, countField, countSubfield) look at a set
 * of records: add each record to a counter, then check the counts
 * against the schema's "records" and "total" keys. A counter belongs to
 * one thread; its schema must outlive it. */
typedef struct marc_schema_counter marc_schema_counter;
/* NULL when out of memory. */
MARC_API marc_schema_counter *marc_schema_counter_new(const marc_schema *s);
/* Accepts NULL. */
MARC_API void marc_schema_counter_free(marc_schema_counter *c);
/* Add the counts of `from` (records others than those of `into`, e.g.
 * counted on another thread) to `into`; both count for one schema.
 * Returns 0, or -1 when they do not. */
MARC_API int marc_schema_counter_merge(marc_schema_counter *into,
                                       const marc_schema_counter *from);
/* Count a record's fields and subfields that the schema defines. Returns
 * 0, or -1 for a NULL argument. */
MARC_API int marc_schema_counter_add(marc_schema_counter *c,
                                     const marc_record *rec);
/* Report every count that differs from the schema's, for the counting
 * rules `opt` enables (all three are off by default): countRecord (the
 * number of records), countField (a field's "total"; with countRecord
 * also its "records"), countSubfield (likewise for subfields). Returns
 * the number of problems. */
MARC_API int64_t marc_schema_counter_check(const marc_schema_counter *c,
                                           const marc_schema_options *opt,
                                           marc_schema_callback cb, void *ctx);

/* A readable English message for a problem, NUL-terminated (cut to fit
 * `n`), e.g. "field 245 subfield a must not be repeated". Returns `buf`. */
MARC_API char *marc_schema_problem_message(const marc_schema_problem *p,
                                           char *buf, size_t n);

/* ===================================================================== */
/* MARCspec: pointing at MARC data                                         */
/* ===================================================================== */

/* MARCspec (https://marcspec.github.io/MARCspec/), the whole grammar:
 *   245 LDR 00. 7..       field data ('.' matches any character)
 *   300[0] 300[1-#] 300[#] 300[#-1]   field index: 0-based, '#' the last,
 *                         "#-k" the last k+1; counted over the fields the
 *                         tag matches, in record order
 *   LDR/6 008/35-37 007/1-# 245$a/#-1  character positions
 *   245$a 245$a$c 245$a-c ...$_$$    subfield codes and ranges
 *   300$a[0] 300$a[#]     subfield index, counted within each field
 *   880^1 880[1]^2        indicators
 *   020$c{$q=\paperback}  subspecs: = != ~ (includes) !~ ? (exists)
 *                         ! (not exists); | is or, {..}{..} is and;
 *                         \... a comparison string ($ { } ! = ~ ? |
 *                         escaped by '\', a space written \s)
 *   245$a{/#=\/} 007[1]/3{/0=\v} 800[0]{$a~\Poe}{^2=\1}  abbreviations
 * Leading zeros are accepted in positions (LDR/06).
 *
 * Values, in record order (each field once, its subfields in the order
 * they are written):
 *   field spec      one value per field: a control field's data, the
 *                   leader's 24 bytes, or a data field's text in MARCMaker
 *                   form without "=TAG  ": "10$aTitle /$cX." (blank
 *                   indicators '\'; '$' '{' '}' in the data as {dollar}
 *                   {lcub} {rcub})
 *   subfield spec   one value per subfield that a code selects
 *   indicator spec  the indicator character of each data field
 * Character positions slice a value by characters when the record is
 * UTF-8 (leader/09 'a'), by bytes otherwise (MARC-8; convert the record
 * first to count characters). A position past the end gives no value;
 * a range is cut at the end.
 *
 * Subspecs decide about each value on its own: an omitted left-hand side
 * is that value ("245$a{/#=\/}": the $a values ending in '/'); an
 * abbreviated subterm ("$q", "^1", "/0") refers to the field that value
 * is in, or for "/..." to the value itself; a subterm with a tag, or an
 * abbreviated field index ("[1]"), refers to the whole record. A subspec
 * with no left-hand value is false; = and ~ need one pair of values to
 * match, != and !~ none.
 *
 * A compiled spec is immutable: one may be used from many threads at
 * once, each with its own scratch buffer. */
typedef struct marc_spec marc_spec;

enum {
  /* Also accept traject's shorthand where it is not MARCspec:
   *   245abc      245$a$b$c (one value per subfield; traject joins them)
   *   245|1*|a    245$a{^1=\1}  ('*' any indicator, ' ' a blank)
   *   008[35-37]  008/35-37 (008 is not repeatable, so a field index on
   *               it would mean nothing)
   *   245a:100a   ':' joins specs: the values of each, one after the
   *               other (MARCspec parts may be joined too: 245$a:001) */
  MARC_SPEC_TRAJECT = 1u << 0
};

/* Compile MARCspec text. NULL on an error: `err` (may be NULL) gets code
 * MARC_E_INVALID, the 0-based character position in `text` where the
 * problem was found and what was expected there ("245$a{$2=lcsh}":
 * position 9, "comparison string must start with '\'"), or
 * MARC_E_NOMEM / MARC_E_ARG. Free the spec with marc_spec_free. */
MARC_API marc_spec *marc_spec_compile(const char *text, marc_error *err);
/* The same with flags (MARC_SPEC_TRAJECT); flags 0 is marc_spec_compile. */
MARC_API marc_spec *marc_spec_compile_flags(const char *text, unsigned flags,
                                            marc_error *err);
/* Accepts NULL. */
MARC_API void marc_spec_free(marc_spec *spec);

/* One value a spec references. `data` is valid during the callback only
 * (it points into the record, or into the scratch buffer). */
typedef struct marc_spec_value {
  const uint8_t *data;
  size_t len;
  size_t field; /* index of its field in the record; SIZE_MAX: leader */
  char code;    /* subfield code, or 0 for field and indicator values */
} marc_spec_value;

/* Called once per value; return non-zero to stop. */
typedef int (*marc_spec_fn)(void *user, const marc_spec_value *v);

/* Call `fn` for every value `spec` references in `rec`, in record order
 * (specs joined by ':' one after the other). A spec that matches nothing
 * calls nothing; that is not an error. Data fields' text is written into
 * `scratch` (zero-initialised, reused across records so that nothing is
 * allocated once it has grown; NULL uses a buffer of the call's own): its
 * length is restored on return, its data may move. Returns MARC_OK,
 * MARC_E_NOMEM (scratch could not grow; the values so far were given) or
 * MARC_E_ARG. */
MARC_API marc_status marc_spec_eval(const marc_spec *spec,
                                    const marc_record *rec, marc_buf *scratch,
                                    marc_spec_fn fn, void *user);

/* 1 when `spec` references at least one value in `rec`, 0 when none, a
 * negative marc_status on error. Stops at the first value, and renders no
 * data field when it can tell without (`scratch` as for marc_spec_eval,
 * may be NULL). */
MARC_API int marc_spec_match(const marc_spec *spec, const marc_record *rec,
                             marc_buf *scratch);

/* ===================================================================== */
/* What writing `rec` in `fmt` would change to keep the output valid for
 * its format, so that no change goes unreported: `fn` (may be NULL) is
 * called once per change with a diagnostic (code, message, the record's
 * index and offset, the tag); returns how many. MARCXML: the values
 * MARC21slim.xsd does not allow, mapped by the rule documented in
 * core/src/fmt_xmlrules.h (leader positions, tags, indicators, subfield
 * codes, text outside subfields, control fields after data fields,
 * characters that are not UTF-8, a delimiter with no code at the end of
 * a field). JSON and JSON Lines: text before a field's first delimiter
 * and a bare delimiter at its end, which have no place in MARC-in-JSON,
 * leader bytes that are not ASCII (written '?') and NUL bytes (written
 * "\u0000", which JSON readers take as the end of the value). ISO 2709,
 * for a record not read from ISO 2709 (or converted or edited since):
 * leader/10-11 written "22", text before a data field's first delimiter
 * written as a subfield coded '?', a NUL subfield code written '?' (it
 * refuses what it cannot write). .mrk and text: bytes that cannot stand
 * in a UTF-8 line, written '?', and in .mrk a backslash indicator (read
 * back as a blank) and line breaks in a field. JSON, JSON Lines and .mrk:
 * ISO 2709's structural bytes in the leader, as indicators and (record
 * or field terminators) in a field, which their readers read back as
 * blanks. */
typedef void (*marc_change_fn)(void *user, const marc_diag *d);
MARC_API size_t marc_write_changes(const marc_record *rec, marc_format fmt,
                                   marc_change_fn fn, void *user);
/* marc_write and marc_write_changes in one call, for about the cost of
 * the write alone: appends `rec` in `fmt` as marc_write does, then
 * reports the changes as marc_write_changes does (the same diagnostics in
 * the same order), checking only the leader and fields the writer
 * changed. A failed write (not MARC_E_ARG) still reports every change the
 * record would have. Returns marc_write's status. */
MARC_API marc_status marc_write_reporting(const marc_record *rec,
                                          marc_format fmt, uint32_t flags,
                                          marc_buf *out, marc_change_fn fn,
                                          void *user);

#ifdef __cplusplus
}
#endif
#endif /* MARCATO_H */
