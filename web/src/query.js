// Queries (the language of `marcato filter`, compiled by the core in
// wasm): records(source, {filter}) drops the records that do not match in
// wasm, before any JS object exists; compileQuery() checks a query once
// and matches records JS holds.

import { requireReady, queryCompile, queryFree, queryMatch, queryMatchTable } from './wasm.js';

// Compiled queries nobody freed are freed when collected.
const registry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry((q) => queryFree(q)) : null;

/** A compiled query (see compileQuery). */
export class Query {
  #q;
  #text;
  constructor(text) {
    requireReady();
    this.#q = queryCompile(text);
    this.#text = text;
    registry?.register(this, this.#q, this);
  }
  /** The query's text. */
  get text() { return this.#text; }
  /** Does `record` match? Records read from MARC-8 are matched as
   * converted to UTF-8 here, as read by a filter (before conversion). */
  matches(record) {
    if (!this.#q) throw new Error('marcato: the query was freed');
    // An edited or built record is matched as it is now.
    return record._edited() ? queryMatchTable(this.#q, record.leader, record.fields)
      : queryMatch(this.#q, record._block());
  }
  /** Free the compiled query now (else when it is collected). */
  free() {
    if (!this.#q) return;
    registry?.unregister(this);
    queryFree(this.#q);
    this.#q = 0;
  }
}

/** Compile a query once (after init()): throws MarcError (code
 * 'QUERY_SYNTAX', `offset` the index in `text` where it goes wrong) for a
 * bad one. The result can be given as records()' `filter` and matches
 * records:  const q = compileQuery('245$a~*jazz'); q.matches(rec) */
export function compileQuery(text) { return new Query(text); }

/** The text of a `filter` option (a string or a Query): readers compile
 * their own copy, which they free. */
export function filterText(filter) {
  return filter instanceof Query ? filter.text : filter;
}
