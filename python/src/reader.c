/* reader.c: marcato._marcato.Reader, the C base of MARCReader. Input comes
 * from a path (read with the GIL released), a file object (its read(), with
 * the GIL) or bytes; records are framed, parsed and converted to UTF-8 in
 * batches with the GIL released, then handed out one by one. */
#include "ext.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <structmember.h>
#include <unistd.h>

#define FIRST_READ ((size_t)64 << 10) /* small: the first record comes soon */
#define MAX_READ ((size_t)1 << 20)

typedef struct ReaderObject {
  PyObject_HEAD marc_input *in;
  int fd;         /* a path's file, or -1 */
  PyObject *file; /* a file object, or NULL */
  PyObject *held; /* the bytes fed last (must live until NEED_MORE) */
  uint8_t *chunk; /* a path's bytes fed last */
  size_t read_size;
  decoded *queue;
  size_t qlen, qpos, batch;
  int text, force_utf8, permissive, salvage, finished, ended, hide_charset;
  char *encoding; /* file_encoding when not MARC-8 (pymarc's default) */
  PyObject *current_exception, *current_chunk;
} ReaderObject;

static void queue_clear(ReaderObject *r) {
  for (size_t i = r->qpos; i < r->qlen; i++) {
    marc_record_free(r->queue[i].rec);
    diags_free(r->queue[i].diags, r->queue[i].ndiags);
    free(r->queue[i].raw);
  }
  r->qlen = r->qpos = 0;
}

static int reader_init(PyObject *self, PyObject *args, PyObject *kw) {
  static char *names[] = {
      "marc_target",   "to_unicode",    "force_utf8",    "hide_utf8_warnings",
      "utf8_handling", "file_encoding", "permissive",    "format",
      "salvage",       "batch",         "strict_leader", NULL};
  ReaderObject *r = (ReaderObject *)self;
  PyObject *target;
  int to_unicode = 1, force_utf8 = 0, hide = 0, permissive = 0, salvage = 0;
  int unused = 0;
  const char *handling = "strict", *enc = NULL, *fmt_name = "iso2709";
  Py_ssize_t batch = 256;
  if (!PyArg_ParseTupleAndKeywords(args, kw, "O|pppszpspnp", names, &target,
                                   &to_unicode, &force_utf8, &hide, &handling,
                                   &enc, &permissive, &fmt_name, &salvage,
                                   &batch, &unused))
    return -1;
  if (enc && strcmp(enc, "iso8859-1") != 0) {
    if (!PyCodec_KnownEncoding(enc)) {
      PyErr_Format(PyExc_LookupError, "unknown file_encoding: %s", enc);
      return -1;
    }
    free(r->encoding);
    if (!(r->encoding = strdup(enc))) return PyErr_NoMemory(), -1;
  }
  r->hide_charset = hide;
  marc_format fmt = marc_format_from_name(fmt_name);
  /* AUTO: sniffed from the first bytes (marc_input_new takes it). */
  if (fmt < MARC_FORMAT_AUTO || fmt == MARC_FORMAT_TEXT ||
      (fmt != MARC_FORMAT_AUTO && !marc_format_readable(fmt))) {
    PyErr_Format(PyExc_ValueError, "cannot read format '%s'", fmt_name);
    return -1;
  }
  if (r->in) {
    PyErr_SetString(PyExc_RuntimeError, "reader already initialised");
    return -1;
  }
  r->fd = -1;
  r->text = text_mode(to_unicode, handling);
  r->force_utf8 = force_utf8;
  r->permissive = permissive;
  r->salvage = salvage;
  r->batch = batch < 1 ? 1 : (size_t)batch;
  r->read_size = FIRST_READ;
  r->current_exception = Py_NewRef(Py_None);
  r->current_chunk = Py_NewRef(Py_None);
  r->queue = calloc(r->batch, sizeof *r->queue);
  r->in = marc_input_new(fmt, NULL);
  if (!r->queue || !r->in) {
    PyErr_NoMemory();
    return -1;
  }
  if (PyBytes_Check(target) || PyByteArray_Check(target)) {
    r->held = PyBytes_FromObject(target);
    if (!r->held) return -1;
    marc_input_feed(r->in, PyBytes_AS_STRING(r->held),
                    (size_t)PyBytes_GET_SIZE(r->held));
    marc_input_finish(r->in);
    r->finished = 1;
    return 0;
  }
  PyObject *path = path_bytes(target);
  if (path) {
    Py_BEGIN_ALLOW_THREADS;
    r->fd = open(PyBytes_AS_STRING(path), O_RDONLY | O_CLOEXEC);
    Py_END_ALLOW_THREADS;
    if (r->fd < 0) PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, target);
    Py_DECREF(path);
    if (r->fd < 0) return -1;
    if (!(r->chunk = malloc(MAX_READ))) {
      PyErr_NoMemory();
      return -1;
    }
    return 0;
  }
  if (PyErr_Occurred()) return -1;
  if (!PyObject_HasAttrString(target, "read")) {
    PyErr_SetString(PyExc_TypeError,
                    "MARCReader reads a path, bytes or a binary file object");
    return -1;
  }
  r->file = Py_NewRef(target);
  return 0;
}

/* Read the next chunk and feed it; 0, or -1 with an exception. */
static int refill(ReaderObject *r) {
  size_t want = r->read_size;
  if (r->read_size < MAX_READ) r->read_size *= 2;
  Py_CLEAR(r->held);
  if (r->fd >= 0) {
    ssize_t n;
    do {
      Py_BEGIN_ALLOW_THREADS;
      n = read(r->fd, r->chunk, want);
      Py_END_ALLOW_THREADS;
    } while (n < 0 && errno == EINTR && PyErr_CheckSignals() == 0);
    if (n < 0) {
      if (!PyErr_Occurred()) PyErr_SetFromErrno(PyExc_OSError);
      return -1;
    }
    if (n == 0) r->finished = 1, marc_input_finish(r->in);
    else marc_input_feed(r->in, r->chunk, (size_t)n);
    return 0;
  }
  PyObject *b = PyObject_CallMethod(r->file, "read", "n", (Py_ssize_t)want);
  if (!b) return -1;
  if (PyUnicode_Check(b)) {
    Py_DECREF(b);
    PyErr_SetString(PyExc_TypeError,
                    "MARCReader needs a file opened in binary mode ('rb')");
    return -1;
  }
  if (!PyBytes_Check(b)) {
    PyObject *c = PyBytes_FromObject(b);
    Py_DECREF(b);
    if (!(b = c)) return -1;
  }
  r->held = b;
  if (PyBytes_GET_SIZE(b) == 0) r->finished = 1, marc_input_finish(r->in);
  else
    marc_input_feed(r->in, PyBytes_AS_STRING(b), (size_t)PyBytes_GET_SIZE(b));
  return 0;
}

/* Decode up to `batch` records. 0, or -1 with an exception. */
static int fill(ReaderObject *r) {
  queue_clear(r);
  for (;;) {
    marc_status s = MARC_OK;
    int failed = 0;
    int iso2709 = marc_input_format(r->in) == MARC_FORMAT_ISO2709;
    Py_BEGIN_ALLOW_THREADS;
    while (r->qlen < r->batch) {
      marc_record *view;
      s = marc_input_next(r->in, &view);
      if (s != MARC_OK) break;
      decoded *d = &r->queue[r->qlen];
      /* A record in file_encoding: as read, decoded with the GIL later. */
      int codec = iso2709 && r->encoding && r->text != TEXT_LATIN1 &&
                  codec_applies(r->encoding, view, r->force_utf8);
      if (decode_record(view, codec ? TEXT_LATIN1 : r->text, r->force_utf8, d) <
          0) {
        failed = 1;
        break;
      }
      d->recode = codec;
      /* A record with problems keeps its bytes for current_chunk. */
      if (d->ndiags && iso2709) {
        d->rawlen = marc_record_raw_length(view);
        if ((d->raw = malloc(d->rawlen ? d->rawlen : 1)))
          memcpy(d->raw, marc_record_bytes(view), d->rawlen);
      }
      r->qlen++;
    }
    Py_END_ALLOW_THREADS;
    if (failed || s == MARC_E_NOMEM) {
      PyErr_NoMemory();
      return -1;
    }
    if (r->qlen == r->batch) return 0;
    if (s == MARC_E_INVALID || s == MARC_E_STATE) {
      const marc_error *e = marc_input_error(r->in);
      const char *code =
          e->code > 0 ? marc_code_name((marc_code)e->code) : "NO_RECORD";
      if (s == MARC_E_STATE) {
        PyErr_Format(PyExc_ValueError, "%s", e->message);
        return -1;
      }
      decoded *d = &r->queue[r->qlen++];
      memset(d, 0, sizeof *d);
      if (!(d->diags = calloc(1, sizeof *d->diags)) ||
          !(d->diags->msg = strdup(e->message))) {
        PyErr_NoMemory();
        return -1;
      }
      d->ndiags = 1;
      d->diags->code = diag_is_structural(code) ? code : "SYNTAX";
      d->diags->offset = e->position;
      d->diags->record = e->record;
      memcpy(d->diags->tag, e->tag, 4);
      d->diags->tag[3] = 0;
      continue;
    }
    if (s == MARC_END) {
      r->ended = 1;
      return 0;
    }
    /* MARC_NEED_MORE: hand out what is ready before reading on. */
    if (r->qlen > 0) return 0;
    if (r->finished) {
      r->ended = 1;
      return 0;
    }
    if (refill(r) < 0) return -1;
  }
}

static PyObject *reader_next(PyObject *self) {
  ReaderObject *r = (ReaderObject *)self;
  if (!r->in) {
    PyErr_SetString(PyExc_ValueError, "reader is closed");
    return NULL;
  }
  if (r->qpos == r->qlen) {
    if (r->ended) return NULL;
    if (fill(r) < 0) return NULL;
    if (r->qlen == 0) return NULL;
  }
  decoded *d = &r->queue[r->qpos++];
  PyObject *chunk = d->raw ? PyBytes_FromStringAndSize((const char *)d->raw,
                                                       (Py_ssize_t)d->rawlen)
                           : Py_NewRef(Py_None);
  if (!chunk) return NULL;
  PyObject *problem = NULL, *rec;
  if (d->recode &&
      recode_with_codec(d, r->encoding, text_errors(r->text)) < 0) {
    /* pymarc: text the codec cannot decode is a UnicodeDecodeError;
     * permissive, a None whose current_exception it is. */
    decoded_clear(d);
    if (!r->permissive || !PyErr_ExceptionMatches(PyExc_ValueError)) {
      Py_DECREF(chunk);
      return NULL;
    }
    PyObject *type, *tb;
    PyErr_Fetch(&type, &problem, &tb);
    PyErr_NormalizeException(&type, &problem, &tb);
    if (tb) PyException_SetTraceback(problem, tb);
    Py_XDECREF(type);
    Py_XDECREF(tb);
    rec = Py_NewRef(Py_None);
  } else {
    rec = decoded_to_python(d, r->text, r->permissive, r->salvage,
                            r->hide_charset, &problem);
  }
  Py_XSETREF(r->current_exception, problem ? problem : Py_NewRef(Py_None));
  Py_XSETREF(r->current_chunk, chunk);
  return rec;
}

static PyObject *reader_close_input(PyObject *self, PyObject *unused) {
  (void)unused;
  ReaderObject *r = (ReaderObject *)self;
  queue_clear(r);
  if (r->fd >= 0) close(r->fd);
  r->fd = -1;
  r->ended = 1;
  Py_RETURN_NONE;
}

static void reader_dealloc(ReaderObject *r) {
  queue_clear(r);
  free(r->queue);
  if (r->fd >= 0) close(r->fd);
  marc_input_free(r->in);
  free(r->chunk);
  free(r->encoding);
  Py_XDECREF(r->held);
  Py_XDECREF(r->file);
  Py_XDECREF(r->current_exception);
  Py_XDECREF(r->current_chunk);
  Py_TYPE(r)->tp_free((PyObject *)r);
}

static PyObject *reader_iter(PyObject *self) { return Py_NewRef(self); }

static PyMemberDef reader_members[] = {
    {"current_exception", T_OBJECT, offsetof(ReaderObject, current_exception),
     READONLY, "the problem behind the last None (permissive mode)"},
    {"current_chunk", T_OBJECT, offsetof(ReaderObject, current_chunk), READONLY,
     "the bytes of the last record that had a problem"},
    {"file_handle", T_OBJECT, offsetof(ReaderObject, file), READONLY,
     "the file object read (None for paths and bytes)"},
    {NULL, 0, 0, 0, NULL}};

static PyMethodDef reader_methods[] = {{"_close_input", reader_close_input,
                                        METH_NOARGS,
                                        "close a path's file and stop"},
                                       {NULL, NULL, 0, NULL}};

PyTypeObject ReaderType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "marcato._marcato.Reader",
    .tp_basicsize = sizeof(ReaderObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "records from a path, bytes or a binary file object",
    .tp_new = PyType_GenericNew,
    .tp_init = reader_init,
    .tp_dealloc = (destructor)reader_dealloc,
    .tp_iter = reader_iter,
    .tp_iternext = reader_next,
    .tp_members = reader_members,
    .tp_methods = reader_methods,
};
