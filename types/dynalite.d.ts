/** dynalite ships no types; this is the surface the local server and tests use. */
declare module 'dynalite' {
  import type { Server } from 'node:http';
  export interface DynaliteOptions {
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    path?: string;
  }
  export default function dynalite(options?: DynaliteOptions): Server;
}
