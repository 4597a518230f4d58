// Type declarations of the npm package `marcato`.

/** Options of init(). */
export interface InitOptions {
  /** The bytes of marcato.wasm (skips reading / fetching it). */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Browsers: where to fetch marcato.wasm (default: beside dist/marcato.mjs). */
  wasmURL?: string | URL;
}

export interface InitInfo {
  version: string;
  /** Writers in this build: "iso2709", "mrk", "text", and "marcxml", "json", "jsonl" when the core has them. */
  formats: string[];
  /** Readers in this build: "iso2709", and "marcxml", "json", "jsonl", "mrk" when the core has them. */
  inputs: string[];
  /** MARC-8 records are converted to UTF-8. */
  marc8: boolean;
  /** records(source, {threads}) can use worker threads here. */
  threads: boolean;
  /** The built-in Avram schemas ("bibliographic", "authority",
   * "holdings"); [] in a build without Avram validation (no cJSON), which
   * runs the structure checks only. */
  schemas: BuiltinSchema[];
}

/** Load the wasm module once; every call returns the same Promise. */
export function init(options?: InitOptions): Promise<InitInfo>;

export interface ReadOptions {
  /** Throw MarcError at the first problem instead of attaching diagnostics. */
  strict?: boolean;
  /** Largest record accepted in bytes (default 16 MiB). */
  maxRecord?: number;
  /** Diagnostics kept per record (default 64). */
  maxDiagnostics?: number;
  /** Records decoded per call into wasm (default 256). */
  batchSize?: number;
  /** A batch also ends once it holds this many bytes (default 1 MiB). */
  batchBytes?: number;
  /** Input is copied into wasm memory in pieces of at most this many bytes,
   * and paths are read in chunks of this size (default 1 MiB). */
  chunkSize?: number;
  /** Input format; sniffed from the first bytes when omitted (see
   * sniffFormat). */
  format?: 'iso2709' | 'marcxml' | 'json' | 'jsonl' | 'mrk';
  /** Character set of the records: 'auto' (default: leader/09, and
   * MARC-8-labelled data that is valid UTF-8 is read as UTF-8;
   * double-encoded UTF-8, "PeÃÂtain" for "Pétain", is repaired with an
   * ENCODING_REPAIRED diagnostic), 'marc8' or 'utf8' (bytes read as
   * UTF-8 and kept, invalid ones as U+FFFD). MARC-8 is converted to UTF-8
   * and leader/09 becomes 'a'. */
  encoding?: 'auto' | 'marc8' | 'utf8';
  /** Compose the text to Unicode NFC (default false: MARC-8's decomposed form). */
  nfc?: boolean;
  /** ISO 2709 input: read with this many threads in all (true: one per
   * CPU): N - 1 workers run the native pipeline in wasm while the calling
   * thread builds the JS objects, when SharedArrayBuffer is usable (Node;
   * browsers when crossOriginIsolated); otherwise, and for other formats,
   * one thread. Same records in the same order either way. */
  threads?: number | boolean;
  /** Keep only the records matching this query (the language of `marcato
   * filter`: "245$a~*jazz and not 650", "LDR/06=a", "008/35-37=eng"...):
   * the others are dropped in wasm before any JS object exists. Records
   * are matched as read, before any MARC-8 conversion. A bad query throws
   * MarcError (code "QUERY_SYNTAX"). With `threads`, the workers match. */
  filter?: string | Query | null;
  /** Check each record as `marcato validate` does: the structure checks
   * (leader values per record type, indicators, subfield codes), then the
   * Avram schema of its type (leader/06: the built-in MARC 21
   * bibliographic, authority or holdings schema) or `schema`. The
   * problems join the record's diagnostics, schema problems named by
   * their rule ("undefinedField", "invalidIndicator"...); strict: the
   * first throws. With `threads`, the workers validate. */
  validate?: boolean;
  /** With `validate`: the schema (see SchemaSource); false or null for
   * the structure checks only (`marcato validate --no-schema`). Default:
   * the built-in schema of each record's type. */
  schema?: SchemaSource | false | null;
  /** With `validate`: rules switched on or off over the defaults, as
   * `marcato validate --rules` takes them ("-undefinedField,+localField"). */
  rules?: string;
}

/** A built-in schema's name. */
export type BuiltinSchema = 'bibliographic' | 'authority' | 'holdings';
/** A schema: a built-in one, a loaded Schema, Avram JSON text or the
 * parsed object. */
export type SchemaSource = BuiltinSchema | Schema | string | object;

/** The built-in schemas' names. */
export const BUILTIN_SCHEMAS: readonly BuiltinSchema[];

/** An Avram schema loaded into wasm once (loadSchema). */
export class Schema {
  private constructor();
  /** The built-in schema's name, or null for one loaded from JSON. */
  readonly builtin: BuiltinSchema | null;
  /** Its title ("" when it has none). */
  readonly title: string;
  /** Whether it is partial: fields it leaves out are not undefinedField. */
  readonly partial: boolean;
  /** The schema as data: its Avram JSON parsed (fields with labels,
   * indicators, subfields, positions and codes), to show definitions. */
  readonly definition: { fields?: { [id: string]: object }; [key: string]: unknown };
  /** Free a loaded schema now (else it is freed when collected). */
  free(): void;
}
/** Load an Avram schema (after init()): a built-in one by name, or JSON
 * text or its parsed object. Throws MarcError (code "SCHEMA_INVALID",
 * the message naming the JSON Pointer) for one that is not valid Avram. */
export function loadSchema(source: BuiltinSchema | string | object): Schema;

/** What validate() takes. */
export interface ValidateOptions {
  /** As for records(): default the built-in schema of the record's type. */
  schema?: SchemaSource | false | null;
  /** As for records(). */
  rules?: string;
}
/** Check one record (as it is now, edits included) as `marcato validate`
 * does: its reading diagnostics, the structure checks, then the schema
 * problems. */
export function validate(record: Record, options?: ValidateOptions): Diagnostic[];

/** What records() reads. A string or URL is a file path (Node only). */
export type Source =
  | string
  | URL
  | Uint8Array
  | ArrayBuffer
  | ArrayBufferView
  | Blob
  | Response
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>
  | Iterable<Uint8Array>;

/** A problem found in the input. */
export interface Diagnostic {
  /** Stable name, e.g. "LENGTH_MISMATCH", "TRUNCATED", "TAG_INVALID"; for
   * schema problems the Avram rule, e.g. "undefinedSubfield". */
  code: string;
  message: string;
  /** Absolute byte offset in the input. */
  offset: number;
  /** 0-based record index in the input. */
  record: number;
  /** Tag of the field concerned, "" for none ("LDR" for the leader in
   * schema problems). */
  tag: string;
  /** Schema problems: the subfield code concerned (its byte: one of a
   * multi-byte code shows as U+0080-U+00FF). */
  subfield?: string;
  /** Schema problems: the indicator concerned (1 or 2). */
  indicator?: 1 | 2;
  /** Schema problems: the definition's label ("Title Statement", or the
   * subfield's or position's). */
  label?: string;
  /** Schema problems in a fixed field: the positions ("07-10"). */
  position?: string;
  /** Schema problems checked against a typed definition: its record type
   * ("BK" for 008 of books, "007c" for a 007 of electronic resources). */
  type?: string;
}

export interface Subfield {
  /** One character; "" for text before the first delimiter of a malformed field. */
  code: string;
  value: string;
}

/** A control field (tag 00X). Its value can be set; writers write it. */
export class ControlField {
  constructor(tag: ControlTag | string, value?: string);
  tag: string;
  value: string;
  readonly isControl: true;
  toJSON(): { [tag: string]: string };
}

/** A data field. Tag, indicators, the subfields array and each subfield's
 * code and value can be changed; writers write what the field holds. */
export class DataField {
  /** Indicators default to ' ' (blank); subfields to none. */
  constructor(tag: string, ind1?: string, ind2?: string, subfields?: (Subfield | [code: string, value: string])[]);
  tag: string;
  /** One character. */
  ind1: string;
  /** One character. */
  ind2: string;
  /** Decoded on first use; an array to edit in place, or replace. */
  get subfields(): Subfield[];
  set subfields(list: (Subfield | [code: string, value: string])[]);
  readonly isControl: false;
  /** The first subfield `code`'s value. */
  subfield(code: string): string | undefined;
  /** Append a subfield; returns this field. */
  addSubfield(code: string, value: string): this;
  /** Remove the subfield at `index`, or every subfield with code `code`; returns this field. */
  removeSubfield(indexOrCode: number | string): this;
  toJSON(): { [tag: string]: { ind1: string; ind2: string; subfields: { [code: string]: string }[] } };
}

export type Field = ControlField | DataField;

/** A field as Record's methods take it: a Field, or the plain form of one. */
export type FieldInit =
  | Field
  | { tag: string; value: string }
  | { tag: string; ind1?: string; ind2?: string; subfields: (Subfield | [code: string, value: string])[] };

export interface RecordInit {
  /** 24 characters (U+0000-U+00FF); default "00000nam a2200000 i 4500".
   * Lengths and base address are recomputed by the ISO 2709 writer;
   * leader/09 is written 'a' (the text is Unicode). */
  leader?: string;
  fields?: Iterable<FieldInit>;
}

/** MARC-in-JSON. */
export interface MarcJSON {
  leader: string;
  fields: ({ [tag: string]: string } | { [tag: string]: { ind1: string; ind2: string; subfields: { [code: string]: string }[] } })[];
}

/** Tag patterns: "245", or with X/x/. as wildcards: "6XX", "1..". */
export type TagPattern = string;

type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';
/** Tags of control fields ("00X"): get("001") is a ControlField. */
export type ControlTag = `00${Digit}`;
/** Three-digit tags outside 00X: get("245") is a DataField. */
export type DataTag = `${Exclude<Digit, '0'>}${Digit}${Digit}` | `0${Exclude<Digit, '0'>}${Digit}`;

/** A record read, or built: `Record.create({leader, fields})` or
 * `new Record({...})`. Every writer writes what the record holds now:
 * records that were edited (leader, fields, indicators, subfields) or
 * built are written from their fields; the others as read. */
export class Record {
  constructor(init?: RecordInit);
  static create(init?: RecordInit): Record;
  /** The 24 leader characters (bytes read as Latin-1); settable. */
  get leader(): string;
  set leader(value: string);
  /** The fields in order: edit the array in place or replace it. */
  get fields(): Field[];
  set fields(list: FieldInit[]);
  /** Append a field; returns this record. */
  addField(field: FieldInit): this;
  /** Insert a field before index `index` (0..fields.length); returns this record. */
  insertField(index: number, field: FieldInit): this;
  /** Remove the field at `index`, or the field itself; returns it (undefined if absent). */
  removeField(which: number | Field): Field | undefined;
  /** Put `field` in the place of the field at `index` (or of that field); returns this record. */
  replaceField(which: number | Field, field: FieldInit): this;
  /** Problems found while reading the record (lenient mode); [] when none. */
  readonly diagnostics: Diagnostic[];
  /** 0-based index in the input (0 for a record built in JS). */
  readonly index: number;
  /** Absolute byte offset of the record in the input (0 for a record built in JS). */
  readonly offset: number;
  /** The record's length in its input as the reader framed it: its bytes
   * as read are input[offset, offset + rawLength) (0 for a record built in JS). */
  readonly rawLength: number;
  /** ISO 2709 bytes: as read (a view into the batch), or written anew
   * for records converted from MARC-8, read from a text format, edited or built. */
  readonly bytes: Uint8Array;
  /** The first field whose tag matches, or undefined. */
  get(tag: ControlTag): ControlField | undefined;
  get(tag: DataTag): DataField | undefined;
  get(pattern: TagPattern): Field | undefined;
  /** Every field whose tag matches. */
  getAll(tag: ControlTag): ControlField[];
  getAll(tag: DataTag): DataField[];
  getAll(pattern: TagPattern): Field[];
  /** The first subfield `code` among the data fields matching `tag`. */
  subfield(tag: TagPattern, code: string): string | undefined;
  toJSON(): MarcJSON;
  /** MARCMaker text as `marcato dump` prints it (ends with a blank line). */
  toMRK(): string;
  /** ISO 2709 bytes; throws MarcError (FIELD_TOO_LONG...) past the format's limits.
   * `encoding: 'marc8'` writes MARC-8 (leader/09 blank): characters MARC-8
   * lacks become "&#xXXXX;" and are reported in `diagnostics`
   * (MARC8_UNREPRESENTABLE); TypeError when `init()`'s `marc8` is false. */
  toISO2709(options?: { encoding?: OutputEncoding }): Uint8Array;
  /** MARCXML; throws TypeError when the build has no MARCXML writer
   * (`init()`'s `formats` lists the writers). */
  toMARCXML(): string;
  /** The values a MARCspec (text, or a compileSpec() result) references,
   * in record order: what `marcato select` writes for this record ([]
   * when it matches nothing). Throws MarcError (code "SPEC_SYNTAX") for a
   * bad spec. */
  select(spec: string | Spec): string[];
}

/** Strict-mode input problems, writer refusals and query syntax errors. */
export class MarcError extends Error {
  readonly name: 'MarcError';
  /** Stable diagnostic name, e.g. "LENGTH_MISMATCH"; "QUERY_SYNTAX" for a
   * query that does not compile, "SPEC_SYNTAX" for a MARCspec. */
  readonly code: string;
  /** Byte offset in the input; for a query or a spec, the index in its
   * text where the error is. */
  readonly offset: number;
  /** 0-based index of the record in the input (the message counts from 1,
   * as the CLI does). */
  readonly record: number;
  readonly tag: string;
  /** The C status name, e.g. "E_INVALID", "E_TOO_LONG". */
  readonly status: string;
}

/** Records of `source`, one at a time; leaving the loop early frees the reader. */
export function records(source: Source, options?: ReadOptions): AsyncGenerator<Record, void, undefined>;
/** Arrays of records, one per call into wasm. */
export function batches(source: Source, options?: ReadOptions): AsyncGenerator<Record[], void, undefined>;
/** Records of bytes in memory, synchronously; needs `await init()` first. */
export function recordsSync(bytes: Uint8Array | ArrayBuffer | ArrayBufferView, options?: ReadOptions): Generator<Record, void, undefined>;
/** Number of records, parsed in wasm without building JS objects. */
export function count(source: Source, options?: ReadOptions): Promise<number>;

export interface MemoryStats {
  /** C heap bytes in use. */
  heapUsed: number;
  /** Readers and writers of the glue not yet freed. */
  liveObjects: number;
  /** Size of the wasm memory in bytes. */
  wasmMemory: number;
}
/** Counters of the single-threaded module, or with {threads: true} of the
 * threaded one (null when it is not loaded). */
export function memoryStats(options?: { threads?: boolean }): MemoryStats | null;

/** The format of input from its first bytes, by the core's rule (the
 * CLI's): after a byte order mark and blanks, '<' MARCXML, '[' JSON, '{'
 * JSON Lines when a whole object stands on the first line and the next
 * line starts with '{' (else JSON), "=LDR" MARCMaker, else ISO 2709.
 * Needs `await init()` first. */
export function sniffFormat(bytes: Uint8Array): 'iso2709' | 'marcxml' | 'json' | 'jsonl' | 'mrk';

/** Whether records(source, {threads}) can use worker threads here. */
export function threadsSupported(): boolean;
/** Why the threaded module could not be loaded (reading fell back), or null. */
export function threadsError(): unknown;
/** Stop the threaded module's workers (started again when needed). */
export function terminateThreads(): void;

/** A query compiled once by the core (compileQuery). */
export class Query {
  private constructor();
  /** The query's text. */
  readonly text: string;
  /** Does the record match? (Records read from MARC-8 are matched as
   * converted to UTF-8; edited and built records as they are now.) */
  matches(record: Record): boolean;
  /** Free the compiled query now (else it is freed when collected). */
  free(): void;
}
/** Compile a query (after init()); throws MarcError (code "QUERY_SYNTAX",
 * `offset` the index in `text`) when it does not compile. A Query can be
 * records()' `filter`. */
export function compileQuery(text: string): Query;

/** A MARCspec compiled once by the core (compileSpec). */
export class Spec {
  private constructor();
  /** The spec's text, as given. */
  readonly text: string;
  /** Whether traject's shorthand was accepted. */
  readonly traject: boolean;
  /** The values the spec references in the record, in record order. */
  values(record: Record): string[];
  /** Free the compiled spec now (else it is freed when collected). */
  free(): void;
}
/** Compile a MARCspec (after init()); `traject: true` also accepts
 * traject's shorthand ("245abc", "008[35-37]", "245a:100a"). Throws
 * MarcError (code "SPEC_SYNTAX", `offset` the index in `text`) when it
 * does not compile. */
export function compileSpec(text: string, options?: { traject?: boolean }): Spec;

/** Output formats; 'text' is the CLI's readable text (`marcato convert -t text`). */
export type WriteFormat = 'iso2709' | 'mrk' | 'marcxml' | 'json' | 'jsonl' | 'text';

/** The character set written: 'utf8' (the default) or 'marc8' (ISO 2709
 * and MARCMaker only, as `marcato convert --to-encoding marc8`). */
export type OutputEncoding = 'utf8' | 'marc8';

/** A writer of many records: the bytes to append for each call. */
export interface MarcWriter {
  readonly format: WriteFormat;
  readonly encoding: OutputEncoding;
  /** What goes before the first record (<collection>, "[", or nothing). */
  begin(): Uint8Array;
  /** One record (preceded by begin() or a separator when due). */
  write(record: Record): Uint8Array;
  /** What goes after the last record. */
  end(): Uint8Array;
  readonly count: number;
}
/** `encoding: 'marc8'` (iso2709 and mrk only, else TypeError) writes
 * MARC-8; what MARC-8 lacks is written "&#xXXXX;" and reported in the
 * record's `diagnostics` (MARC8_UNREPRESENTABLE). */
export function writer(format?: WriteFormat, options?: { declaration?: boolean; encoding?: OutputEncoding }): MarcWriter;

/** Bytes in, records out: `stream.pipeThrough(new MarcDecoderStream())`. */
export class MarcDecoderStream {
  constructor(options?: ReadOptions);
  readonly writable: WritableStream<Uint8Array>;
  readonly readable: ReadableStream<Record>;
}
/** Records in, bytes out in one format. */
export class MarcEncoderStream extends TransformStream<Record, Uint8Array> {
  constructor(format?: WriteFormat, options?: { declaration?: boolean; encoding?: OutputEncoding });
}
