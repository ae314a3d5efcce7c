/** The ports live in functions/app/ports.ts (the app layer owns them); this path stays for existing imports. */
export type * from './app/ports.js';
