/** The ports live in ./ports.ts; this path stays for existing imports of `FlowDeps` and the store types. */
export type * from './ports.js';
