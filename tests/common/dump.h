/* Test helpers shared by the test areas: a canonical, byte-exact text
 * form of a record (so two parses can be compared with strcmp and a
 * difference printed readably) and a whole-file loader. */
#ifndef MARCATO_TEST_DUMP_H
#define MARCATO_TEST_DUMP_H

#include "marcato.h"

#include <stddef.h>
#include <stdint.h>

/* Append a canonical dump of `rec` to `out`, one item per line:
 *   record <index> offset <offset> raw <raw length>
 *   leader <24 bytes>
 *   field <tag> <ind1><ind2> <bytes>      (data field; indicators "--"
 *   field <tag> <bytes>                    for control fields: none)
 *   diag <CODE> offset <o> record <r> tag <t> msg <text>
 * Bytes outside printable ASCII, and '\', are written \xHH, so the dump is
 * one line per item whatever the record holds. Returns MARC_OK or
 * MARC_E_NOMEM. */
marc_status test_dump_record(const marc_record *rec, marc_buf *out);

/* Append one diagnostic line ("diag ..." as above, with newline). */
marc_status test_dump_diag(const marc_diag *d, marc_buf *out);

/* Append `n` bytes escaped as described above. */
marc_status test_dump_bytes(const uint8_t *p, size_t n, marc_buf *out);

/* Read a whole file into a malloc'd buffer (NUL-terminated, the NUL not
 * counted in *len). Returns 0 on success, -1 (errno set) on failure. */
int test_read_file(const char *path, uint8_t **data, size_t *len);

/* "dir/name" in a static buffer (overwritten by the next call). */
const char *test_path(const char *dir, const char *name);

#endif
