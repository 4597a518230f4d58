/* Query operands written as MARCspecs (query_spec.c), for query.c. Not
 * installed. */
#ifndef MARC_QUERY_SPEC_H
#define MARC_QUERY_SPEC_H

#include "internal.h"

#include <regex.h>

typedef struct query_operand {
  marc_spec *spec;
  uint8_t op;  /* spec_internal.h's OP_EXISTS, OP_EQ, OP_NE, OP_HAS... */
  int literal; /* the value was a \comparison string */
  int regex;   /* ~ with a plain value: a regular expression */
  int icase;   /* ~* */
  char *value; /* NUL-terminated */
  size_t value_len;
  regex_t re;
  int has_re;
} query_operand;

/* Parse the operand at the start of `s` (`at`: its position in the query,
 * for errors). 1 on success with its length in *len; 0 with *err set
 * (positions from the start of the query). */
int marc__query_operand(const char *s, size_t at, size_t *len,
                        query_operand *op, marc_error *err);
void marc__query_operand_free(query_operand *op);
/* Does the record satisfy the operand? */
int marc__query_operand_match(const query_operand *op, const marc_record *rec);

#endif
