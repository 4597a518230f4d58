// The field table of a record JS holds (wasm_table, glue.h): how the
// writers, queries, MARCspecs and validation get an edited or built
// record without ISO 2709 and a parse in between. Laid out by the
// convention documented above marc__wasm_write_table: the header, the
// fields, the subfields, then every value as UTF-8, each encoded in place
// (at most 3 bytes per UTF-16 unit, so the area is sized from the string
// lengths without a first encoding pass). The text is Unicode whatever
// the record was read as, so leader/09 is written 'a'. wasm.js owns the
// memory: this module only writes the views it is given.

const utf8enc = new TextEncoder();

/** Where the parts of the table of `fields` go, and its size in bytes
 * (`L` the layout). */
export function tableSize(L, fields) {
  const T = L.table, TF = L.tfield, TS = L.tsub;
  let nsubs = 0, units = 0;
  for (const f of fields) {
    if (f.isControl) {
      nsubs++;
      units += text(f.value, f.tag).length;
    } else {
      const subs = f.subfields;
      nsubs += subs.length;
      for (const x of subs) units += text(x.value, f.tag).length + 2; // + delimiter and code
    }
  }
  const fieldsAt = (T.sizeof + 3) & ~3, subsAt = fieldsAt + fields.length * TF.sizeof;
  const dataAt = subsAt + nsubs * TS.sizeof;
  return { nsubs, fieldsAt, subsAt, dataAt, size: dataAt + units * 3 };
}

/** Write the table of the record (`leader`, `fields`) at `p` of the heap
 * views u8/u32, sized by tableSize (`at`). */
export function fillTable(L, u8, u32, p, leader, fields, at) {
  const T = L.table, TF = L.tfield;
  const { nsubs, fieldsAt, subsAt, dataAt } = at;
  for (let i = 0; i < 24; i++) u8[p + T.leader + i] = i === 9 ? 0x61 : leader.charCodeAt(i);
  u32[(p + T.nfields) >> 2] = fields.length;
  u32[(p + T.fields) >> 2] = fieldsAt;
  u32[(p + T.nsubs) >> 2] = nsubs;
  u32[(p + T.subs) >> 2] = subsAt;
  u32[(p + T.data) >> 2] = dataAt;
  let d = p + dataAt, sa = p + subsAt, k = 0;
  const put = (v) => { const n = utf8enc.encodeInto(v, u8.subarray(d, d + v.length * 3)).written; d += n; return n; };
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i], fa = p + fieldsAt + i * TF.sizeof, tag = f.tag;
    if (typeof tag !== 'string' || tag.length !== 3 || /[^\0-\xff]/.test(tag)) {
      throw new TypeError(`marcato: field ${i}: a tag is three characters U+0000-U+00FF, not ${JSON.stringify(tag)}`);
    }
    for (let j = 0; j < 3; j++) u8[fa + TF.tag + j] = tag.charCodeAt(j);
    const fw = fa >> 2;
    if (f.isControl) {
      // The value also as the field's one subfield (code 0: no
      // delimiter): if the core reads the tag as a data field's, the
      // value is still written.
      u8[fa + TF.ind1] = u8[fa + TF.ind2] = 0x20;
      const off = d - p - dataAt, len = put(f.value);
      u32[fw + (TF.off >> 2)] = off;
      u32[fw + (TF.len >> 2)] = len;
      u32[fw + (TF.sub >> 2)] = k;
      u32[fw + (TF.nsub >> 2)] = 1;
      sa = putSub(L, u32, sa, 0, off, len);
      k++;
      continue;
    }
    u8[fa + TF.ind1] = indicator(f.ind1, tag);
    u8[fa + TF.ind2] = indicator(f.ind2, tag);
    // The subfields in wire form ("\x1F" code value...) in the data, each
    // subfield's range its value: if the core reads the tag as a control
    // field's, the field's range (the whole wire form) is its value.
    const subs = f.subfields, start = d - p - dataAt;
    u32[fw + (TF.sub >> 2)] = k;
    u32[fw + (TF.nsub >> 2)] = subs.length;
    for (const x of subs) {
      const code = subfieldCode(x.code, tag);
      if (code) { u8[d++] = 0x1F; put(x.code); }
      const off = d - p - dataAt;
      sa = putSub(L, u32, sa, code, off, put(x.value));
    }
    u32[fw + (TF.off >> 2)] = start;
    u32[fw + (TF.len >> 2)] = d - p - dataAt - start;
    k += subs.length;
  }
  u32[(p + T.ndata) >> 2] = d - p - dataAt;
}

function putSub(L, u32, sa, code, off, len) {
  const S = L.tsub, w = sa >> 2;
  u32[w + (S.code >> 2)] = code;
  u32[w + (S.off >> 2)] = off;
  u32[w + (S.len >> 2)] = len;
  return sa + S.sizeof;
}

function text(v, tag) {
  if (typeof v !== 'string') throw new TypeError(`marcato: field ${tag}: a value is a string, not ${typeof v}`);
  return v;
}

function indicator(c, tag) {
  if (typeof c !== 'string' || c.length !== 1 || c.charCodeAt(0) > 0xff) {
    throw new TypeError(`marcato: field ${tag}: an indicator is one character U+0000-U+00FF, not ${JSON.stringify(c)}`);
  }
  return c.charCodeAt(0);
}

// A subfield code as the table holds it: its code point; 0 for '' (the
// text before the first delimiter of a damaged field).
function subfieldCode(c, tag) {
  if (c === '') return 0;
  const cp = typeof c === 'string' ? c.codePointAt(0) : -1;
  if (cp < 0 || c.length !== (cp > 0xffff ? 2 : 1)) {
    throw new TypeError(`marcato: field ${tag}: a subfield code is one character, not ${JSON.stringify(c)}`);
  }
  return cp;
}
