/**
 * The DynamoDB tables as data: key names, indexes and TTL attributes. The CDK data stack, the local
 * server (which creates them in the embedded DynamoDB) and the adapters all read this one description,
 * so the deployed tables and the ones tests run against cannot drift apart.
 *
 * Three tables, split by life cycle and by who may touch them (least privilege per function):
 * - directory: the loaded data file (read-mostly; replaced as a whole by `data:load`).
 * - calls: per-call state, verification codes, rate limits, agent lockouts (short-lived, TTL).
 * - tickets: tickets, the ticket counter and the verification audit (durable).
 */
import { ENV } from '../../env.js';

export interface IndexDef {
  name: string;
  partitionKey: string;
  sortKey?: string;
}

export interface TableDef {
  /** Logical id, also the suffix of the environment variable holding its name (`TABLE_CALLS`). */
  id: 'directory' | 'calls' | 'tickets';
  partitionKey: string;
  sortKey: string;
  /** Epoch-seconds attribute DynamoDB may expire on; code still checks expiry itself. */
  ttlAttribute?: string;
  indexes: IndexDef[];
}

export const TABLES: readonly TableDef[] = [
  { id: 'directory', partitionKey: 'pk', sortKey: 'sk', indexes: [] },
  { id: 'calls', partitionKey: 'pk', sortKey: 'sk', ttlAttribute: 'expiresAt', indexes: [] },
  {
    id: 'tickets',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [
      /** Sparse: only waiting tickets carry `queuePk`; sorted by rank, priority plan, then age. */
      { name: 'queue', partitionKey: 'queuePk', sortKey: 'queueSk' },
      /** An organization's tickets and verification audit by time. */
      { name: 'byOrg', partitionKey: 'orgPk', sortKey: 'orgSk' },
      /** Tickets by status, by time: the API's `status` filter and the abandoned-callback list. */
      { name: 'byStatus', partitionKey: 'statusPk', sortKey: 'statusSk' },
    ],
  },
] as const;

/** Environment variable that carries a table's name into a function. */
export const tableEnvVar = (id: TableDef['id']): string => ENV.tables[id];
