/* pipeline.c: marcato._marcato.Pipeline, the native threaded pipeline
 * (marc_pipeline_run_inputs) driven from Python. The run goes on a thread
 * of its own; its worker threads parse and convert records without the
 * GIL and put them into their batch (records mode: the decoded records
 * themselves; bytes mode: one frame per record, pipeline_frame.h); the
 * run's sink hands each batch, in input order, to a bounded queue that the
 * Python iterator drains (waiting without the GIL). Records cross to Python
 * already parsed: the GIL is held only to wrap each one. Every record a
 * worker decoded is handed out or freed: by close(), by the garbage
 * collector, or by the pipeline's discard callback for batches a cancelled
 * run never delivered. */
#include "pipeline_frame.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct batch_node {
  struct batch_node *next;
  uint8_t *data; /* records mode: decoded[len / sizeof(decoded)] */
  size_t len, cap;
} batch_node;

typedef struct PipelineObject {
  PyObject_HEAD pthread_t thread;
  int started, joined, closed;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  batch_node *head, *tail;
  /* nodes the Python thread is done with, for the sink to fill again:
   * batches of converted bytes run to megabytes, and fresh buffers would
   * cost a page fault per page on every batch */
  batch_node *spare;
  size_t queued, capacity;
  int done, cancel, rc;
  frame_job job;
  marc_pipeline_options opt;
  marc_pipeline_input *inputs;
  size_t ninputs;
  PyObject *sources; /* list: the path bytes / bytes / file objects used */
  marc_pipeline_stats stats;
  int permissive, salvage;
  /* the batch being handed out: records mode, its decoded records in
   * place; bytes mode, its frames read into `frames` */
  batch_node *cur;
  decoded *items, *frames;
  size_t nitems, next, cap;
  PyObject *current_exception;
  /* records mode: decoded by the workers, handed out, freed unread */
  atomic_uint_least64_t decoded, dropped;
  uint64_t handed_out;
} PipelineObject;

const frame_job *frame_job_of(void *pipeline) {
  return &((PipelineObject *)pipeline)->job;
}

/* Free the decoded records data[from..] of a records-mode batch. */
static void drop_records(PipelineObject *p, const uint8_t *data, size_t len,
                         size_t from) {
  decoded *d = (decoded *)data;
  size_t n = len / sizeof *d;
  for (size_t i = from; i < n; i++) decoded_clear(&d[i]);
  if (n > from)
    atomic_fetch_add_explicit(&p->dropped, n - from, memory_order_relaxed);
}

/* A queued batch not handed out: its records go too. */
static void node_free(PipelineObject *p, batch_node *n) {
  if (p->job.records) drop_records(p, n->data, n->len, 0);
  free(n->data);
  free(n);
}

/* marc_pipeline_options.discard: finished batches a cancelled run drops. */
static void discard(void *user, size_t input, const marc_buf *out) {
  (void)input;
  PipelineObject *p = user;
  if (p->job.records) drop_records(p, out->data, out->len, 0);
}

static int sink(void *user, size_t input, const marc_buf *out,
                const marc_buf *msgs, int input_done) {
  (void)input, (void)msgs, (void)input_done;
  PipelineObject *p = user;
  batch_node *n = NULL;
  if (out->len) {
    pthread_mutex_lock(&p->mu);
    if ((n = p->spare)) p->spare = n->next, n->next = NULL;
    pthread_mutex_unlock(&p->mu);
    if (!n) n = calloc(1, sizeof *n);
    uint8_t *grown = n && n->cap < out->len ? realloc(n->data, out->len) : NULL;
    if (grown) n->data = grown, n->cap = out->len;
    if (!n || n->cap < out->len) {
      if (n) free(n->data), free(n);
      /* The batch's records are ours from here: not kept, so freed. */
      if (p->job.records) drop_records(p, out->data, out->len, 0);
      return 1;
    }
    memcpy(n->data, out->data, out->len);
    n->len = out->len;
  }
  pthread_mutex_lock(&p->mu);
  while (n && p->queued >= p->capacity && !p->cancel)
    pthread_cond_wait(&p->cv, &p->mu);
  int stop = p->cancel;
  if (n && !stop) {
    if (p->tail) p->tail->next = n;
    else p->head = n;
    p->tail = n;
    p->queued++;
    n = NULL;
    pthread_cond_broadcast(&p->cv);
  }
  pthread_mutex_unlock(&p->mu);
  if (n) node_free(p, n);
  return stop;
}

static void *run(void *arg) {
  PipelineObject *p = arg;
  int rc = marc_pipeline_run_inputs(&p->opt, p->inputs, p->ninputs,
                                    frame_on_record, sink, p, &p->stats);
  pthread_mutex_lock(&p->mu);
  p->rc = rc;
  p->done = 1;
  pthread_cond_broadcast(&p->cv);
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

/* A file object's read(), on the pipeline's reader thread. */
static int64_t read_file_object(void *src, void *buf, size_t n) {
  PyGILState_STATE g = PyGILState_Ensure();
  int64_t got = -1;
  PyObject *b =
      PyObject_CallMethod((PyObject *)src, "read", "n", (Py_ssize_t)n);
  if (b && PyBytes_Check(b) && (size_t)PyBytes_GET_SIZE(b) <= n) {
    got = PyBytes_GET_SIZE(b);
    memcpy(buf, PyBytes_AS_STRING(b), (size_t)got);
  }
  if (!b) PyErr_WriteUnraisable((PyObject *)src);
  Py_XDECREF(b);
  PyGILState_Release(g);
  return got;
}

typedef struct mem_src {
  const uint8_t *p;
  size_t len, pos;
} mem_src;

static int64_t read_memory(void *src, void *buf, size_t n) {
  mem_src *m = src;
  size_t k = m->len - m->pos < n ? m->len - m->pos : n;
  memcpy(buf, m->p + m->pos, k);
  m->pos += k;
  return (int64_t)k;
}

static int add_source(PipelineObject *p, PyObject *src, size_t i) {
  marc_pipeline_input *in = &p->inputs[i];
  PyObject *keep = NULL;
  if (PyBytes_Check(src)) {
    mem_src *m = calloc(1, sizeof *m);
    if (!m) return PyErr_NoMemory(), -1;
    m->p = (const uint8_t *)PyBytes_AS_STRING(src);
    m->len = (size_t)PyBytes_GET_SIZE(src);
    in->read = read_memory;
    in->src = m;
    keep = Py_NewRef(src);
  } else if ((keep = path_bytes(src))) {
    in->path = PyBytes_AS_STRING(keep);
  } else if (PyErr_Occurred()) {
    return -1;
  } else if (PyObject_HasAttrString(src, "read")) {
    in->read = read_file_object;
    in->src = src;
    keep = Py_NewRef(src);
  } else {
    PyErr_SetString(PyExc_TypeError,
                    "pipeline inputs are paths, bytes or binary file objects");
    return -1;
  }
  int rc = PyList_Append(p->sources, keep);
  Py_DECREF(keep);
  return rc;
}

static int pipeline_init(PyObject *self, PyObject *args, PyObject *kw) {
  static char *names[] = {"inputs",       "threads", "batch",
                          "queue",        "to",      "to_unicode",
                          "permissive",   "salvage", "utf8_handling",
                          "serial_below", NULL};
  PipelineObject *p = (PipelineObject *)self;
  PyObject *inputs;
  unsigned threads = 0;
  Py_ssize_t batch = 0, queue = 0, serial_below = -1;
  const char *to = "records", *handling = "strict";
  int to_unicode = 1, permissive = 0, salvage = 0;
  if (p->started) {
    PyErr_SetString(PyExc_RuntimeError, "pipeline already started");
    return -1;
  }
  if (!PyArg_ParseTupleAndKeywords(
          args, kw, "O|Innspppsn", names, &inputs, &threads, &batch, &queue,
          &to, &to_unicode, &permissive, &salvage, &handling, &serial_below))
    return -1;
  if (PyBytes_Check(inputs) || PyUnicode_Check(inputs) ||
      PyObject_HasAttrString(inputs, "read") ||
      PyObject_HasAttrString(inputs, "__fspath__"))
    inputs = Py_BuildValue("(O)", inputs);
  else inputs = PySequence_Tuple(inputs);
  if (!inputs) return -1;
  p->job.text = text_mode(to_unicode, handling);
  p->job.records = !strcmp(to, "records");
  p->job.decoded = &p->decoded;
  p->job.fmt = p->job.records ? MARC_FORMAT_ISO2709 : marc_format_from_name(to);
  p->permissive = permissive;
  p->salvage = salvage;
  p->current_exception = Py_NewRef(Py_None);
  int rc = -1;
  if (p->job.fmt <= MARC_FORMAT_AUTO) {
    PyErr_Format(PyExc_ValueError, "unknown output '%s'", to);
    goto done;
  }
  p->ninputs = (size_t)PyTuple_GET_SIZE(inputs);
  p->inputs = calloc(p->ninputs ? p->ninputs : 1, sizeof *p->inputs);
  p->sources = PyList_New(0);
  if (!p->inputs || !p->sources) goto done;
  for (size_t i = 0; i < p->ninputs; i++)
    if (add_source(p, PyTuple_GET_ITEM(inputs, (Py_ssize_t)i), i) < 0)
      goto done;
  p->opt.threads = threads;
  p->opt.discard = discard;
  p->opt.batch_records = (size_t)(batch > 0 ? batch : 0);
  p->opt.queue_capacity = (size_t)(queue > 0 ? queue : 0);
  p->opt.serial_below = serial_below < 0    ? 0
                        : serial_below == 0 ? SIZE_MAX
                                            : (size_t)serial_below;
  p->capacity = queue > 0 ? (size_t)queue : 4;
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->cv, NULL);
  if (pthread_create(&p->thread, NULL, run, p) != 0) {
    PyErr_SetString(PyExc_RuntimeError, "cannot start the pipeline thread");
    goto done;
  }
  p->started = 1;
  rc = 0;
done:
  Py_DECREF(inputs);
  return rc;
}

/* Wait for the next batch (GIL released). NULL at the end. */
static batch_node *next_batch(PipelineObject *p) {
  batch_node *n;
  Py_BEGIN_ALLOW_THREADS;
  pthread_mutex_lock(&p->mu);
  while (!p->head && !p->done) pthread_cond_wait(&p->cv, &p->mu);
  n = p->head;
  if (n) {
    p->head = n->next;
    if (!p->head) p->tail = NULL;
    p->queued--;
    pthread_cond_broadcast(&p->cv);
  }
  pthread_mutex_unlock(&p->mu);
  Py_END_ALLOW_THREADS;
  return n;
}

static void join(PipelineObject *p) {
  if (!p->started || p->joined) return;
  Py_BEGIN_ALLOW_THREADS;
  pthread_join(p->thread, NULL);
  Py_END_ALLOW_THREADS;
  p->joined = 1;
}

/* The rest of the current batch (not handed out), and the batch. */
static void current_clear(PipelineObject *p) {
  if (p->job.records) {
    if (p->cur) drop_records(p, p->cur->data, p->cur->len, p->next);
  } else {
    for (size_t i = p->next; i < p->nitems; i++)
      diags_free(p->frames[i].diags, p->frames[i].ndiags);
  }
  if (p->cur && !p->closed) {
    pthread_mutex_lock(&p->mu);
    p->cur->next = p->spare;
    p->spare = p->cur;
    pthread_mutex_unlock(&p->mu);
  } else if (p->cur) {
    free(p->cur->data), free(p->cur);
  }
  p->cur = NULL;
  p->items = NULL;
  p->nitems = p->next = 0;
}

/* Bytes mode: read every frame of the current batch, GIL released. */
static int read_frames(PipelineObject *p) {
  size_t pos = 0, n = 0;
  int rc = 0;
  Py_BEGIN_ALLOW_THREADS;
  while (pos < p->cur->len) {
    if (n == p->cap) {
      size_t cap = p->cap ? p->cap * 2 : 256;
      decoded *grown = realloc(p->frames, cap * sizeof *grown);
      if (!grown) {
        rc = -1;
        break;
      }
      p->frames = grown, p->cap = cap;
    }
    rc = frame_decode(p->cur->data, p->cur->len, &pos, &p->frames[n]);
    if (rc < 0) break;
    n++;
  }
  Py_END_ALLOW_THREADS;
  p->items = p->frames;
  p->nitems = n, p->next = 0;
  if (rc == -1) PyErr_NoMemory();
  if (rc == -2) PyErr_SetString(PyExc_RuntimeError, "pipeline frame damaged");
  return rc < 0 ? -1 : 0;
}

/* Stop the run if it is still going, wait for its threads and free every
 * record not handed out. The iterator ends. */
static void shutdown_run(PipelineObject *p) {
  if (p->started && !p->closed) {
    pthread_mutex_lock(&p->mu);
    p->cancel = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    join(p);
    while (p->head) {
      batch_node *n = p->head;
      p->head = n->next;
      node_free(p, n);
    }
    p->tail = NULL;
    p->queued = 0;
    while (p->spare) {
      batch_node *n = p->spare;
      p->spare = n->next;
      free(n->data), free(n);
    }
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
  }
  p->closed = 1;
  current_clear(p);
}

static PyObject *pipeline_next(PyObject *self) {
  PipelineObject *p = (PipelineObject *)self;
  if (!p->started || p->closed) return NULL;
  for (;;) {
    if (p->next < p->nitems) {
      PyObject *problem = NULL;
      if (p->job.records) p->handed_out++;
      PyObject *item = frame_to_python(&p->job, &p->items[p->next++],
                                       p->permissive, p->salvage, &problem);
      Py_XSETREF(p->current_exception, problem ? problem : Py_NewRef(Py_None));
      return item;
    }
    current_clear(p);
    p->cur = next_batch(p);
    if (!p->cur) {
      join(p);
      shutdown_run(p);
      if (p->rc < 0) {
        PyErr_SetString(PyExc_OSError, "the pipeline could not read its input");
        return NULL;
      }
      return NULL;
    }
    if (p->job.records) {
      p->items = (decoded *)p->cur->data;
      p->nitems = p->cur->len / sizeof *p->items;
      p->next = 0;
    } else if (read_frames(p) < 0) {
      return NULL;
    }
  }
}

static PyObject *pipeline_close(PyObject *self, PyObject *unused) {
  (void)unused;
  shutdown_run((PipelineObject *)self);
  Py_RETURN_NONE;
}

static PyObject *pipeline_enter(PyObject *self, PyObject *unused) {
  (void)unused;
  return Py_NewRef(self);
}

static PyObject *pipeline_exit(PyObject *self, PyObject *args) {
  (void)args;
  shutdown_run((PipelineObject *)self);
  Py_RETURN_FALSE;
}

static void pipeline_dealloc(PipelineObject *p) {
  shutdown_run(p);
  free(p->frames);
  for (size_t i = 0; p->inputs && i < p->ninputs; i++)
    if (p->inputs[i].read == read_memory) free(p->inputs[i].src);
  free(p->inputs);
  Py_XDECREF(p->sources);
  Py_XDECREF(p->current_exception);
  Py_TYPE(p)->tp_free((PyObject *)p);
}

static PyObject *get_stats(PyObject *self, void *c) {
  (void)c;
  PipelineObject *p = (PipelineObject *)self;
  const marc_pipeline_stats *s = &p->stats;
  return Py_BuildValue("{sKsKsKsIsisdsdsKsKsKsK}", "records",
                       (unsigned long long)s->records, "bytes",
                       (unsigned long long)s->bytes, "batches",
                       (unsigned long long)s->batches, "threads", s->threads,
                       "serial", s->serial, "seconds", s->seconds,
                       "first_record_seconds", s->first_record_seconds,
                       "input_errors", (unsigned long long)s->input_errors,
                       "decoded", (unsigned long long)atomic_load(&p->decoded),
                       "handed_out", (unsigned long long)p->handed_out,
                       "dropped", (unsigned long long)atomic_load(&p->dropped));
}

static PyObject *get_current_exception(PyObject *self, void *c) {
  (void)c;
  return Py_NewRef(((PipelineObject *)self)->current_exception);
}

static PyGetSetDef pipeline_getset[] = {
    {"stats", get_stats, NULL, "the native run's numbers (after the end)",
     NULL},
    {"current_exception", get_current_exception, NULL,
     "the problem behind the last None (permissive mode)", NULL},
    {NULL, NULL, NULL, NULL, NULL}};

static PyObject *pipeline_iter(PyObject *self) { return Py_NewRef(self); }

static PyMethodDef pipeline_methods[] = {
    {"close", pipeline_close, METH_NOARGS,
     "stop the run and free the records not handed out; the iterator ends"},
    {"__enter__", pipeline_enter, METH_NOARGS, NULL},
    {"__exit__", pipeline_exit, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}};

PyTypeObject PipelineType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "marcato._marcato.Pipeline",
    .tp_basicsize = sizeof(PipelineObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "records (or converted bytes) of the threaded pipeline",
    .tp_new = PyType_GenericNew,
    .tp_init = pipeline_init,
    .tp_dealloc = (destructor)pipeline_dealloc,
    .tp_iter = pipeline_iter,
    .tp_iternext = pipeline_next,
    .tp_getset = pipeline_getset,
    .tp_methods = pipeline_methods,
};
