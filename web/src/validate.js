// Validation against Avram schemas (the core's validator in wasm,
// glue schema.c): loadSchema() loads a schema once; validate(record) and
// records(src, {validate: true}) check records as `marcato validate` does
// (the structure checks, then the schema of each record's type, or the
// one given), the problems as diagnostics named by the rule ("undefinedField",
// "invalidIndicator"...), with the tag, subfield code, indicator and the
// definition's label.

import {
  L, requireReady, schemaOpen, schemaFree, schemaInfo, setSchema, validateRecord, schemaBuiltinJSON,
} from './wasm.js';
import { decodeBatch } from './record.js';

/** The schemas the package has (the data the core embeds). */
export const BUILTIN_SCHEMAS = ['bibliographic', 'authority', 'holdings'];

// Loaded schemas nobody freed are freed when collected.
const registry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry(({ h, t }) => { schemaFree(h, false); if (t) schemaFree(t, true); }) : null;

/** An Avram schema loaded into wasm (see loadSchema). */
export class Schema {
  #source; // {builtin} or {json}
  #h; // handle in the single-threaded module
  #t = 0; // handle in the threaded module, made on first use there
  #held;
  #definition = null;
  constructor(source) {
    requireReady();
    if (typeof source === 'string' && BUILTIN_SCHEMAS.includes(source)) this.#source = { builtin: source };
    else if (typeof source === 'string') this.#source = { json: source };
    else if (source !== null && typeof source === 'object') this.#source = { json: JSON.stringify(source) };
    else throw new TypeError(`marcato: a schema is 'bibliographic', 'authority', 'holdings', JSON text or an object, not ${source === null ? 'null' : typeof source}`);
    this.#h = schemaOpen(this.#source, false);
    if (!this.builtin) {
      this.#held = { h: this.#h, t: 0 };
      registry?.register(this, this.#held, this);
    }
  }
  /** The built-in schema's name, or null for a loaded one. */
  get builtin() { return this.#source.builtin ?? null; }
  /** The schema's title ('' when it has none). */
  get title() { return schemaInfo(this.#live()).title; }
  /** Whether it is partial (the built-in authority and holdings schemas):
   * fields it leaves out are not reported as undefinedField. */
  get partial() { return schemaInfo(this.#live()).partial; }
  /** The schema as data (its Avram JSON, parsed): field, indicator and
   * subfield labels, positions, code meanings, for showing definitions. */
  get definition() {
    this.#live();
    if (!this.#definition) {
      this.#definition = JSON.parse(this.#source.builtin ? schemaBuiltinJSON(this.#source.builtin) : this.#source.json);
    }
    return this.#definition;
  }
  /** Free the loaded schema now (else when it is collected). */
  free() {
    if (!this.#h || this.builtin) return;
    registry?.unregister(this);
    schemaFree(this.#h, false);
    if (this.#t) schemaFree(this.#t, true);
    this.#h = this.#t = 0;
  }
  #live() {
    if (!this.#h) throw new Error('marcato: the schema was freed');
    return this.#h;
  }
  _handle(threads) {
    this.#live();
    if (!threads) return this.#h;
    if (!this.#t) {
      this.#t = schemaOpen(this.#source, true);
      if (this.#held) this.#held.t = this.#t;
    }
    return this.#t;
  }
}

/** Load an Avram schema (after init()): a built-in one by name
 * ('bibliographic', 'authority', 'holdings'), or JSON text or the parsed
 * object (QA catalogue's schema, a library's local profile...). A schema
 * that is not valid Avram throws MarcError (code 'SCHEMA_INVALID', the
 * message naming the JSON Pointer of the problem). */
export function loadSchema(source) { return new Schema(source); }

const builtins = new Map();

// The validation options.schema and options.rules ask for: {mode, handle
// (of the module `threads` says), enable, disable, release()}. `schema`:
// undefined (the built-in schema of each record's type, as `marcato
// validate`; structure checks only in a build without Avram), false or
// null (structure checks only, as --no-schema), a built-in name, a Schema,
// JSON text or an object (loaded for this use and freed by release()).
export function validationOf(o, threads = false) {
  const { schema } = o;
  const M = L.schemaModes;
  const { enable, disable } = ruleBits(o.rules);
  let mode = M.one, s = null, owned = false;
  if (schema === undefined) {
    mode = L.avram ? M.byType : M.none;
    if (!L.avram && (enable || disable)) throw new Error('marcato: this build has no Avram schema validation: rules cannot apply');
  } else if (schema === false || schema === null) {
    mode = M.none;
  } else if (schema instanceof Schema) {
    s = schema;
  } else if (typeof schema === 'string' && BUILTIN_SCHEMAS.includes(schema)) {
    s = builtins.get(schema);
    if (!s) builtins.set(schema, (s = new Schema(schema)));
  } else {
    s = new Schema(schema);
    owned = true;
  }
  return {
    mode, handle: s ? s._handle(threads) : 0, enable, disable,
    release() { if (owned) s.free(); },
  };
}

// options.rules: "-undefinedField,+localField" as `marcato validate
// --rules` takes it (a name alone switches a rule on).
function ruleBits(rules) {
  let enable = 0, disable = 0;
  if (rules === undefined || rules === null || rules === '') return { enable, disable };
  if (typeof rules !== 'string') throw new TypeError(`marcato: rules are a string such as '-undefinedField,+localField', not ${typeof rules}`);
  for (const item of rules.split(',')) {
    const off = item.startsWith('-'), name = item.replace(/^[-+]/, '');
    const r = L.rules.indexOf(name);
    if (r < 0) throw new TypeError(`marcato: unknown validation rule '${name}' (rules: ${L.rules.join(', ')})`);
    const bit = (1 << r) >>> 0;
    if (off) { disable = (disable | bit) >>> 0; enable = (enable & ~bit) >>> 0; }
    else { enable = (enable | bit) >>> 0; disable = (disable & ~bit) >>> 0; }
  }
  return { enable, disable };
}

/** Set a single-threaded reader `h` to validate as options `o` say;
 * returns the plan, whose release() the reader's close calls. */
export function readerValidation(h, o) {
  const v = validationOf(o);
  try {
    setSchema(h, v);
  } catch (e) {
    v.release();
    throw e;
  }
  return v;
}

/** The same for a threaded run (PipelineRun), before any input. */
export function runValidation(run, o) {
  const v = validationOf(o, true);
  try {
    setSchema(run, v);
  } catch (e) {
    v.release();
    throw e;
  }
  return v;
}

/** Check one record as `marcato validate` does: the structure checks
 * (leader values, indicators, subfield codes), then the record's schema
 * (options.schema as for records(); by default the built-in schema of
 * its type, leader/06). Returns the problems as diagnostics: the
 * record's own reading diagnostics first, then those found. An edited or
 * built record is checked as it is now. */
export function validate(record, options = {}) {
  requireReady();
  const v = validationOf(options);
  try {
    const raw = record._edited() ? validateRecord(v, null, record.leader, record.fields)
      : validateRecord(v, record._block());
    return decodeBatch(raw).records[0].diagnostics;
  } finally {
    v.release();
  }
}
