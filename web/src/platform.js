// What differs between Node and browsers, given once by the entry module
// (node.js or browser.js) when it is imported: how the .wasm files are
// loaded, how a path is read (Node only), the CPU count and an optional
// fast Latin-1 decoder.

/** The platform of the entry module (null until one registers). */
export let platform = null;

/** @internal Called once by the entry module (node.js / browser.js). */
export function setPlatform(p) {
  platform = p;
}
