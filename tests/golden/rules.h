/* Which records the golden tests require to round-trip byte for byte. */
#ifndef MARCATO_TEST_GOLDEN_RULES_H
#define MARCATO_TEST_GOLDEN_RULES_H

#include "marcato.h"

/* Problems that leave a record's bytes as they were: the reader kept
 * every byte where it found it, so writing the record back must give the
 * input again. Any other diagnostic means the reader reframed or
 * salvaged the record and the writer legitimately produces other bytes
 * (recomputed length, directory, base address). */
static inline int golden_diag_keeps_bytes(marc_code c) {
  return c == MARC_D_JUNK || c == MARC_D_SUBFIELD_DELIMITER ||
         c == MARC_D_INDICATOR_COUNT || c == MARC_D_SUBFIELD_CODE_COUNT ||
         c == MARC_D_TAG_INVALID;
}

/* `input` is the whole stream the record was read from (diagnostic
 * offsets are absolute). A 0x1F where an indicator belongs (reported as
 * SUBFIELD_DELIMITER) is read as blank indicators but the writer leaves
 * them out again (marc_field.ind_missing), so such records must round-trip
 * too. */
static inline int golden_must_round_trip(const marc_record *rec,
                                         const uint8_t *input, size_t len) {
  (void)input;
  (void)len;
  for (size_t i = 0; i < marc_record_diag_count(rec); i++)
    if (!golden_diag_keeps_bytes(marc_record_diag(rec, i)->code)) return 0;
  return 1;
}

#endif
