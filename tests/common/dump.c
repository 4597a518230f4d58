/* Canonical record dump and file loading for the tests. */
#include "common/dump.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

marc_status test_dump_bytes(const uint8_t *p, size_t n, marc_buf *out) {
  static const char hex[] = "0123456789abcdef";
  marc_status s = marc_buf_reserve(out, n * 4);
  if (s != MARC_OK) return s;
  for (size_t i = 0; i < n; i++) {
    uint8_t c = p[i];
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out->data[out->len++] = c;
    } else {
      out->data[out->len++] = '\\';
      out->data[out->len++] = 'x';
      out->data[out->len++] = (uint8_t)hex[c >> 4];
      out->data[out->len++] = (uint8_t)hex[c & 15];
    }
  }
  return MARC_OK;
}

static marc_status put(marc_buf *out, const char *s) {
  return marc_buf_append(out, s, strlen(s));
}

marc_status test_dump_diag(const marc_diag *d, marc_buf *out) {
  char head[160];
  snprintf(head, sizeof head,
           "diag %s offset %" PRIu64 " record %" PRIu64 " tag ",
           marc_code_name(d->code), d->offset, d->record);
  marc_status s = put(out, head);
  if (s == MARC_OK)
    s = test_dump_bytes((const uint8_t *)d->tag, strlen(d->tag), out);
  if (s == MARC_OK) s = put(out, " msg ");
  if (s == MARC_OK)
    s = test_dump_bytes((const uint8_t *)d->msg, strlen(d->msg), out);
  if (s == MARC_OK) s = put(out, "\n");
  return s;
}

marc_status test_dump_record(const marc_record *rec, marc_buf *out) {
  char line[128];
  snprintf(line, sizeof line,
           "record %" PRIu64 " offset %" PRIu64 " raw %zu\nleader ",
           marc_record_index(rec), marc_record_offset(rec),
           marc_record_raw_length(rec));
  marc_status s = put(out, line);
  if (s == MARC_OK)
    s = test_dump_bytes((const uint8_t *)marc_record_leader(rec), 24, out);
  if (s == MARC_OK) s = put(out, "\n");
  size_t n = marc_record_field_count(rec);
  for (size_t i = 0; s == MARC_OK && i < n; i++) {
    const marc_field *f = marc_record_field(rec, i);
    s = put(out, "field ");
    if (s == MARC_OK) s = test_dump_bytes((const uint8_t *)f->tag, 3, out);
    if (s == MARC_OK && !marc_tag_is_control(f->tag)) {
      uint8_t ind[3] = {' ', f->ind1, f->ind2};
      s = test_dump_bytes(ind, 3, out);
    }
    if (s == MARC_OK) s = put(out, " ");
    if (s == MARC_OK) s = test_dump_bytes(marc_field_data(rec, f), f->len, out);
    if (s == MARC_OK) s = put(out, "\n");
  }
  for (size_t i = 0; s == MARC_OK && i < marc_record_diag_count(rec); i++)
    s = test_dump_diag(marc_record_diag(rec, i), out);
  return s;
}

int test_read_file(const char *path, uint8_t **data, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  size_t cap = 1 << 16, n = 0;
  uint8_t *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n - 1, f);
    if (n < cap - 1) break; /* EOF or error: checked below */
    uint8_t *b = realloc(buf, cap * 2);
    if (!b) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = b;
    cap *= 2;
  }
  int bad = ferror(f);
  fclose(f);
  if (!buf || bad) {
    free(buf);
    return -1;
  }
  buf[n] = 0;
  *data = buf;
  *len = n;
  return 0;
}

const char *test_path(const char *dir, const char *name) {
  static char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return path;
}
