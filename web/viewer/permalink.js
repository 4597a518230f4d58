// Permalinks: the record shown is in the address (#record=N, numbered from
// 1), so a link or a reload with the same file comes back to it. The page
// cannot reopen a file by itself; once the file is opened again, the
// record in the address is shown as soon as it has been read (the address
// at page load, or a new one typed or followed while a file is open).
import { message } from './dom.js';
import { doc } from './state.js';
import { jumpTo } from './list.js';

const parse = () => {
  const m = /(?:^#|&)record=([0-9]+)/.exec(location.hash);
  return m ? Number(m[1]) : 0;
};

let wanted = parse(); // a record number to show when it is read, or 0

/** Put record `index` (from 0) in the address, without a history entry. */
export function setPermalink(index) {
  const hash = `#record=${index + 1}`;
  if (location.hash !== hash) history.replaceState(null, '', hash);
}

/** Show the record the address asks for, once it has been read; returns
 * true when it was shown (or cannot be: then a message says why). */
export function followPermalink() {
  if (!wanted || !doc.total) return false;
  if (wanted > doc.total && !doc.done) return false;
  const n = wanted;
  wanted = 0;
  if (n > doc.total) {
    message(`The link asks for record ${n}, but this file has ${doc.total}.`, 'warn');
    return false;
  }
  jumpTo(String(n), true);
  return true;
}

window.addEventListener('hashchange', () => {
  wanted = parse();
  followPermalink();
});
