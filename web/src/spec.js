// MARCspecs (the language of `marcato select`, compiled and evaluated by
// the core in wasm): compileSpec() compiles a spec once and gives the
// values it references in records JS holds; rec.select(spec) is the
// one-off form, which keeps the specs it compiled for the next record.

import { requireReady, specCompile, specFree, specValues, specValuesTable } from './wasm.js';

// Compiled specs nobody freed are freed when collected.
const registry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry((s) => specFree(s)) : null;

/** A compiled MARCspec (see compileSpec). */
export class Spec {
  #s;
  #text;
  #traject;
  constructor(text, { traject = false } = {}) {
    requireReady();
    this.#s = specCompile(text, traject);
    this.#text = text;
    this.#traject = !!traject;
    registry?.register(this, this.#s, this);
  }
  /** The spec's text, as given. */
  get text() { return this.#text; }
  /** Whether traject's shorthand was accepted. */
  get traject() { return this.#traject; }
  /** The values the spec references in `record` (strings, in record
   * order; [] when it matches nothing): the values `marcato select`
   * writes for that record. An edited or built record is seen as it is
   * now. */
  values(record) {
    if (!this.#s) throw new Error('marcato: the spec was freed');
    return record._edited() ? specValuesTable(this.#s, record.leader, record.fields)
      : specValues(this.#s, record._block());
  }
  /** Free the compiled spec now (else when it is collected). */
  free() {
    if (!this.#s) return;
    registry?.unregister(this);
    specFree(this.#s);
    this.#s = 0;
  }
}

/** Compile a MARCspec once (after init()): throws MarcError (code
 * 'SPEC_SYNTAX', `offset` the index in `text` where it goes wrong) for a
 * bad one. `traject: true` also accepts traject's shorthand ("245abc",
 * "008[35-37]", "245a:100a").
 *   const s = compileSpec('650$a'); s.values(rec)  // ['Jazz', ...] */
export function compileSpec(text, options) { return new Spec(text, options); }

// rec.select('245$a') in a loop over records should not compile per
// record: the last specs given as text are kept compiled. Bounded, so a
// program that makes up specs as it goes does not grow without end.
const CACHE_MAX = 64;
const cache = new Map();

/** The values of `spec` (a string, MARCspec without shorthand, or a
 * Spec) in `record`. */
export function selectValues(record, spec) {
  if (spec instanceof Spec) return spec.values(record);
  let s = cache.get(spec);
  if (s) {
    cache.delete(spec); // most recent last
  } else {
    s = new Spec(spec);
    if (cache.size >= CACHE_MAX) {
      const [oldest, old] = cache.entries().next().value;
      cache.delete(oldest);
      old.free();
    }
  }
  cache.set(spec, s);
  return s.values(record);
}
