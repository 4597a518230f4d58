// The per-record work every JS benchmark times, in one place so that Node,
// the browser page and web/bench/bench.mjs measure the same thing.
// touchLazy reads what a record has without subfields (its fields are
// built, subfields stay undecoded); touchEager builds every subfield.
export const touchLazy = (r) => { let k = r.leader.length; for (const f of r.fields) k += f.tag.length; return k; };

export function touchEager(r) {
  let k = r.leader.length;
  for (const f of r.fields) {
    if (f.isControl) k += f.value.length;
    else { k += f.ind1.length; for (const s of f.subfields) k += s.value.length; }
  }
  return k;
}
