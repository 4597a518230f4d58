// The record query language of marcato's C core (marc_query_compile in
// core/include/marcato.h), in JavaScript, because the wasm glue does not
// export the C compiler yet. Same grammar, same precedence, same
// semantics:
//   245                a field with tag 245 exists ("6XX", "1.." work)
//   245$a              ... with a subfield a ("245$ab": a or b)
//   245$a=Jazz         ... whose value is exactly "Jazz"
//   245$a~^jazz        ... matching a POSIX extended regular expression
//   245$a~*jazz        ... the same, ignoring case
//   245.ind1=1         the first indicator of a 245 is '1' (ind2 too)
//   001=ocm123         a control field's value
//   008/35-37=eng      positions of a control field ("LDR/06=a" for the
//                      leader; "008/35=e" for one position)
//   A and B, A or B, not A, ( A )   combine; "and" binds tighter
// Values may be quoted: 245$a="Ulysses / " or '...'.
//
// Differences that remain: C compares bytes, this compares the decoded
// text (UTF-16 code units); they agree on ASCII and UTF-8 records, and
// positions (/NN) agree wherever the bytes before them are ASCII (leader,
// 008 in practice). POSIX regular expressions are translated to
// JavaScript ones (bracket classes such as [[:alpha:]] are mapped).
//
// compileQuery(text) returns {match(record)} or throws QueryError whose
// message names the position as C does ("query: ... at position N").

export class QueryError extends Error {
  constructor(message, position) {
    super(message);
    this.name = 'QueryError';
    this.position = position;
  }
}

const BLANK = (c) => c === ' ' || c === '\t' || c === '\n';

class Parser {
  constructor(s) {
    this.s = s;
    this.pos = 0;
  }
  ch(i = 0) { return this.s[this.pos + i] ?? ''; }
  fail(what) { throw new QueryError(`query: ${what} at position ${this.pos + 1}`, this.pos + 1); }
  skipSpace() { while (BLANK(this.ch())) this.pos++; }
  wordIs(w) {
    this.skipSpace();
    if (!this.s.startsWith(w, this.pos)) return false;
    const c = this.s[this.pos + w.length] ?? '';
    if (c && !BLANK(c) && c !== '(' && c !== ')') return false;
    this.pos += w.length;
    return true;
  }
  number() {
    let v = 0;
    if (!(this.ch() >= '0' && this.ch() <= '9')) this.fail('expected a number');
    while (this.ch() >= '0' && this.ch() <= '9' && v < 100000) v = v * 10 + (this.s.charCodeAt(this.pos++) - 48);
    return v;
  }
  value() {
    const s = this.s;
    if (this.ch() === '"' || this.ch() === "'") {
      const q = s[this.pos++];
      const start = this.pos;
      while (this.pos < s.length && s[this.pos] !== q) this.pos++;
      if (this.pos >= s.length) this.fail('unterminated quoted value');
      return s.slice(start, this.pos++);
    }
    const start = this.pos;
    while (this.pos < s.length && s[this.pos] !== ' ' && s[this.pos] !== '\t' && s[this.pos] !== ')') this.pos++;
    return s.slice(start, this.pos);
  }
  term() {
    this.skipSpace();
    const n = { kind: 'term', tag: '', target: 'field', codes: '', from: 0, to: 0, op: 'exists', value: '', re: null };
    for (let i = 0; i < 3; i++) {
      const c = this.ch();
      if (!c || c === ' ' || c === '$' || c === '=' || c === '~' || c === '/' || c === '(' || c === ')') {
        this.fail('expected a three-character tag (245, 6XX, LDR)');
      }
      n.tag += c;
      this.pos++;
    }
    const s = this.s;
    if (this.ch() === '$') {
      this.pos++;
      while (this.pos < s.length && !' =~)'.includes(s[this.pos]) && n.codes.length < 15) n.codes += s[this.pos++];
      if (!n.codes) this.fail("expected subfield codes after '$'");
      n.target = 'subfield';
    } else if (s.startsWith('.ind1', this.pos) || s.startsWith('.ind2', this.pos)) {
      n.target = s[this.pos + 4] === '1' ? 'ind1' : 'ind2';
      this.pos += 5;
    } else if (this.ch() === '/') {
      this.pos++;
      n.target = 'pos';
      n.from = n.to = this.number();
      if (this.ch() === '-') {
        this.pos++;
        n.to = this.number();
      }
      if (n.to < n.from) this.fail('position range ends before it starts');
    }
    if (this.ch() === '=') {
      this.pos++;
      n.op = 'eq';
      n.value = this.value();
    } else if (this.ch() === '~') {
      this.pos++;
      let icase = false;
      if (this.ch() === '*') {
        this.pos++;
        icase = true;
      }
      n.op = 'regex';
      n.value = this.value();
      try {
        n.re = new RegExp(posixToJS(n.value), icase ? 'i' : '');
      } catch {
        this.fail('invalid regular expression');
      }
    }
    if ((n.target === 'ind1' || n.target === 'ind2' || n.target === 'pos') && n.op === 'exists') {
      this.fail("indicators and positions need '=' or '~'");
    }
    return n;
  }
  not() {
    if (this.wordIs('not')) return { kind: 'not', a: this.not() };
    this.skipSpace();
    if (this.ch() === '(') {
      this.pos++;
      const n = this.or();
      this.skipSpace();
      if (this.ch() !== ')') this.fail("expected ')'");
      this.pos++;
      return n;
    }
    return this.term();
  }
  and() {
    let left = this.not();
    while (this.wordIs('and')) left = { kind: 'and', a: left, b: this.not() };
    return left;
  }
  or() {
    let left = this.and();
    while (this.wordIs('or')) left = { kind: 'or', a: left, b: this.and() };
    return left;
  }
}

const CLASSES = {
  alpha: 'A-Za-z', digit: '0-9', alnum: 'A-Za-z0-9', upper: 'A-Z', lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v', blank: ' \\t', punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9A-Fa-f',
  cntrl: '\\x00-\\x1f\\x7f', print: ' -~', graph: '!-~',
};

/** Translate a POSIX extended regular expression to a JavaScript source. */
export function posixToJS(src) {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      out += src.slice(i, i + 2);
      i++;
    } else if (c === '[') {
      // A bracket expression: ']' first is literal, backslash is literal.
      let j = i + 1;
      let body = '';
      if (src[j] === '^') { body += '^'; j++; }
      if (src[j] === ']') { body += '\\]'; j++; }
      for (; j < src.length && src[j] !== ']'; j++) {
        if (src[j] === '[' && src[j + 1] === ':') {
          const end = src.indexOf(':]', j + 2);
          if (end > 0) {
            const name = src.slice(j + 2, end);
            if (!(name in CLASSES)) throw new SyntaxError(`unknown class ${name}`);
            body += CLASSES[name];
            j = end + 1;
            continue;
          }
        }
        if (src[j] === '\\' || src[j] === '[') body += '\\' + src[j];
        else body += src[j];
      }
      if (j >= src.length) throw new SyntaxError('unterminated bracket');
      out += '[' + body + ']';
      i = j;
    } else {
      out += c;
    }
  }
  return out;
}

/** Compile a query; throws QueryError on a syntax error. */
export function compileQuery(text) {
  const p = new Parser(String(text ?? ''));
  let root;
  try {
    root = p.or();
  } catch (e) {
    if (e instanceof QueryError) throw e;
    throw new QueryError(`query: ${e.message} at position ${p.pos + 1}`, p.pos + 1);
  }
  p.skipSpace();
  if (p.pos < p.s.length) p.fail('unexpected text');
  return { text: p.s, root, match: (rec) => evaluate(root, rec) };
}

export function tagMatch(pattern, tag) {
  for (let i = 0; i < 3; i++) {
    const c = pattern[i];
    if (c === 'X' || c === 'x' || c === '.') {
      if (!tag[i]) return false;
      continue;
    }
    if (c !== tag[i]) return false;
  }
  return true;
}

function valueMatches(n, v) {
  if (n.op === 'exists') return true;
  if (n.op === 'eq') return v === n.value;
  return n.re.test(v);
}

// The field's data as C sees it: a control field's value, or a data
// field's subfields with their 0x1F delimiters.
function fieldText(f) {
  if (f.isControl) return f.value;
  let s = '';
  for (const sf of f.subfields) s += sf.code === '' ? sf.value : '\x1f' + sf.code + sf.value;
  return s;
}

function matchTerm(n, rec) {
  if (n.tag === 'LDR') {
    const leader = rec.leader;
    if (n.target !== 'pos') return n.op === 'exists' || valueMatches(n, leader);
    if (n.to >= 24) return false;
    return valueMatches(n, leader.slice(n.from, n.to + 1));
  }
  for (const f of rec.fields) {
    if (!tagMatch(n.tag, f.tag)) continue;
    switch (n.target) {
      case 'field':
        if (n.op === 'exists' || valueMatches(n, fieldText(f))) return true;
        break;
      case 'ind1':
      case 'ind2':
        if (!f.isControl && valueMatches(n, n.target === 'ind1' ? f.ind1 : f.ind2)) return true;
        break;
      case 'pos': {
        const t = fieldText(f);
        if (n.to < t.length && valueMatches(n, t.slice(n.from, n.to + 1))) return true;
        break;
      }
      case 'subfield':
        if (f.isControl) break;
        for (const sf of f.subfields) {
          if (sf.code && n.codes.includes(sf.code) && valueMatches(n, sf.value)) return true;
        }
        break;
    }
  }
  return false;
}

function evaluate(n, rec) {
  switch (n.kind) {
    case 'and': return evaluate(n.a, rec) && evaluate(n.b, rec);
    case 'or': return evaluate(n.a, rec) || evaluate(n.b, rec);
    case 'not': return !evaluate(n.a, rec);
    default: return matchTerm(n, rec);
  }
}
