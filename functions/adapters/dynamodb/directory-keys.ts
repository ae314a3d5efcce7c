/**
 * The loaded data file in DynamoDB, its key schema: `loadDirectory` (directory-loader.ts) writes it,
 * `DynamoDirectory` (directory-reader.ts) reads it.
 *
 * A new data file must replace the old one atomically (no call may see half of each), and DynamoDB
 * transactions are limited to 100 items and missing from the embedded DynamoDB. So every item of a load
 * is written under a new generation id, `G#<gen>#…`, where no reader looks yet; only when all are written
 * does one conditional put of the pointer item (`CURRENT`) switch readers to it. Old generations are
 * then deleted, best effort, from the manifest each load writes first (the cleanup never scans).
 *
 * Item layout (table keys `pk`, `sk`; all strings):
 *
 * | pk                         | sk              | attributes                                        |
 * |----------------------------|-----------------|---------------------------------------------------|
 * | `CURRENT`                  | `CURRENT`       | `gen`, `switchedAt`, `counts`                     |
 * | `GENERATIONS`              | `<gen>`         | `state` (loading/current/retired), `startedAt`, `manifestChunks` |
 * | `G#<gen>#MANIFEST`         | `KEYS#0000`…    | `keys`: `pk\u0000sk` of every item of the generation |
 * | `G#<gen>#CONFIG`           | `CONFIG#0000`…  | `json`: a chunk of the `LineConfig` as JSON       |
 * | `G#<gen>#PHONE#<e164>`     | `ORG#<orgId>`   | `orgId`, `person` (one item per organization), `org` if small |
 * | `G#<gen>#ACCOUNT#<digits>` | `ACCOUNT`       | `orgId`, `org` (a copy: one read finds it)        |
 * | `G#<gen>#ORG#<id>`         | `ORG`           | `org` (the organization with its people)          |
 * | `G#<gen>#AGENT#<id>`       | `AGENT`         | `agent` (with `pinHash`, never `pin`)             |
 *
 * The config is stored as JSON chunks rather than one map so a file with thousands of lines still fits
 * DynamoDB's 400 KB item limit. All reads are consistent: right after a switch, an eventually consistent
 * read could miss the items the new pointer names.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateQuery, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './errors.js';

export type AnyClient = DynamoDBDocumentClient | DynamoDBClient;
export type Item = Record<string, unknown> & { pk: string; sk: string };

export const CURRENT = { pk: 'CURRENT', sk: 'CURRENT' } as const;
export const GENERATIONS = 'GENERATIONS';

const generationPrefix = (gen: string) => `G#${gen}#`;
export const keys = {
  manifest: (gen: string) => `${generationPrefix(gen)}MANIFEST`,
  config: (gen: string) => `${generationPrefix(gen)}CONFIG`,
  phone: (gen: string, phone: string) => `${generationPrefix(gen)}PHONE#${phone}`,
  account: (gen: string, account: string) => `${generationPrefix(gen)}ACCOUNT#${account}`,
  org: (gen: string, id: string) => `${generationPrefix(gen)}ORG#${id}`,
  agent: (gen: string, id: string) => `${generationPrefix(gen)}AGENT#${id}`,
};
export const chunkSk = (prefix: string, index: number) => `${prefix}#${String(index).padStart(4, '0')}`;

/** Callers' numbers arrive as E.164 from Twilio; stray spaces or dashes from other sources are dropped. */
export const normalizePhone = (phone: string) => {
  const trimmed = phone.trim();
  return (trimmed.startsWith('+') ? '+' : '') + trimmed.replace(/\D/g, '');
};
/** Account numbers are keyed in on a phone: digits only, leading zeros kept. */
export const normalizeAccount = (account: string) => account.replace(/\D/g, '');

export function documentClient(client: AnyClient): DynamoDBDocumentClient {
  if (client instanceof DynamoDBDocumentClient) return client;
  return DynamoDBDocumentClient.from(client as DynamoDBClient, { marshallOptions: { removeUndefinedValues: true } });
}

/** Every item a consistent query of `table` returns, all pages. */
export function queryAll(
  doc: DynamoDBDocumentClient,
  table: string,
  action: string,
  query: Omit<QueryCommandInput, 'TableName' | 'ConsistentRead'>,
): Promise<Record<string, unknown>[]> {
  return dynamo(action, async () => {
    const items: Record<string, unknown>[] = [];
    for await (const page of paginateQuery({ client: doc }, { ...query, TableName: table, ConsistentRead: true })) items.push(...(page.Items ?? []));
    return items;
  });
}
