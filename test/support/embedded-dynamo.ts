/**
 * An embedded DynamoDB (dynalite, in memory, in this process) with the project's tables, for tests:
 * adapters are tested against a real DynamoDB API instead of mocks, so key design, conditions and
 * pagination are exercised for real. Each call gets unique table names, so tests may share a server
 * or run in parallel without seeing each other's items. The one implementation is bench/lib/embedded-db.ts
 * (it can also pause and resume, for the fault tests and the benchmark); this is the name tests use.
 */
import { startEmbeddedDb, type EmbeddedDb } from '../../bench/lib/embedded-db.js';

export type EmbeddedDynamo = EmbeddedDb;

export function startDynamo(): Promise<EmbeddedDynamo> {
  return startEmbeddedDb();
}
