// The package's error class (strict-mode input problems, writer refusals).

/** A problem in the input (strict mode) or a record a writer cannot
 * encode. `code` is a stable name such as "LENGTH_MISMATCH". */
export class MarcError extends Error {
  constructor(message, { code = 'NONE', offset = 0, record = 0, tag = '',
                         status = 'E_INVALID' } = {}) {
    super(message);
    this.name = 'MarcError';
    this.code = code;
    this.offset = offset;
    this.record = record;
    this.tag = tag;
    this.status = status;
  }
}
