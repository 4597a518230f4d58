// A tiny ISO 2709 record builder (no wasm): the worker uses it to build
// probe records for feature detection, the tests to build hostile records.
//   buildRecord('     nam a22     uu 4500', [['001', 'id1'],
//     ['245', '10', [['a', 'Title']]]])  -> Uint8Array
// Text is written as UTF-8 unless given as a Uint8Array (raw bytes).

const enc = new TextEncoder();

function bytesOf(x) {
  return x instanceof Uint8Array ? x : enc.encode(String(x));
}

function concat(parts) {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

export function buildRecord(leader, fields) {
  const data = [];
  const dir = [];
  let pos = 0;
  for (const f of fields) {
    const [tag, a, b] = f;
    let body;
    if (b === undefined) {
      body = concat([bytesOf(a), Uint8Array.of(0x1e)]);
    } else {
      const parts = [enc.encode(a)];
      for (const [code, value] of b) parts.push(Uint8Array.of(0x1f), enc.encode(code), bytesOf(value));
      parts.push(Uint8Array.of(0x1e));
      body = concat(parts);
    }
    dir.push(tag + String(body.length).padStart(4, '0') + String(pos).padStart(5, '0'));
    data.push(body);
    pos += body.length;
  }
  const directory = enc.encode(dir.join('') + '\x1e');
  const base = 24 + directory.length;
  const total = base + pos + 1;
  const lead = String(total).padStart(5, '0') + leader.slice(5, 12) +
    String(base).padStart(5, '0') + leader.slice(17, 24);
  return concat([enc.encode(lead), directory, ...data, Uint8Array.of(0x1d)]);
}

export { concat };
