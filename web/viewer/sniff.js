// Does a file look like MARC at all? The package reads anything leniently
// (a PNG gives hundreds of "records" of junk, each with diagnostics); the
// viewer says so before a cataloger trusts them. Used by the worker on the
// first slice of the file.

// Files people drop by mistake, by their first bytes.
const MAGIC = [
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive (or an office document)'],
  [[0x1f, 0x8b], 'a gzip-compressed file (decompress it first)'],
  [[0x42, 0x5a, 0x68], 'a bzip2-compressed file (decompress it first)'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a], 'an xz-compressed file (decompress it first)'],
];

const isDigit = (b) => b >= 0x30 && b <= 0x39;

/** Why the first bytes `head` of a file read as `format` do not look like
 * MARC records ('' when they do, or when there is nothing to say). */
export function notMarcReason(head, format) {
  if (!head.length) return '';
  for (const [magic, what] of MAGIC) {
    if (magic.every((b, i) => head[i] === b)) return `This file looks like ${what}, not MARC records.`;
  }
  if (format !== 'iso2709') return '';
  // ISO 2709 starts with a five-digit record length (a byte order mark or
  // blank lines before it are tolerated by the reader too).
  let i = 0;
  while (i < head.length && (head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x20)) i++;
  if (head[i] === 0xef && head[i + 1] === 0xbb && head[i + 2] === 0xbf) i += 3;
  if (head.length - i >= 5 && [0, 1, 2, 3, 4].every((k) => isDigit(head[i + k]))) return '';
  const hex = Array.from(head.subarray(0, 4), (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
  return `This does not look like MARC (ISO 2709): a record starts with its length in five digits, this file with the bytes ${hex}.`;
}
