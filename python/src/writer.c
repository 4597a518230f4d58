/* writer.c: marcato._marcato.Writer, the C base of every writer class.
 * Records are serialised with the GIL released into a buffer that goes to
 * a path's file (written without the GIL) or to a file object's write(). */
#include "ext.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <structmember.h>
#include <unistd.h>

#define FLUSH_AT ((size_t)1 << 20)

typedef struct WriterObject {
  PyObject_HEAD int fd; /* a path's file, or -1 */
  PyObject *file;       /* a file object, or NULL */
  marc_format fmt;
  unsigned flags; /* MARC_WRITE_* for marc_write_begin/end */
  int marc8;      /* write MARC-8 (ISO 2709 and MARCMaker) */
  int started, closed;
  uint64_t records;
  marc_buf buf;
} WriterObject;

static int flush(WriterObject *w) {
  if (w->buf.len == 0) return 0;
  if (w->fd >= 0) {
    size_t done = 0;
    int err = 0;
    Py_BEGIN_ALLOW_THREADS;
    while (done < w->buf.len) {
      ssize_t n = write(w->fd, w->buf.data + done, w->buf.len - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        err = errno;
        break;
      }
      done += (size_t)n;
    }
    Py_END_ALLOW_THREADS;
    w->buf.len = 0;
    if (err) {
      errno = err;
      PyErr_SetFromErrno(PyExc_OSError);
      return -1;
    }
    return 0;
  }
  PyObject *b = PyBytes_FromStringAndSize((const char *)w->buf.data,
                                          (Py_ssize_t)w->buf.len);
  w->buf.len = 0;
  if (!b) return -1;
  PyObject *r = PyObject_CallMethod(w->file, "write", "O", b);
  Py_DECREF(b);
  Py_XDECREF(r);
  return r ? 0 : -1;
}

static int writer_init(PyObject *self, PyObject *args, PyObject *kw) {
  static char *names[] = {"target", "format", "xml_declaration", "marc8", NULL};
  WriterObject *w = (WriterObject *)self;
  PyObject *target;
  const char *fmt_name = "iso2709";
  int decl = 0, marc8 = 0;
  w->fd = -1;
  if (!PyArg_ParseTupleAndKeywords(args, kw, "O|spp", names, &target, &fmt_name,
                                   &decl, &marc8))
    return -1;
  w->fmt = marc_format_from_name(fmt_name);
  if (w->fmt <= MARC_FORMAT_AUTO) {
    PyErr_Format(PyExc_ValueError, "unknown format '%s'", fmt_name);
    return -1;
  }
  w->flags = decl ? MARC_WRITE_XML_DECLARATION : 0;
  w->marc8 = marc8;
  PyObject *path = path_bytes(target);
  if (path) {
    Py_BEGIN_ALLOW_THREADS;
    w->fd = open(PyBytes_AS_STRING(path),
                 O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    Py_END_ALLOW_THREADS;
    if (w->fd < 0) PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, target);
    Py_DECREF(path);
    return w->fd < 0 ? -1 : 0;
  }
  if (PyErr_Occurred()) return -1;
  if (!PyObject_HasAttrString(target, "write")) {
    PyErr_SetString(PyExc_TypeError, "a writer needs a path or a file object");
    return -1;
  }
  w->file = Py_NewRef(target);
  return 0;
}

static PyObject *writer_write(PyObject *self, PyObject *rec) {
  WriterObject *w = (WriterObject *)self;
  if (w->closed) {
    PyErr_SetString(PyExc_ValueError, "writer is closed");
    return NULL;
  }
  int owned;
  marc_record *built = record_build(rec, &owned), *core = built;
  if (!built) return NULL;
  marc_status s = MARC_OK;
  marc_diag err = {0};
  uint32_t flags =
      MARC_WRITE_IN_COLLECTION | (w->records ? MARC_WRITE_NOT_FIRST : 0);
  Py_BEGIN_ALLOW_THREADS;
  if (!w->started) s = marc_write_begin(w->fmt, w->flags, &w->buf);
  marc_record *conv = NULL;
  if (s == MARC_OK && w->marc8 &&
      (w->fmt == MARC_FORMAT_ISO2709 || w->fmt == MARC_FORMAT_MRK)) {
    s = marc_record_to_marc8(core, NULL, &conv, NULL);
    if (s == MARC_OK) core = conv;
  }
  if (s == MARC_OK)
    s = w->fmt == MARC_FORMAT_ISO2709
            ? marc_write_iso2709(core, &w->buf, &err)
            : marc_write(core, w->fmt, flags, &w->buf);
  marc_record_free(conv);
  Py_END_ALLOW_THREADS;
  if (owned) marc_record_free(built);
  if (s != MARC_OK) {
    return raise_write_error(s, &err);
  }
  w->started = 1;
  w->records++;
  if (w->buf.len >= FLUSH_AT && flush(w) < 0) return NULL;
  Py_RETURN_NONE;
}

static PyObject *writer_flush(PyObject *self, PyObject *unused) {
  (void)unused;
  if (flush((WriterObject *)self) < 0) return NULL;
  Py_RETURN_NONE;
}

/* Finish the stream (a collection's end) and flush; the file stays open. */
static PyObject *writer_finish(PyObject *self, PyObject *unused) {
  (void)unused;
  WriterObject *w = (WriterObject *)self;
  if (w->closed) Py_RETURN_NONE;
  if (!w->started) marc_write_begin(w->fmt, w->flags, &w->buf);
  w->started = 1;
  if (marc_write_end(w->fmt, w->flags, &w->buf) != MARC_OK)
    return PyErr_NoMemory();
  w->closed = 1;
  if (flush(w) < 0) return NULL;
  if (w->fd >= 0 && close(w->fd) != 0) {
    w->fd = -1;
    return PyErr_SetFromErrno(PyExc_OSError);
  }
  w->fd = -1;
  Py_RETURN_NONE;
}

static void writer_dealloc(WriterObject *w) {
  if (w->fd >= 0) {
    if (w->buf.len) (void)!write(w->fd, w->buf.data, w->buf.len);
    close(w->fd);
  }
  marc_buf_free(&w->buf);
  Py_XDECREF(w->file);
  Py_TYPE(w)->tp_free((PyObject *)w);
}

static PyMemberDef writer_members[] = {
    {"file_handle", T_OBJECT, offsetof(WriterObject, file), READONLY,
     "the file object written (None for a path)"},
    {"records_written", T_ULONGLONG, offsetof(WriterObject, records), READONLY,
     "records written so far"},
    {NULL, 0, 0, 0, NULL}};

static PyMethodDef writer_methods[] = {
    {"write", writer_write, METH_O, "write one record"},
    {"flush", writer_flush, METH_NOARGS, "hand buffered bytes to the file"},
    {"_finish", writer_finish, METH_NOARGS,
     "end the stream and flush; a path's file is closed"},
    {NULL, NULL, 0, NULL}};

PyTypeObject WriterType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "marcato._marcato.Writer",
    .tp_basicsize = sizeof(WriterObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "records to a path or a file object, in one format",
    .tp_new = PyType_GenericNew,
    .tp_init = writer_init,
    .tp_dealloc = (destructor)writer_dealloc,
    .tp_members = writer_members,
    .tp_methods = writer_methods,
};
