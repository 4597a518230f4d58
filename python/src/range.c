/* range.c: the records that start in one byte range of an ISO 2709 file,
 * cut as `marcato split --range` cuts (marc_range_first), for the Dask
 * reader: each range is read by one task, as dicts or MARCspec columns. */
#include "ext.h"
#include "marcato_range.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#define RANGE_READ ((size_t)1 << 20)
#define RANGE_BATCH 1024

typedef struct range_out {
  PyObject *rows;    /* list of dicts, or NULL */
  PyObject *columns; /* list of lists (one per spec), or NULL */
  PyObject *specs;   /* tuple of str */
  int text;
  marc_buf scratch;
} range_out;

static int emit(range_out *o, const marc_record *rec) {
  if (o->rows) {
    PyObject *d = core_as_dict(rec, o->text);
    int rc = d ? PyList_Append(o->rows, d) : -1;
    Py_XDECREF(d);
    return rc;
  }
  for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(o->specs); k++) {
    const marc_spec *spec = spec_get(PyTuple_GET_ITEM(o->specs, k));
    PyObject *v = spec ? spec_values(spec, rec, o->text, &o->scratch) : NULL;
    int rc = v ? PyList_Append(PyList_GET_ITEM(o->columns, k), v) : -1;
    Py_XDECREF(v);
    if (rc < 0) return -1;
  }
  return 0;
}

/* read_range(path, start, end, columns=None) -> list of dicts, or (with
 * columns: a tuple of MARCspecs) a list of value lists per spec. Records
 * with problems are read as the core salvages them. */
static PyObject *read_range(PyObject *self, PyObject *args, PyObject *kw) {
  (void)self;
  static char *names[] = {"path", "start", "end", "columns", NULL};
  PyObject *path_obj, *specs = Py_None;
  unsigned long long start, end;
  if (!PyArg_ParseTupleAndKeywords(args, kw, "OKK|O", names, &path_obj, &start,
                                   &end, &specs))
    return NULL;
  PyObject *path = path_bytes(path_obj);
  if (!path) {
    if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "need a path");
    return NULL;
  }
  range_out o = {.text = TEXT_REPLACE};
  if (specs == Py_None) {
    o.rows = PyList_New(0);
  } else {
    o.specs = PySequence_Tuple(specs);
    o.columns = o.specs ? PyList_New(PyTuple_GET_SIZE(o.specs)) : NULL;
    for (Py_ssize_t k = 0; o.columns && k < PyTuple_GET_SIZE(o.specs); k++) {
      PyObject *l = PyList_New(0);
      if (!l || !spec_get(PyTuple_GET_ITEM(o.specs, k))) {
        Py_XDECREF(l);
        Py_CLEAR(o.columns);
        break;
      }
      PyList_SET_ITEM(o.columns, k, l);
    }
  }
  int fd = -1, err = 0;
  int64_t first = -1;
  marc_reader *r = marc_reader_new(NULL);
  uint8_t *chunk = malloc(RANGE_READ);
  decoded *batch = calloc(RANGE_BATCH, sizeof *batch);
  if (!r || !chunk || !batch) PyErr_NoMemory();
  if (PyErr_Occurred() || !(o.rows || o.columns)) goto done;
  Py_BEGIN_ALLOW_THREADS;
  fd = open(PyBytes_AS_STRING(path), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) first = marc_range_first(fd, start);
  if (first >= 0 && lseek(fd, (off_t)first, SEEK_SET) < 0) first = -1;
  err = errno;
  Py_END_ALLOW_THREADS;
  if (fd < 0 || first < 0) {
    errno = err;
    PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, path_obj);
    goto done;
  }
  int finished = 0, stop = 0;
  while (!stop) {
    size_t n = 0;
    int read_failed = 0;
    Py_BEGIN_ALLOW_THREADS;
    for (;;) {
      marc_record *view;
      marc_status s = n < RANGE_BATCH ? marc_reader_next(r, &view) : MARC_OK;
      if (n == RANGE_BATCH) break;
      if (s == MARC_OK) {
        if ((uint64_t)first + marc_record_offset(view) >= end) {
          stop = 1;
          break;
        }
        if (decode_record(view, TEXT_STRICT, 0, &batch[n]) < 0) {
          read_failed = ENOMEM;
          break;
        }
        n++;
        continue;
      }
      if (s != MARC_NEED_MORE || finished) {
        stop = 1;
        break;
      }
      if (n > 0) break; /* hand these over before the buffer moves */
      ssize_t got = read(fd, chunk, RANGE_READ);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) {
        read_failed = errno;
        break;
      }
      if (got == 0) finished = 1, marc_reader_finish(r);
      else marc_reader_feed(r, chunk, (size_t)got);
    }
    Py_END_ALLOW_THREADS;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
      if (rc == 0) rc = emit(&o, batch[i].rec);
      marc_record_free(batch[i].rec);
      diags_free(batch[i].diags, batch[i].ndiags);
    }
    if (rc < 0) goto done;
    if (read_failed) {
      errno = read_failed;
      PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, path_obj);
      goto done;
    }
  }
done:
  if (fd >= 0) close(fd);
  marc_reader_free(r);
  free(chunk);
  free(batch);
  marc_buf_free(&o.scratch);
  Py_DECREF(path);
  Py_XDECREF(o.specs);
  if (PyErr_Occurred()) {
    Py_XDECREF(o.rows);
    Py_XDECREF(o.columns);
    return NULL;
  }
  return o.rows ? o.rows : o.columns;
}

PyMethodDef range_methods[] = {
    {"read_range", (PyCFunction)(void (*)(void))read_range,
     METH_VARARGS | METH_KEYWORDS,
     "the records starting in bytes [start, end) of an ISO 2709 file"},
    {NULL, NULL, 0, NULL}};
