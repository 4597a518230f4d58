/* Record statistics: record types, encodings, tag and subfield
 * frequencies, field lengths, records with diagnostics. Tags are indexed
 * directly (digits and letters), so adding a record never allocates. */
#include "stats.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define TAG_SLOTS (36 * 36 * 36) /* three characters of [0-9A-Z] */
#define OTHER_TAG TAG_SLOTS      /* tags with other characters */

typedef struct tag_stats {
  uint64_t count;
  uint64_t bytes;
  uint32_t min_len, max_len;
  uint64_t codes[128]; /* subfield code frequencies (ASCII) */
} tag_stats;

struct cli_stats {
  uint64_t records, bytes, with_diags, diags;
  uint64_t types[256];     /* leader/06 */
  uint64_t encodings[256]; /* leader/09 */
  uint64_t diag_codes[MARC_D_COUNT_];
  tag_stats *tags[TAG_SLOTS + 1]; /* allocated on first use */
};

static int slot_of(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  return -1;
}

static size_t tag_index(const char *tag) {
  int a = slot_of(tag[0]), b = slot_of(tag[1]), c = slot_of(tag[2]);
  if (a < 0 || b < 0 || c < 0) return OTHER_TAG;
  return (size_t)(a * 36 * 36 + b * 36 + c);
}

static void tag_name(size_t i, char out[4]) {
  static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  if (i == OTHER_TAG) {
    memcpy(out, "???", 4);
    return;
  }
  out[0] = digits[i / (36 * 36)];
  out[1] = digits[i / 36 % 36];
  out[2] = digits[i % 36];
  out[3] = 0;
}

cli_stats *cli_stats_new(void) { return calloc(1, sizeof(cli_stats)); }

void cli_stats_free(cli_stats *s) {
  if (!s) return;
  for (size_t i = 0; i <= TAG_SLOTS; i++) free(s->tags[i]);
  free(s);
}

void cli_stats_add(cli_stats *s, const marc_record *rec) {
  const char *l = marc_record_leader(rec);
  s->records++;
  s->bytes += marc_record_raw_length(rec);
  s->types[(uint8_t)l[6]]++;
  s->encodings[(uint8_t)l[9]]++;
  size_t nd = marc_record_diag_count(rec);
  if (nd) s->with_diags++;
  s->diags += nd;
  for (size_t i = 0; i < nd; i++) {
    marc_code c = marc_record_diag(rec, i)->code;
    if ((unsigned)c < MARC_D_COUNT_) s->diag_codes[c]++;
  }
  size_t n = marc_record_field_count(rec);
  for (size_t i = 0; i < n; i++) {
    const marc_field *f = marc_record_field(rec, i);
    size_t t = tag_index(f->tag);
    tag_stats *ts = s->tags[t];
    if (!ts) {
      ts = s->tags[t] = calloc(1, sizeof *ts);
      if (!ts) continue; /* out of memory: this tag goes uncounted */
      ts->min_len = UINT32_MAX;
    }
    ts->count++;
    ts->bytes += f->len;
    if (f->len < ts->min_len) ts->min_len = f->len;
    if (f->len > ts->max_len) ts->max_len = f->len;
    marc_subfield_iter it = marc_subfields(rec, f);
    marc_subfield sf;
    while (marc_subfield_next(&it, &sf)) ts->codes[(uint8_t)sf.code & 127]++;
  }
}

void cli_stats_merge(cli_stats *into, const cli_stats *from) {
  into->records += from->records;
  into->bytes += from->bytes;
  into->with_diags += from->with_diags;
  into->diags += from->diags;
  for (size_t i = 0; i < 256; i++) {
    into->types[i] += from->types[i];
    into->encodings[i] += from->encodings[i];
  }
  for (size_t i = 0; i < MARC_D_COUNT_; i++)
    into->diag_codes[i] += from->diag_codes[i];
  for (size_t t = 0; t <= TAG_SLOTS; t++) {
    const tag_stats *f = from->tags[t];
    if (!f) continue;
    tag_stats *ts = into->tags[t];
    if (!ts) {
      ts = into->tags[t] = malloc(sizeof *ts);
      if (ts) *ts = *f;
      continue;
    }
    ts->count += f->count;
    ts->bytes += f->bytes;
    if (f->min_len < ts->min_len) ts->min_len = f->min_len;
    if (f->max_len > ts->max_len) ts->max_len = f->max_len;
    for (size_t c = 0; c < 128; c++) ts->codes[c] += f->codes[c];
  }
}

static const char *type_name(int c) {
  switch (c) {
  case 'a': return "language material";
  case 'c': return "notated music";
  case 'd': return "manuscript notated music";
  case 'e': return "cartographic material";
  case 'f': return "manuscript cartographic material";
  case 'g': return "projected medium";
  case 'i': return "nonmusical sound recording";
  case 'j': return "musical sound recording";
  case 'k': return "two-dimensional nonprojectable graphic";
  case 'm': return "computer file";
  case 'o': return "kit";
  case 'p': return "mixed materials";
  case 'r': return "three-dimensional artifact";
  case 't': return "manuscript language material";
  case 'z': return "authority";
  case 'u':
  case 'v':
  case 'x':
  case 'y': return "holdings";
  case 'w': return "classification";
  case 'q': return "community information";
  }
  return "not a MARC 21 type";
}

void cli_stats_print(const cli_stats *s, FILE *out) {
  fprintf(out, "records: %" PRIu64 "\nbytes: %" PRIu64 "\n", s->records,
          s->bytes);
  fprintf(out,
          "records with diagnostics: %" PRIu64 " (%" PRIu64 " diagnostics)\n",
          s->with_diags, s->diags);
  fprintf(out, "\nrecord types (leader/06):\n");
  for (int c = 0; c < 256; c++)
    if (s->types[c])
      fprintf(out, "  %c  %10" PRIu64 "  %s\n", c >= 0x20 && c < 0x7f ? c : '?',
              s->types[c], type_name(c));
  fprintf(out, "\ncharacter coding (leader/09):\n");
  for (int c = 0; c < 256; c++)
    if (s->encodings[c])
      fprintf(out, "  %c  %10" PRIu64 "  %s\n", c >= 0x20 && c < 0x7f ? c : '?',
              s->encodings[c],
              c == 'a'   ? "UCS/Unicode"
              : c == ' ' ? "MARC-8"
                         : "invalid");
  if (s->diags) {
    fprintf(out, "\ndiagnostics:\n");
    for (size_t i = 0; i < MARC_D_COUNT_; i++)
      if (s->diag_codes[i])
        fprintf(out, "  %-28s %10" PRIu64 "\n", marc_code_name((marc_code)i),
                s->diag_codes[i]);
  }
  fprintf(out, "\nfields:\n  tag       count  min len  avg len  max len  "
               "subfield codes (count)\n");
  for (size_t t = 0; t <= TAG_SLOTS; t++) {
    const tag_stats *ts = s->tags[t];
    if (!ts) continue;
    char name[4];
    tag_name(t, name);
    fprintf(out, "  %s  %10" PRIu64 "  %7u  %7.1f  %7u ", name, ts->count,
            ts->min_len, (double)ts->bytes / (double)ts->count, ts->max_len);
    for (int c = 0; c < 128; c++)
      if (ts->codes[c]) {
        if (c >= 0x21 && c < 0x7f)
          fprintf(out, " %c(%" PRIu64 ")", c, ts->codes[c]);
        else fprintf(out, " 0x%02X(%" PRIu64 ")", c, ts->codes[c]);
      }
    fputc('\n', out);
  }
}
