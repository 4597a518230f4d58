// The one ISO 2709 encoder of the JS tests: builds synthetic records from
// a leader and a field list. No Node or browser API beyond TextEncoder, so
// Node tests, the browser suite and the viewer's tests all import it.
//
//   iso2709('00000nam a2200000 a 4500', [
//     ['001', 'id1'],                                   // [tag, data]
//     ['245', '10', [['a', 'Title :'], ['b', 'rest']]], // [tag, indicators, subfields]
//   ])  ->  Uint8Array
//
// Text is written as UTF-8; a Uint8Array (data, subfield value) is written
// as is, for bytes that are not UTF-8. `[tag, data]` writes data and a
// field terminator whatever the tag, so a data field's raw bytes can be
// given that way too ('  pre\x1fav'). The record length (leader/00-04) and
// base address (leader/12-16) are computed; the leader's other positions
// are kept. `options.entry(tag, length, offset, i)` may return a directory
// entry of its own (12 characters, or a damaged one) for hostile records.

const enc = new TextEncoder();

const bytesOf = (x) => (x instanceof Uint8Array ? x : enc.encode(String(x)));
const pad = (n, width) => String(n).padStart(width, '0');

/** The bytes of `parts` back to back. */
export function concat(parts) {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function fieldBytes([, a, subfields]) {
  if (subfields === undefined) return concat([bytesOf(a), Uint8Array.of(0x1e)]);
  const parts = [bytesOf(a)];
  for (const [code, value] of subfields) parts.push(Uint8Array.of(0x1f), bytesOf(code), bytesOf(value));
  parts.push(Uint8Array.of(0x1e));
  return concat(parts);
}

const standardEntry = (tag, length, offset) => tag + pad(length, 4) + pad(offset, 5);

/** ISO 2709 bytes of one record. */
export function iso2709(leader, fields, { entry = standardEntry } = {}) {
  const datas = fields.map(fieldBytes);
  let dir = '', off = 0;
  datas.forEach((d, i) => {
    dir += entry(fields[i][0], d.length, off, i);
    off += d.length;
  });
  const directory = enc.encode(dir + '\x1e');
  const base = 24 + directory.length;
  const total = base + off + 1;
  const head = enc.encode(pad(total, 5) + leader.slice(5, 12) + pad(base, 5) + leader.slice(17, 24));
  return concat([head, directory, ...datas, Uint8Array.of(0x1d)]);
}

/** The leader the tests use most. */
export const LEADER = '00000nam a2200000 a 4500';
