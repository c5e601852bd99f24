declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    ssl?: boolean;
  }

  /** Creates (but does not start) an HTTP server speaking the DynamoDB JSON protocol. */
  export default function dynalite(options?: DynaliteOptions): Server;
}
