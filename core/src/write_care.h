/* What a text writer tells marc_write_reporting about a record it wrote:
 * the parts it changed to keep its output valid (or saw a byte there
 * that may need reporting). marc__write_changes_some then runs
 * marc_write_changes's checks on those parts only, so a record written
 * unchanged is not scanned a second time, and the diagnostics are still
 * marc_write_changes's, in its order. A writer must flag every part for
 * which marc_write_changes can report something (it may flag more);
 * fuzz_writer compares the two on every input. */
#ifndef MARC_WRITE_CARE_H
#define MARC_WRITE_CARE_H

#include "internal.h"

#define MARC__CARE_FIELDS 256

typedef struct marc__care {
  uint64_t field[MARC__CARE_FIELDS / 64]; /* a bit per field */
  int leader;
  int all; /* a field past the bitmap was flagged: check every field */
} marc__care;

static inline void marc__care_field(marc__care *c, size_t i) {
  if (i < MARC__CARE_FIELDS) c->field[i >> 6] |= (uint64_t)1 << (i & 63);
  else c->all = 1;
}

/* Field i to check: every field when `c` is NULL (marc_write_changes). */
static inline int marc__care_has(const marc__care *c, size_t i) {
  return !c || c->all ||
         (i < MARC__CARE_FIELDS && ((c->field[i >> 6] >> (i & 63)) & 1));
}

/* The writers with their care report (`care` zeroed by the caller). */
marc_status marc__write_marcxml(const marc_record *rec, marc_buf *out,
                                uint32_t flags, marc__care *care);
marc_status marc__write_json(const marc_record *rec, marc_buf *out,
                             marc__care *care);
marc_status marc__write_mrk(const marc_record *rec, marc_buf *out,
                            marc__care *care);
marc_status marc__write_text(const marc_record *rec, marc_buf *out,
                             marc__care *care);

/* marc_write_changes on the parts `care` flags (all when NULL). */
size_t marc__write_changes_some(const marc_record *rec, marc_format fmt,
                                const marc__care *care, marc_change_fn fn,
                                void *user);

#endif
