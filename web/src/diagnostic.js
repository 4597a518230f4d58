// Diagnostics as the glue lays them out (wasm_diag, glue.h): in a batch's
// record blocks, its error block, and a writer's changes.

import { L } from './wasm.js';

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const TWO32 = 4294967296;

/** The name of a diagnostic code: the core's (marc_code), a charset
 * problem's, or an Avram rule's, by the ranges the layout gives. */
export function codeName(c) {
  if (c >= L.avBase) return L.rules[c - L.avBase] ?? 'UNKNOWN';
  if (c >= L.csBase) return L.csCodes[c - L.csBase] ?? 'UNKNOWN';
  return L.codes[c] ?? 'UNKNOWN';
}

/** The diagnostic (a wasm_diag, glue.h) at word `dw` of `u8`/`u32`, its
 * texts relative to byte `blockBase`, as a plain object. */
export function diagAt(u8, u32, dw, blockBase) {
  const D = L.diag.w;
  const m = blockBase + u32[dw + D.msg];
  const t = dw * 4 + L.diag.tag;
  const tag = String.fromCharCode(u8[t], u8[t + 1], u8[t + 2]).replace(/\0+$/, '');
  const code = u32[dw + D.code];
  const d = {
    code: codeName(code),
    message: utf8.decode(u8.slice(m, m + u32[dw + D.msg_len])), // a copy: TextDecoder refuses shared memory
    offset: u32[dw + D.offset_lo] + u32[dw + D.offset_hi] * TWO32,
    record: u32[dw + D.record_lo] + u32[dw + D.record_hi] * TWO32,
    tag,
  };
  if (code >= L.avBase) {
    // A schema problem: where in the field (a code's byte as tags are read:
    // one of a multi-byte code is U+0080-U+00FF), what the schema calls it.
    const sub = u32[dw + D.sub], ind = u32[dw + D.ind];
    if (sub) d.subfield = String.fromCharCode(sub);
    if (ind) d.indicator = ind;
    const part = (at, len) => { const p = blockBase + u32[dw + at]; return utf8.decode(u8.slice(p, p + u32[dw + len])); };
    if (u32[dw + D.label_len]) d.label = part(D.label, D.label_len);
    if (u32[dw + D.pos_len]) d.position = part(D.pos, D.pos_len);
    if (u32[dw + D.type_len]) d.type = part(D.type, D.type_len);
  }
  return d;
}

