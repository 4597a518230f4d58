// MARC 21 names for people: formats, record kinds, encodings, record size
// classes, and field, indicator, subfield, leader and 008 position names.
// Field, indicator and subfield names and indicator code meanings come
// from the Avram schemas the package has built in (setSchemaLabels: the
// page asks the worker once, schema-labels.js); data/fields.json names
// only what they leave out (the partial authority and holdings rule
// packs, holdings fields in bibliographic records, local field patterns,
// the leader of authority and holdings records). Leader positions and
// record types come from the bibliographic schema's leader
// (setLeaderLabels: data/fixed-fields.json, generated from it). The page
// and the worker both import this module, so each name is defined once;
// only the page loads the JSON files (loadLabels), once.

/** Input and output formats: what to call them, file extension, MIME type. */
export const FORMATS = Object.freeze({
  iso2709: { label: 'ISO 2709', ext: 'mrc', mime: 'application/marc' },
  marcxml: { label: 'MARCXML', ext: 'xml', mime: 'application/marcxml+xml' },
  json: { label: 'MARC-in-JSON', ext: 'json', mime: 'application/json' },
  jsonl: { label: 'MARC-in-JSON Lines', ext: 'jsonl', mime: 'application/jsonl' },
  mrk: { label: 'MARCMaker', ext: 'mrk', mime: 'text/plain;charset=utf-8' },
});

export const formatLabel = (format) => FORMATS[format]?.label ?? format;

/** The kind of record that leader/06 names. */
export function kindOf(type) {
  if (type === 'z') return 'authority';
  if (type && 'uvxy'.includes(type)) return 'holdings';
  if (type === 'w') return 'classification';
  if (type === 'q') return 'community';
  return 'bibliographic';
}

/** Leader/09: ' ' MARC-8, 'a' UTF-8 (UCS), anything else is not defined. */
export function encodingName(l09) {
  return l09 === 'a' ? 'UTF-8' : l09 === ' ' ? 'MARC-8' : '';
}

/** Record sizes (leader/00-04) in classes for the statistics. */
export const SIZE_CLASSES = Object.freeze([
  [500, '< 500 B'], [1000, '500 B–1 KB'], [2000, '1–2 KB'], [4000, '2–4 KB'],
  [8000, '4–8 KB'], [16000, '8–16 KB'], [32000, '16–32 KB'], [Infinity, '≥ 32 KB'],
]);

export function sizeClass(bytes) {
  let i = 0;
  while (bytes >= SIZE_CLASSES[i][0]) i++;
  return i;
}

// ------------------------------------------------------------------
// Names from data/*.json (page only)
// ------------------------------------------------------------------

let FIELDS = null; // data/fields.json: tag -> name by kind, patterns, subfields
let SCHEMA = null; // the schemas' labels: kind -> tag -> {label, ind, sub}
let LEADER = null; // the schemas' leader positions by kind of record
let loading = null;

/** Fetch the name tables once; later calls return the same Promise. */
export function loadLabels() {
  if (!loading) {
    const get = (name) => fetch(new URL(`./data/${name}`, import.meta.url)).then((r) => r.json());
    loading = get('fields.json').then((f) => {
      FIELDS = f;
    });
    loading.catch(() => { loading = null; });
  }
  return loading;
}

// A tag's pattern keys, most specific first: "699" -> "69X", "6X9",
// "X99", "6XX", "X9X", "XX9" ("9XX" and "X9X" name local fields).
const MASKS = [[2], [1], [0], [1, 2], [0, 2], [0, 1]];
function patternName(tag) {
  const patterns = FIELDS.patterns ?? {};
  for (const m of MASKS) {
    const key = [...tag].map((c, i) => (m.includes(i) ? 'X' : c)).join('');
    if (patterns[key]) return patterns[key];
  }
  return '';
}

/** The labels of the package's built-in schemas (from the worker's
 * schemaLabels(); null in a build without them). */
export function setSchemaLabels(labels) {
  SCHEMA = labels;
}

// A tag's definition in the schema of `kind`, else the bibliographic one.
const schemaField = (tag, kind) => SCHEMA?.[kind]?.[tag] ?? SCHEMA?.bibliographic?.[tag] ?? null;

/** "Title Statement" for 245, by kind of record ('' when unknown). */
export function fieldName(tag, kind = 'bibliographic') {
  const own = SCHEMA?.[kind]?.[tag]?.label;
  if (own) return own;
  if (!FIELDS) return schemaField(tag, kind)?.label ?? '';
  return FIELDS[kind]?.[tag] ?? schemaField(tag, kind)?.label ?? FIELDS.bibliographic[tag] ??
    (tag.length === 3 ? patternName(tag) : '');
}

export function subfieldName(tag, code, kind = 'bibliographic') {
  const own = schemaField(tag, kind)?.sub?.[code];
  if (own) return own;
  const s = FIELDS?.subfields;
  return s?.[kind]?.[tag]?.[code] ?? s?.bibliographic?.[tag]?.[code] ?? s?.common?.[code] ?? '';
}

/** Indicator `n` (1 or 2) of `tag`: {label, meaning of `value`} ('' when
 * the schema does not say). */
export function indicatorName(tag, n, value, kind = 'bibliographic') {
  const ind = schemaField(tag, kind)?.ind?.[n - 1];
  return { label: ind?.label ?? '', meaning: ind?.codes?.[value] ?? '' };
}

/** The leader positions of the schemas, by kind of record ({kind:
 * [{start, end, label, codes}]}: data/fixed-fields.json's LDR). */
export function setLeaderLabels(ldr) {
  LEADER = ldr;
}

/** "Musical sound recording" for leader/06 'j': the bibliographic
 * schema's code, else data/fields.json's ('' before both are loaded). */
export function recordTypeName(type) {
  const six = LEADER?.bibliographic?.find((p) => p.start === 6 && p.end === 6);
  return six?.codes?.[type] ?? FIELDS?.recordTypes?.[type] ?? '';
}

/** Leader positions [{start, end, label, codes}] of a kind of record: the
 * schema's, else data/fields.json's (authority, holdings), else the
 * bibliographic schema's. */
export function leaderPositions(kind) {
  return LEADER?.[kind] ?? FIELDS?.leader?.[kind] ?? LEADER?.bibliographic ?? [];
}
