/* Version, status and diagnostic-code names. */
#include "internal.h"

const char *marc_version(void) { return MARC_VERSION_STRING; }

const char *marc_status_str(marc_status s) {
  switch (s) {
  case MARC_OK: return "ok";
  case MARC_NEED_MORE: return "need more input";
  case MARC_END: return "end of input";
  case MARC_E_NOMEM: return "out of memory";
  case MARC_E_ARG: return "invalid argument";
  case MARC_E_INVALID: return "invalid record";
  case MARC_E_TOO_LONG: return "field or record too long for ISO 2709";
  case MARC_E_READONLY: return "record is a read-only view; clone it first";
  case MARC_E_STATE: return "call not allowed in this state";
  }
  return "unknown status";
}

static const char *const code_names[MARC_D_COUNT_] = {
    [MARC_D_NONE] = "NONE",
    [MARC_D_JUNK] = "JUNK",
    [MARC_D_LENGTH_NOT_NUMERIC] = "LENGTH_NOT_NUMERIC",
    [MARC_D_LENGTH_TOO_SHORT] = "LENGTH_TOO_SHORT",
    [MARC_D_LENGTH_MISMATCH] = "LENGTH_MISMATCH",
    [MARC_D_RECORD_TOO_LONG] = "RECORD_TOO_LONG",
    [MARC_D_RECORD_OVERSIZE] = "RECORD_OVERSIZE",
    [MARC_D_TRUNCATED] = "TRUNCATED",
    [MARC_D_NO_TERMINATOR] = "NO_TERMINATOR",
    [MARC_D_LEADER_SHORT] = "LEADER_SHORT",
    [MARC_D_INDICATOR_COUNT] = "INDICATOR_COUNT",
    [MARC_D_SUBFIELD_CODE_COUNT] = "SUBFIELD_CODE_COUNT",
    [MARC_D_BASE_ADDRESS] = "BASE_ADDRESS",
    [MARC_D_DIRECTORY_TERMINATOR] = "DIRECTORY_TERMINATOR",
    [MARC_D_DIRECTORY_LENGTH] = "DIRECTORY_LENGTH",
    [MARC_D_ENTRY_NOT_NUMERIC] = "ENTRY_NOT_NUMERIC",
    [MARC_D_ENTRY_OUT_OF_RANGE] = "ENTRY_OUT_OF_RANGE",
    [MARC_D_TAG_INVALID] = "TAG_INVALID",
    [MARC_D_FIELD_TERMINATOR] = "FIELD_TERMINATOR",
    [MARC_D_FIELD_TOO_SHORT] = "FIELD_TOO_SHORT",
    [MARC_D_SUBFIELD_DELIMITER] = "SUBFIELD_DELIMITER",
    [MARC_D_FIELD_LOST] = "FIELD_LOST",
    [MARC_D_DATA_LAYOUT] = "DATA_LAYOUT",
    [MARC_D_TOO_MANY_DIAGNOSTICS] = "TOO_MANY_DIAGNOSTICS",
    [MARC_D_FIELD_TOO_LONG] = "FIELD_TOO_LONG",
    [MARC_D_RECORD_TOO_LONG_TO_WRITE] = "RECORD_TOO_LONG_TO_WRITE",
    [MARC_D_LEADER_VALUE] = "LEADER_VALUE",
    [MARC_D_INDICATOR_VALUE] = "INDICATOR_VALUE",
    [MARC_D_SUBFIELD_CODE] = "SUBFIELD_CODE",
    [MARC_D_FIELD_EMPTY] = "FIELD_EMPTY",
    [MARC_D_TAG_NOT_NUMERIC] = "TAG_NOT_NUMERIC",
    [MARC_D_SYNTAX] = "SYNTAX",
    [MARC_D_NOT_MARC] = "NOT_MARC",
    [MARC_D_BAD_VALUE] = "BAD_VALUE",
    [MARC_D_MARC8_UNMAPPED] = "MARC8_UNMAPPED",
    [MARC_D_MARC8_BAD_ESCAPE] = "MARC8_BAD_ESCAPE",
    [MARC_D_MARC8_TRUNCATED] = "MARC8_TRUNCATED",
    [MARC_D_UTF8_INVALID] = "UTF8_INVALID",
    [MARC_D_MARC8_UNREPRESENTABLE] = "MARC8_UNREPRESENTABLE",
    [MARC_D_ENCODING_MISLABELED] = "ENCODING_MISLABELED",
    [MARC_D_ENCODING_REPAIRED] = "ENCODING_REPAIRED",
};

const char *marc_code_name(marc_code code) {
  if ((unsigned)code >= MARC_D_COUNT_ || !code_names[code]) return "UNKNOWN";
  return code_names[code];
}
