/* marc_input: one reader handle for any format. It sniffs the format from
 * the first bytes when asked to, then hands every call to the format's
 * reader through a table of functions, so callers (the CLI, the tests, the
 * glue) never switch on the format themselves. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>

/* Most bytes kept while sniffing: enough for a JSON Lines record and the
 * start of the next; past it the answer stands (JSON, which reads JSON
 * Lines too). */
#define SNIFF_MAX ((size_t)64 << 10)

typedef struct input_ops {
  void *(*make)(const marc_reader_options *opt);
  void (*destroy)(void *r);
  marc_status (*feed)(void *r, const void *p, size_t n);
  marc_status (*finish)(void *r);
  marc_status (*next)(void *r, marc_record **rec);
  const marc_diag *(*error)(const void *r);
} input_ops;

/* The calls of reader type T with prefix P, typed for the table. */
#define READER_OPS(P, T)                                                       \
  static void *P##_make_(const marc_reader_options *o) { return P##_new(o); }  \
  static void P##_destroy_(void *r) { P##_free((T *)r); }                      \
  static marc_status P##_feed_(void *r, const void *p, size_t n) {             \
    return P##_feed((T *)r, p, n);                                             \
  }                                                                            \
  static marc_status P##_finish_(void *r) { return P##_finish((T *)r); }       \
  static marc_status P##_next_(void *r, marc_record **rec) {                   \
    return P##_next((T *)r, rec);                                              \
  }                                                                            \
  static const marc_diag *P##_error_(const void *r) {                          \
    return P##_error((const T *)r);                                            \
  }                                                                            \
  static const input_ops P##_ops = {P##_make_,   P##_destroy_, P##_feed_,      \
                                    P##_finish_, P##_next_,    P##_error_};

READER_OPS(marc_reader, marc_reader)
READER_OPS(marc_mrk_reader, marc_mrk_reader)
#ifdef MARCATO_HAVE_MARCXML_READER
READER_OPS(marc_xml_reader, marc_xml_reader)
#endif
#ifdef MARCATO_HAVE_JSON_READER
READER_OPS(marc_json_reader, marc_json_reader)
#endif

/* The reader of a format, NULL when this build has none. */
static const input_ops *ops_of(marc_format fmt) {
  switch (fmt) {
  case MARC_FORMAT_ISO2709: return &marc_reader_ops;
  case MARC_FORMAT_MRK: return &marc_mrk_reader_ops;
#ifdef MARCATO_HAVE_MARCXML_READER
  case MARC_FORMAT_MARCXML: return &marc_xml_reader_ops;
#endif
#ifdef MARCATO_HAVE_JSON_READER
  case MARC_FORMAT_JSON:
  case MARC_FORMAT_JSONL: return &marc_json_reader_ops;
#endif
  default: return NULL;
  }
}

struct marc_input {
  marc_format fmt; /* AUTO while sniffing */
  marc_reader_options opt;
  const input_ops *ops;
  void *r;            /* the format's reader, once the format is known */
  marc_buf head;      /* bytes kept while sniffing, then fed to the reader */
  int finished;       /* finish was called before the format was known */
  marc_status failed; /* the reader could not be made: MARC_E_STATE
                         (none in this build) or MARC_E_NOMEM */
  marc_error err;
};

static void set_error(marc_input *in, int code, const char *msg) {
  memset(&in->err, 0, sizeof in->err);
  in->err.code = code;
  snprintf(in->err.message, sizeof in->err.message, "%s", msg);
}

/* Make the format's reader. */
static marc_status start(marc_input *in) {
  in->ops = ops_of(in->fmt);
  if (!in->ops) {
    char msg[96];
    snprintf(msg, sizeof msg, "reading %s needs a library this build lacks",
             marc_format_name(in->fmt));
    set_error(in, MARC_E_STATE, msg);
    return in->failed = MARC_E_STATE;
  }
  in->r = in->ops->make(&in->opt);
  if (!in->r) {
    set_error(in, MARC_E_NOMEM, "out of memory");
    return in->failed = MARC_E_NOMEM;
  }
  return MARC_OK;
}

/* Sniffing is over: make the reader and give it the bytes kept (they stay
 * in `head`, valid as the reader's feed contract wants, until free). Only
 * for input whose first chunk could not tell the format. */
static marc_status resolve(marc_input *in) {
  in->fmt = marc__sniff(in->head.data, in->head.len, NULL);
  marc_status s = start(in);
  if (s == MARC_OK && in->head.len)
    s = in->ops->feed(in->r, in->head.data, in->head.len);
  if (s == MARC_OK && in->finished) s = in->ops->finish(in->r);
  return s;
}

marc_input *marc_input_new(marc_format fmt, const marc_reader_options *opt) {
  if (fmt != MARC_FORMAT_AUTO && !ops_of(fmt)) return NULL;
  marc_input *in = calloc(1, sizeof *in);
  if (!in) return NULL;
  in->fmt = fmt;
  if (opt) in->opt = *opt;
  if (fmt != MARC_FORMAT_AUTO && start(in) != MARC_OK) {
    free(in);
    return NULL;
  }
  return in;
}

void marc_input_free(marc_input *in) {
  if (!in) return;
  if (in->r) in->ops->destroy(in->r);
  marc_buf_free(&in->head);
  free(in);
}

marc_status marc_input_feed(marc_input *in, const void *p, size_t n) {
  if (!in || (!p && n)) return MARC_E_ARG;
  if (in->r) return in->ops->feed(in->r, p, n);
  if (in->failed || in->finished) return MARC_E_STATE;
  int sure;
  if (!in->head.len) {
    /* Most inputs tell their format in their first chunk: then the chunk
     * goes to the reader as it is, not copied. */
    marc_format fmt = marc__sniff(p, n, &sure);
    if (sure) {
      in->fmt = fmt;
      marc_status s = start(in);
      return s == MARC_OK ? in->ops->feed(in->r, p, n) : s;
    }
  }
  if (n && marc_buf_append(&in->head, p, n) != MARC_OK) return MARC_E_NOMEM;
  marc__sniff(in->head.data, in->head.len, &sure);
  return sure || in->head.len >= SNIFF_MAX ? resolve(in) : MARC_OK;
}

marc_status marc_input_finish(marc_input *in) {
  if (!in) return MARC_E_ARG;
  if (in->r) return in->ops->finish(in->r);
  if (in->failed || in->finished) return MARC_E_STATE;
  in->finished = 1;
  return resolve(in);
}

marc_status marc_input_next(marc_input *in, marc_record **rec) {
  if (!in || !rec) return MARC_E_ARG;
  if (in->failed) return in->failed;
  if (!in->r) return MARC_NEED_MORE; /* still sniffing */
  marc_status s = in->ops->next(in->r, rec);
  if (s == MARC_E_INVALID) {
    const marc_diag *d = in->ops->error(in->r);
    memset(&in->err, 0, sizeof in->err);
    in->err.code = (int)d->code;
    in->err.position = (size_t)d->offset;
    in->err.record = d->record;
    memcpy(in->err.tag, d->tag, sizeof in->err.tag);
    snprintf(in->err.message, sizeof in->err.message, "%s", d->msg);
  }
  return s;
}

const marc_error *marc_input_error(const marc_input *in) {
  return in ? &in->err : NULL;
}

marc_format marc_input_format(const marc_input *in) {
  return in ? in->fmt : MARC_FORMAT_NONE;
}
