/* ext.h: what the files of the CPython extension marcato._marcato share.
 *
 * Records are C objects around an owned, immutable marc_record (its text
 * already UTF-8 when read with to_unicode). Fields become Python objects only
 * when asked for: Record.cache holds the Field handed out for each field of
 * the core, and once the field list is changed (add_field, remove_field,
 * record.fields) Record.fields is the record's truth. Writers serialise the
 * core directly while nothing was materialised. */
#ifndef MARCATO_PY_EXT_H
#define MARCATO_PY_EXT_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "marcato.h"

/* How bytes become str (pymarc's utf8_handling, and to_unicode False). */
enum { TEXT_STRICT = 0, TEXT_REPLACE, TEXT_IGNORE, TEXT_LATIN1 };

/* One problem as read, kept with the record. */
typedef struct py_diag {
  const char *code; /* marc_code_name / marc_charset_code_name */
  char *msg;
  uint64_t offset, record;
  char tag[4];
} py_diag;

typedef struct RecordObject {
  PyObject_HEAD marc_record *core; /* owned, never changed once made */
  PyObject **cache;                /* per core field: Field handed out */
  size_t ncache;
  PyObject *fields; /* list of Field once materialised, else NULL */
  PyObject *leader; /* what record.leader was set to, else NULL */
  py_diag *diags;
  size_t ndiags;
  int text; /* TEXT_* */
} RecordObject;

typedef struct FieldObject {
  PyObject_HEAD PyObject *tag; /* str */
  PyObject *data;              /* control fields: str; else NULL */
  PyObject *ind1, *ind2;       /* str of one character */
  PyObject *raw;       /* bytes: subfield data as read, until subfields */
  PyObject *subfields; /* list of Subfield once asked for */
  int text;
} FieldObject;

/* Classes the Python layer registers (marcato._marcato._configure). */
extern PyTypeObject *py_record_class, *py_field_class;
extern PyObject *py_subfield_class, *py_leader_class, *py_error_factory,
    *py_warning_class;
extern PyTypeObject RecordBaseType, FieldBaseType, ReaderType, WriterType,
    PipelineType;

/* module.c */
const char *text_errors(int text);
PyObject *text_decode(const uint8_t *p, size_t n, int text);
int text_mode(int to_unicode, const char *utf8_handling);
/* Raise the registered error for a problem; returns NULL. */
PyObject *raise_problem(const char *code, const char *msg, uint64_t offset,
                        uint64_t record, const char *tag);
/* The error of a writer's status (MarcError for a record the format cannot
 * hold, MemoryError, ValueError); returns NULL. */
PyObject *raise_write_error(marc_status s, const marc_diag *err);
/* A diagnostic's text (message, tag) as str: the input's bytes they may
 * quote need not be UTF-8, so those come out as \xNN. */
PyObject *diag_str(const char *s);
PyObject *make_problem(const char *code, const char *msg, uint64_t offset,
                       uint64_t record, const char *tag);
/* A path argument (str or os.PathLike) as bytes, or NULL (no error set)
 * when `obj` is not one. */
PyObject *path_bytes(PyObject *obj);

/* record.c */
/* A Record (of the registered class) taking ownership of `core` and of
 * `diags`. NULL on error (both freed). */
PyObject *record_wrap(marc_record *core, py_diag *diags, size_t ndiags,
                      int text);
/* The record as one marc_record to write: the core itself when nothing was
 * materialised (*owned 0), else a new record (*owned 1). NULL on error. */
marc_record *record_build(PyObject *rec, int *owned);
int record_check(PyObject *obj);
void diags_free(py_diag *d, size_t n);
/* Structural problems: a record pymarc could not read at all. */
int diag_is_structural(const char *code);

/* field.c */
PyObject *field_from_core(const marc_record *rec, const marc_field *f,
                          int text);
/* Append the field to `rec` (UTF-8). -1 with an exception on error. */
int field_append(marc_record *rec, PyObject *field);

/* dict.c: MARC-in-JSON shaped dicts */
PyObject *core_as_dict(const marc_record *rec, int text);

/* decode.c: the reading loop shared by Reader and read_range */
typedef struct decoded {
  marc_record *rec; /* owned, converted; NULL for a record-less problem */
  py_diag *diags;
  size_t ndiags;
  uint8_t *raw; /* ISO 2709 records with a problem: the bytes as read */
  size_t rawlen;
  int recode; /* rec is as read: its text is in the reader's file_encoding */
} decoded;
/* Convert (or copy) one record as read: GIL not needed. */
int decode_record(const marc_record *in, int text, int force_utf8,
                  decoded *out);
/* Free what `d` owns (the record, diagnostics, raw bytes); leaves it empty. */
void decoded_clear(decoded *d);
/* Turn a decoded record into a Python object following the reader's
 * policy (permissive: None and *problem set; strict: raise; repairs are
 * warnings, those of character sets not when `hide_charset`: pymarc's
 * hide_utf8_warnings). Consumes d. */
PyObject *decoded_to_python(decoded *d, int text, int permissive, int salvage,
                            int hide_charset, PyObject **problem);
/* A character set problem (MARC8_*, UTF8_*, ENCODING_*). */
int diag_is_charset(const char *code);

/* recode.c: pymarc's file_encoding */
/* Whether a record's text is in `file_encoding` (not pymarc's default,
 * which means MARC-8) rather than MARC-8 or UTF-8. */
int codec_applies(const char *file_encoding, const marc_record *rec,
                  int force_utf8);
/* Replace d->rec (as read) by its text decoded with the codec, as UTF-8.
 * With the GIL; 0, or -1 with an exception (UnicodeDecodeError). */
int recode_with_codec(decoded *d, const char *encoding, const char *errors);

/* spec.c */
extern PyMethodDef spec_methods[];
/* A compiled MARCspec, cached by its text (borrowed; NULL with an
 * exception for a malformed spec). */
const marc_spec *spec_get(PyObject *text);
/* The values of `spec` in `rec` as a list of str. */
PyObject *spec_values(const marc_spec *spec, const marc_record *rec, int text,
                      marc_buf *scratch);
/* range.c */
extern PyMethodDef range_methods[];

#endif
