// 880 fields (alternate graphic representation) beside the field they
// link to: both carry $6, "880-01" in the regular field and "245-01/(N"
// in the 880 (tag of the partner, occurrence number, script). Pure
// functions over the record view's fields.

/** The linkage of a field's $6: {tag, occ} or null. */
export function linkage(f) {
  if (f.control) return null;
  const s6 = f.subfields.find(([c]) => c === '6');
  const m = s6 && /^\s*([0-9]{3})-([0-9]{2})/.exec(s6[1]);
  return m ? { tag: m[1], occ: m[2] } : null;
}

/** The fields in display order: each linked 880 right after its partner.
 * Returns [{field, at (index in fields), partner (index or -1)}]; an 880
 * whose partner is missing (or occurrence 00: no partner) stays in place. */
export function pairedOrder(fields) {
  const partnerOf880 = new Map(); // index of an 880 -> index of its partner
  const byKey = new Map(); // "245-01" -> index of the regular field
  fields.forEach((f, i) => {
    const l = f.tag !== '880' && linkage(f);
    if (l && l.tag === '880' && l.occ !== '00') byKey.set(`${f.tag}-${l.occ}`, i);
  });
  const after = new Map(); // partner index -> [880 indices]
  fields.forEach((f, i) => {
    if (f.tag !== '880') return;
    const l = linkage(f);
    const p = l && l.occ !== '00' ? byKey.get(`${l.tag}-${l.occ}`) : undefined;
    if (p === undefined) return;
    partnerOf880.set(i, p);
    if (!after.has(p)) after.set(p, []);
    after.get(p).push(i);
  });
  const out = [];
  fields.forEach((f, i) => {
    if (partnerOf880.has(i)) return;
    const mine = after.get(i) ?? [];
    out.push({ field: f, at: i, partner: mine.length ? mine[0] : -1 });
    for (const j of mine) out.push({ field: fields[j], at: j, partner: i });
  });
  return out;
}
