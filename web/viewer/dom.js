// Small helpers for building the page. Record content is text, never
// markup: everything is built with createElement and text nodes, and
// nothing in the viewer assigns innerHTML.

export const $ = (id) => document.getElementById(id);

const NF = new Intl.NumberFormat('en');
export const fmt = (n) => NF.format(n);

/** "1 record", "2 records" (numbers formatted). */
export const plural = (n, word) => `${fmt(n)} ${word}${n === 1 ? '' : 's'}`;

export function fmtBytes(n) {
  if (n < 1024) return `${Math.round(n)} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** An element with attributes (`class`, `text`, others as attributes;
 * null/undefined/false skipped) and children (nodes, or strings made into
 * text nodes). */
export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

/** The status line under the header ('' hides it); kind: '', 'warn', 'error'. */
export function message(text, kind = '') {
  const m = $('message');
  m.hidden = !text;
  m.className = text ? `message ${kind}` : 'message';
  m.textContent = text || '';
}

/** The reading/search progress bar and its text. */
export function progress(frac, text) {
  if (frac !== null) $('progress').value = frac;
  if (text !== undefined) $('progress-text').textContent = text;
}

/** Offer `blob` as a download named `name`. */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
