// Forgiving search: plain words (what a search box gets typed into it:
// `jazz`, `corps étrangers`, an ISBN) search the whole record, every word
// somewhere in it, compared after Unicode compatibility decomposition,
// without combining marks and case-folded, so "Étrangers" finds
// "etrangers" stored decomposed or precomposed. ISBNs are compared as
// digits, an ISBN-10 also as its ISBN-13 and the other way round.

/** Text folded for comparison: NFKD, no combining marks, lower case. */
export function fold(s) {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

function isbn13of10(d) {
  const core = `978${d.slice(0, 9)}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(core[i]) * (i % 2 ? 3 : 1);
  return core + ((10 - (sum % 10)) % 10);
}

function isbn10of13(d) {
  if (!d.startsWith('978')) return '';
  const core = d.slice(3, 12);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(core[i]) * (10 - i);
  const c = (11 - (sum % 11)) % 11;
  return core + (c === 10 ? 'x' : String(c));
}

/** The words of `text` as tests: [{any: [strings]}], each a folded word
 * (or an ISBN's forms); 'and' between words is the default and dropped. */
export function plainTerms(text) {
  const words = text.split(/\s+/).filter((w) => w && !/^(and|und|et|y)$/i.test(w));
  return words.map((w) => {
    const digits = w.replace(/[-\s]/g, '').toLowerCase();
    if (/^(97[89])?[0-9]{9}[0-9x]$/.test(digits)) {
      const forms = [digits];
      if (digits.length === 10) forms.push(isbn13of10(digits));
      else {
        const ten = isbn10of13(digits);
        if (ten) forms.push(ten);
      }
      return { any: forms, isbn: true };
    }
    return { any: [fold(w.replace(/^["']|["']$/g, ''))], isbn: false };
  });
}

/** Does the record hold every term? */
export function matchesPlain(rec, terms) {
  let text = '';
  for (const f of rec.fields) {
    if (f.isControl) text += `${f.value}\u0001`;
    else for (const s of f.subfields) text += `${s.value}\u0001`;
  }
  const folded = fold(text);
  let bare = null;
  for (const t of terms) {
    if (t.isbn) {
      bare ??= folded.replace(/-/g, '');
      if (!t.any.some((x) => bare.includes(x))) return false;
    } else if (!folded.includes(t.any[0])) return false;
  }
  return true;
}

/** The query language's words in capitals (AND, OR, NOT) in lower case,
 * outside quotes: what people type from other catalogues. */
export function lowerOperators(text) {
  return text.replace(/("(?:[^"\\]|\\.)*")|\b(AND|OR|NOT)\b/g, (m, quoted, op) => quoted ?? op.toLowerCase());
}

/** Does `text` look like the structured query language (tags, operators)
 * rather than plain words? */
export function looksStructured(text) {
  return /(^|\s|\()(LDR|[0-9X.]{3})([$/.\[{]|\s*(=|~|$)|\s+(and|or)\b)/i.test(text) || /[$~=]/.test(text);
}
