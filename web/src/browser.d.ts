// Types of src/browser.js (the package's entry for browsers): those of the package.
export * from '../types/index.js';
