// Statistics bars that filter: a bar of record types, encodings or tags,
// clicked (or Enter/Space on it: each is a button in the tab order), shows
// the records it counts in the Records tab. Types and encodings come from
// the summaries the page holds (leader/09 as read: the package's filter
// sees MARC-8 records converted); a tag is the query "TAG" (the field
// exists), run by the package's filter like any search.
import { $ } from './dom.js';
import { doc } from './state.js';
import { runSearch, showSubset } from './search.js';

const SVG = 'http://www.w3.org/2000/svg';

function pick(kind, key, label) {
  $('tab-records').click();
  if (kind === 'type') {
    const c = key.charCodeAt(0);
    showSubset(`record type ${label}`, (i) => doc.types[i] === c);
  } else if (kind === 'encoding') {
    const c = key.charCodeAt(0);
    showSubset(`encoding ${label}`, (i) => doc.encs[i] === c);
  } else {
    $('query').value = key;
    runSearch(key, false);
  }
}

/** Make the bar of `item` ({key, label, value}) in chart `svg` a button:
 * `nodes` (its label, bar and count) move into one focusable group. */
export function pickable(svg, nodes, kind, item) {
  const g = document.createElementNS(SVG, 'g');
  g.setAttribute('class', 'pick');
  g.setAttribute('role', 'button');
  g.setAttribute('tabindex', '0');
  g.setAttribute('data-key', item.key);
  g.setAttribute('aria-label', `Show the records: ${item.label} (${item.value})`);
  for (const n of nodes) g.append(n);
  svg.append(g);
  const go = () => pick(kind, item.key, item.label);
  g.addEventListener('click', go);
  g.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      go();
    }
  });
}
