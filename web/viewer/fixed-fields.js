// 006, 007 and 008 decoded position by position for the record's material
// type, and the leader's positions (labels.js hands them out by kind of
// record), from data/fixed-fields.json (generated at build time from the
// MARC 21 schemas the core embeds: data/gen-fixed-fields.mjs). The page
// loads the table once; until it has arrived the fields show undecoded.
import { el } from './dom.js';

let TABLE = null;
let loading = null;

/** Fetch the table once; later calls return the same Promise (of the
 * table). */
export function loadFixedFields() {
  if (!loading) {
    loading = fetch(new URL('./data/fixed-fields.json', import.meta.url)).then((r) => {
      if (!r.ok) throw new Error(`data/fixed-fields.json: HTTP ${r.status} (web/build.sh generates it)`);
      return r.json();
    }).then((t) => {
      TABLE = t;
      return t;
    });
    loading.catch(() => { loading = null; });
  }
  return loading;
}

/** The material type (BK, CR, CF, MP, MU, VM, MX) leader/06-07 give the 008. */
export function materialOf008(leader) {
  const t = leader[6], l = leader[7];
  if (t === 'a' || t === 't') return 'bis'.includes(l) ? 'CR' : 'BK';
  if (t === 'm') return 'CF';
  if (t === 'e' || t === 'f') return 'MP';
  if ('cdij'.includes(t)) return 'MU';
  if ('gkor'.includes(t)) return 'VM';
  if (t === 'p') return 'MX';
  return '';
}

/** The material type 006/00 gives. */
export function materialOf006(value) {
  const c = value[0];
  if (c === 's') return 'CR';
  return materialOf008(`      ${c} `);
}

/** {title, positions} for a 006/007/008 value of a bibliographic record,
 * or null (no table, another kind of record, a category not defined). */
export function fixedPositions(tag, value, leader) {
  if (!TABLE) return null;
  if (tag === '008') {
    const type = materialOf008(leader);
    const t = TABLE['008'].types[type];
    const all = TABLE['008'].all;
    if (!t) return { title: '008 positions (all materials)', positions: all };
    return { title: `008 positions (${t.label})`, positions: [...all.filter((p) => p.end < 18), ...t.positions, ...all.filter((p) => p.start > 34)] };
  }
  if (tag === '006') {
    const t = TABLE['006'].types[materialOf006(value)];
    return t ? { title: `006 positions (${t.label})`, positions: t.positions } : null;
  }
  if (tag === '007') {
    const t = TABLE['007'].types[value[0]];
    return t ? { title: `007 positions (${t.label})`, positions: t.positions } : null;
  }
  return null;
}

// A position's meaning: its code's, or each character's for a span of
// one-character codes (008/18-21 illustrations: up to four codes).
function meaning(p, val) {
  if (!p.codes) return { text: '', unknown: false };
  if (p.codes[val] !== undefined) return { text: p.codes[val], unknown: false };
  const oneChar = Object.keys(p.codes).every((k) => k.length === 1);
  if (val.length > 1 && oneChar) {
    const parts = [...val].map((c) => p.codes[c] ?? (c === ' ' ? '' : `'${c}' not defined`)).filter(Boolean);
    const unknown = [...val].some((c) => p.codes[c] === undefined && c !== ' ');
    return { text: [...new Set(parts)].join('; '), unknown };
  }
  return { text: 'not a defined value', unknown: true };
}

/** The table of `value`'s positions. */
export function fixedTable(value, positions, caption) {
  const t = el('table', { class: 'positions' });
  t.append(el('caption', { class: 'visually-hidden' }, caption));
  t.append(el('thead', null, el('tr', null, el('th', { scope: 'col' }, 'Pos.'), el('th', { scope: 'col' }, 'Value'),
    el('th', { scope: 'col' }, 'Element'), el('th', { scope: 'col' }, 'Meaning'))));
  const tb = el('tbody');
  const pad = (n) => String(n).padStart(2, '0');
  for (const p of positions) {
    const val = value.slice(p.start, p.end + 1);
    const m = meaning(p, val);
    tb.append(el('tr', null,
      el('td', null, p.start === p.end ? pad(p.start) : `${pad(p.start)}-${pad(p.end)}`),
      el('td', { class: 'pv' }, val.replace(/ /g, '␣') || '(missing)'),
      el('td', null, p.label),
      el('td', { class: m.unknown ? 'unknown' : '' }, m.text)));
  }
  t.append(tb);
  return t;
}
