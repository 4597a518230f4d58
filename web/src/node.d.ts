// Types of src/node.js (the package's entry for Node): those of the package.
export * from '../types/index.js';
