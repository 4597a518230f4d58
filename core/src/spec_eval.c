/* MARCspec evaluation: walk a record's fields once per spec, in record
 * order, and hand each value to the caller. Values are views into the
 * record; only a data field's text (MARCMaker form) is written, into the
 * caller's scratch buffer, used as a stack so that a subspec can hold a
 * left-hand value while it renders right-hand ones. Nothing is allocated
 * once the scratch buffer has grown to the largest field. */
#include "spec_internal.h"

#include <stdlib.h>

/* A value: a view, or bytes in the scratch buffer (an offset, since the
 * buffer may move while more values are rendered above it). */
typedef struct sval {
  const uint8_t *p;
  size_t off, len;
  int scr;
} sval;

typedef struct ev {
  const marc_spec *sp;
  const marc_record *rec;
  const marc_field *fields;
  size_t nf;
  int utf8; /* character positions count UTF-8 characters */
  marc_buf *scratch;
  int nomem;
  int match_only; /* marc_spec_match: the first value ends the walk */
  marc_spec_fn fn;
  void *user;
} ev;

/* What a subspec decides about: the value and where it came from. */
typedef struct cur {
  const marc_field *f; /* NULL for the leader */
  sval raw;            /* the value before the spec's character positions */
  sval val;            /* the value referenced */
} cur;

typedef int (*val_fn)(ev *e, const sval *v, void *u);

static const uint8_t *ptr(const ev *e, const sval *v) {
  return v->scr ? e->scratch->data + v->off : v->p;
}

static sval view(const uint8_t *p, size_t n) {
  sval v = {p, 0, n, 0};
  return v;
}

/* Resolve an index or character range over n items to [*first, *last];
 * 0 when it selects nothing. "#-k" counts back from the last. */
static int resolve(const spec_range *r, size_t n, size_t *first, size_t *last) {
  if (!n) return 0;
  if (!r->set) {
    *first = 0;
    *last = n - 1;
    return 1;
  }
  if (r->a.last) {
    *last = n - 1;
    *first = r->b.last || (size_t)r->b.v >= n ? (r->b.last ? n - 1 : 0)
                                              : n - 1 - (size_t)r->b.v;
    return 1;
  }
  *first = (size_t)r->a.v;
  *last = r->b.last ? n - 1 : (size_t)r->b.v;
  if (*first >= n) return 0;
  if (*last >= n) *last = n - 1;
  return *first <= *last;
}

/* Byte offset of character k of p[0..n) (UTF-8: lead bytes count). */
static size_t char_offset(const uint8_t *p, size_t n, size_t k) {
  size_t i = 0;
  for (; i < n; i++)
    if ((p[i] & 0xC0) != 0x80 && k-- == 0) return i;
  return n;
}

/* Narrow v to character positions r; 0 when nothing is left. */
static int slice(const ev *e, sval *v, const spec_range *r) {
  if (!r->set) return 1;
  const uint8_t *p = ptr(e, v);
  size_t n = v->len;
  if (e->utf8) {
    n = 0;
    for (size_t i = 0; i < v->len; i++) n += (p[i] & 0xC0) != 0x80;
  }
  size_t first, last;
  if (!resolve(r, n, &first, &last)) return 0;
  size_t from = first, to = last + 1;
  if (e->utf8) {
    from = char_offset(p, v->len, first);
    to = char_offset(p, v->len, last + 1);
  }
  if (v->scr) v->off += from;
  else v->p += from;
  v->len = to - from;
  return 1;
}

/* A data field as MARCMaker writes it after "=TAG  ": indicators ('\' for
 * blank), '$' before each subfield code, and '$' '{' '}' in the data as
 * {dollar} {lcub} {rcub}. */
static int render(ev *e, const marc_field *f, sval *out) {
  marc_buf *b = e->scratch;
  size_t mark = b->len;
  const uint8_t *p = marc_field_data(e->rec, f);
  char ind[2] = {f->ind1 == ' ' ? '\\' : (char)f->ind1,
                 f->ind2 == ' ' ? '\\' : (char)f->ind2};
  int bad = marc_buf_append(b, ind, 2) != MARC_OK;
  size_t run = 0;
  for (size_t i = 0; !bad && i < f->len; i++) {
    const char *esc = p[i] == '$'       ? "{dollar}"
                      : p[i] == '{'     ? "{lcub}"
                      : p[i] == '}'     ? "{rcub}"
                      : p[i] == MARC_SD ? "$"
                                        : NULL;
    if (!esc) continue;
    bad = marc_buf_append(b, p + run, i - run) != MARC_OK ||
          marc_buf_append(b, esc, strlen(esc)) != MARC_OK;
    run = i + 1;
  }
  if (!bad) bad = marc_buf_append(b, p + run, f->len - run) != MARC_OK;
  if (bad) {
    b->len = mark;
    e->nomem = 1;
    return 0;
  }
  out->p = NULL;
  out->off = mark;
  out->len = b->len - mark;
  out->scr = 1;
  return 1;
}

/* The field data of field f (NULL: the leader). */
static int field_value(ev *e, const marc_field *f, sval *out) {
  if (!f) *out = view((const uint8_t *)marc_record_leader(e->rec), 24);
  else if (marc_tag_is_control(f->tag))
    *out = view(marc_field_data(e->rec, f), f->len);
  else return render(e, f, out);
  return 1;
}

static int tag_matches(const char *pat, const char *tag) {
  for (int k = 0; k < 3; k++)
    if (pat[k] != '.' && pat[k] != tag[k]) return 0;
  return 1;
}

typedef int (*field_fn)(ev *e, const marc_field *f, void *u);

/* Call fn for each field the tag and index select, in record order. The
 * index counts the fields the tag matches; "LDR" is the leader. */
static int each_field(ev *e, const char *tag, const spec_range *idx,
                      field_fn fn, void *u) {
  size_t first = 0, last = SIZE_MAX;
  if (!memcmp(tag, "LDR", 4))
    return resolve(idx, 1, &first, &last) ? fn(e, NULL, u) : 0;
  if (idx->set) {
    size_t n = 0;
    for (size_t i = 0; i < e->nf; i++) n += tag_matches(tag, e->fields[i].tag);
    if (!resolve(idx, n, &first, &last)) return 0;
  }
  for (size_t i = 0, k = 0; i < e->nf && k <= last; i++) {
    if (!tag_matches(tag, e->fields[i].tag)) continue;
    int r = k >= first ? fn(e, &e->fields[i], u) : 0;
    if (r) return r;
    k++;
  }
  return 0;
}

static int is_data(const marc_field *f) {
  return f && !marc_tag_is_control(f->tag);
}

/* Subfields of f with codes lo..hi that index idx selects: the number of
 * them before `at` (its occurrence) and in all. */
static void occurrence(const ev *e, const marc_field *f, uint8_t lo, uint8_t hi,
                       const uint8_t *at, size_t *k, size_t *n) {
  marc_subfield_iter it = marc_subfields(e->rec, f);
  marc_subfield sf;
  *k = *n = 0;
  while (marc_subfield_next(&it, &sf)) {
    if ((uint8_t)sf.code < lo || (uint8_t)sf.code > hi) continue;
    if (sf.value < at) ++*k;
    ++*n;
  }
}

static int selected(const ev *e, const marc_field *f, uint8_t lo, uint8_t hi,
                    const spec_range *idx, const marc_subfield *sf) {
  if (!idx->set) return 1;
  size_t k, n, first, last;
  occurrence(e, f, lo, hi, sf->value, &k, &n);
  return resolve(idx, n, &first, &last) && k >= first && k <= last;
}

/* ---- Subterms --------------------------------------------------------- */

typedef struct term_walk {
  const spec_term *t;
  val_fn fn;
  void *u;
} term_walk;

static int term_subfields(ev *e, const marc_field *f, const term_walk *w) {
  const spec_term *t = w->t;
  if (!is_data(f)) return 0;
  marc_subfield_iter it = marc_subfields(e->rec, f);
  marc_subfield sf;
  while (marc_subfield_next(&it, &sf)) {
    if ((uint8_t)sf.code < t->code_lo || (uint8_t)sf.code > t->code_hi ||
        !selected(e, f, t->code_lo, t->code_hi, &t->sindex, &sf))
      continue;
    sval v = view(sf.value, sf.len);
    int r = slice(e, &v, &t->chars) ? w->fn(e, &v, w->u) : 0;
    if (r) return r;
  }
  return 0;
}

static int term_indicator(ev *e, const marc_field *f, const term_walk *w) {
  if (!is_data(f)) return 0;
  sval v = view(w->t->ind == 1 ? &f->ind1 : &f->ind2, 1);
  return w->fn(e, &v, w->u);
}

static int term_field(ev *e, const marc_field *f, void *u) {
  const term_walk *w = u;
  if (w->t->kind == SPEC_SUBFIELD) return term_subfields(e, f, w);
  if (w->t->kind == SPEC_INDICATOR) return term_indicator(e, f, w);
  size_t mark = e->scratch->len;
  sval v;
  if (!field_value(e, f, &v)) return 1;
  int r = slice(e, &v, &w->t->chars) ? w->fn(e, &v, w->u) : 0;
  e->scratch->len = mark;
  return r;
}

/* Call fn for each value of subterm t, decided about in c. */
static int term_each(ev *e, const cur *c, const spec_term *t, val_fn fn,
                     void *u) {
  term_walk w = {t, fn, u};
  switch (t->scope) {
  case SCOPE_VALUE: {
    sval v = c->raw;
    return slice(e, &v, &t->chars) ? fn(e, &v, u) : 0;
  }
  case SCOPE_FIELD:
    if (t->kind == SPEC_STRING) break;
    return t->kind == SPEC_INDICATOR ? term_indicator(e, c->f, &w)
                                     : term_subfields(e, c->f, &w);
  default:
    if (t->kind == SPEC_STRING) break;
    return each_field(e, t->tag, &t->findex, term_field, &w);
  }
  sval s = view((const uint8_t *)e->sp->pool + t->str_off, t->str_len);
  return fn(e, &s, u);
}

/* ---- Subspecs --------------------------------------------------------- */

typedef struct cmp {
  const cur *c;
  const spec_term *right;
  uint8_t op;
  sval left;
  size_t nleft;
  int found;
} cmp;

static int any_cb(ev *e, const sval *v, void *u) {
  (void)e, (void)v, (void)u;
  return 1;
}

static int contains(const uint8_t *h, size_t hn, const uint8_t *n, size_t nn) {
  if (nn > hn) return 0;
  for (size_t i = 0; i + nn <= hn; i++)
    if (!memcmp(h + i, n, nn)) return 1;
  return 0;
}

static int right_cb(ev *e, const sval *r, void *u) {
  cmp *m = u;
  const uint8_t *lp = ptr(e, &m->left), *rp = ptr(e, r);
  int hit = m->op == OP_EQ || m->op == OP_NE
                ? m->left.len == r->len && !memcmp(lp, rp, r->len)
                : contains(lp, m->left.len, rp, r->len);
  return m->found = hit;
}

static int left_cb(ev *e, const sval *l, void *u) {
  cmp *m = u;
  m->left = *l;
  m->nleft++;
  term_each(e, m->c, m->right, right_cb, m);
  return m->found || e->nomem;
}

/* The subTerm validation table of the specification: no left-hand value
 * is false; = and ~ need one pair to match, != and !~ none. */
static int check_true(ev *e, const cur *c, const spec_check *ch) {
  const spec_term *terms = e->sp->terms;
  const spec_term *right = &terms[ch->right];
  if (ch->op == OP_EXISTS || ch->op == OP_NOT_EXISTS) {
    if (ch->left >= 0 && !term_each(e, c, &terms[ch->left], any_cb, NULL))
      return 0;
    int exists = term_each(e, c, right, any_cb, NULL) != 0;
    return ch->op == OP_EXISTS ? exists : !exists;
  }
  cmp m = {c, right, ch->op, {0}, 0, 0};
  if (ch->left < 0) left_cb(e, &c->val, &m);
  else term_each(e, c, &terms[ch->left], left_cb, &m);
  if (!m.nleft) return 0;
  return ch->op == OP_EQ || ch->op == OP_HAS ? m.found : !m.found;
}

/* All subspecs of the part hold (AND), each by one of its checks (OR). */
static int subspecs_hold(ev *e, const cur *c, const spec_part *part) {
  for (uint32_t s = 0; s < part->sub_count; s++) {
    const spec_sub *sub = &e->sp->subs[part->sub_first + s];
    int any = 0;
    for (uint32_t k = 0; k < sub->count && !any && !e->nomem; k++)
      any = check_true(e, c, &e->sp->checks[sub->first + k]);
    if (!any) return 0;
  }
  return 1;
}

/* ---- Top-level specs -------------------------------------------------- */

static int emit(ev *e, const cur *c, char code) {
  marc_spec_value v = {ptr(e, &c->val), c->val.len,
                       c->f ? (size_t)(c->f - e->fields) : SIZE_MAX, code};
  return e->fn(e->user, &v);
}

static int one_field(ev *e, const marc_field *f, void *u) {
  const spec_one *one = u;
  const spec_part *part = &e->sp->parts[one->part_first];
  size_t mark = e->scratch->len;
  cur c = {f, {0}, {0}};
  if (e->match_only && !one->chars.set && !part->sub_count)
    return e->fn(e->user, NULL); /* it exists: no need to render it */
  if (!field_value(e, f, &c.raw)) return 1;
  c.val = c.raw;
  int r = 0;
  if (slice(e, &c.val, &one->chars) && subspecs_hold(e, &c, part) && !e->nomem)
    r = emit(e, &c, 0);
  e->scratch->len = mark;
  return r || e->nomem;
}

static int one_indicator(ev *e, const marc_field *f, void *u) {
  const spec_one *one = u;
  if (!is_data(f)) return 0;
  cur c = {f, view(one->ind == 1 ? &f->ind1 : &f->ind2, 1), {0}};
  c.val = c.raw;
  if (!subspecs_hold(e, &c, &e->sp->parts[one->part_first])) return e->nomem;
  return emit(e, &c, 0);
}

static int one_subfields(ev *e, const marc_field *f, void *u) {
  const spec_one *one = u;
  if (!is_data(f)) return 0;
  marc_subfield_iter it = marc_subfields(e->rec, f);
  marc_subfield sf;
  while (marc_subfield_next(&it, &sf)) {
    for (uint32_t k = 0; k < one->part_count; k++) {
      const spec_part *p = &e->sp->parts[one->part_first + k];
      if ((uint8_t)sf.code < p->code_lo || (uint8_t)sf.code > p->code_hi ||
          !selected(e, f, p->code_lo, p->code_hi, &p->sindex, &sf))
        continue;
      cur c = {f, view(sf.value, sf.len), {0}};
      c.val = c.raw;
      if (!slice(e, &c.val, &p->chars) || !subspecs_hold(e, &c, p)) {
        if (e->nomem) return 1;
        continue;
      }
      int r = emit(e, &c, sf.code);
      if (r) return r;
    }
  }
  return 0;
}

static int eval_all(ev *e) {
  for (uint32_t i = 0; i < e->sp->nones; i++) {
    const spec_one *one = &e->sp->ones[i];
    field_fn fn = one->kind == SPEC_SUBFIELD    ? one_subfields
                  : one->kind == SPEC_INDICATOR ? one_indicator
                                                : one_field;
    if (each_field(e, one->tag, &one->findex, fn, (void *)one)) return 1;
  }
  return 0;
}

static marc_status run(const marc_spec *spec, const marc_record *rec,
                       marc_buf *scratch, marc_spec_fn fn, void *user,
                       int match_only, int *stopped) {
  if (!spec || !rec || !fn) return MARC_E_ARG;
  marc_buf local = {0};
  marc_buf *b = scratch ? scratch : &local;
  size_t mark = b->len;
  ev e = {spec,
          rec,
          marc_record_fields(rec),
          marc_record_field_count(rec),
          marc_record_leader(rec)[9] == 'a',
          b,
          0,
          match_only,
          fn,
          user};
  *stopped = eval_all(&e);
  b->len = mark;
  marc_buf_free(&local);
  return e.nomem ? MARC_E_NOMEM : MARC_OK;
}

marc_status marc_spec_eval(const marc_spec *spec, const marc_record *rec,
                           marc_buf *scratch, marc_spec_fn fn, void *user) {
  int stopped;
  return run(spec, rec, scratch, fn, user, 0, &stopped);
}

static int stop_cb(void *user, const marc_spec_value *v) {
  (void)user, (void)v;
  return 1;
}

int marc_spec_match(const marc_spec *spec, const marc_record *rec,
                    marc_buf *scratch) {
  int stopped = 0;
  marc_status s = run(spec, rec, scratch, stop_cb, NULL, 1, &stopped);
  return s == MARC_OK ? stopped : (int)s;
}
