// `marcato validate`'s report as the package's diagnostics give it: the
// parity tests (Node: validate.test.js, Chromium: browser.mjs and
// browser/suite.mjs) compare these lines with the CLI's.

/** A line of the CLI's report for a diagnostic, without the "FILE: " it
 * starts with. The CLI shows a subfield code that is not printable ASCII
 * as '?'. */
export function reportLine(d) {
  const code = d.subfield && d.subfield > ' ' && d.subfield < '\x7f' ? d.subfield : '?';
  const where = d.subfield ? ` [${d.tag}$${code}]` : d.tag ? ` [${d.tag}]` : '';
  return `record ${d.record + 1} at byte ${d.offset}: ${d.code}${where} ${d.message}`;
}

/** The CLI validates the bytes as they are; records() also converts
 * MARC-8 and mends invalid UTF-8, whose problems (ENCODING_MISLABELED,
 * UTF8_INVALID, MARC8_*) it adds. */
export const isCharsetProblem = (d) => d.code === 'ENCODING_MISLABELED' || d.code === 'UTF8_INVALID' || d.code.startsWith('MARC8_');

/** The report lines of the records `recs` (an async iterable) and the
 * number of records and of records with problems. */
export async function reportOf(recs) {
  const lines = [];
  let count = 0, withProblems = 0;
  for await (const r of recs) {
    count++;
    const ds = r.diagnostics.filter((d) => !isCharsetProblem(d));
    if (ds.length) withProblems++;
    for (const d of ds) lines.push(reportLine(d));
  }
  return { lines, count, withProblems };
}
