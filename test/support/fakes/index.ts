/**
 * In-memory fakes of every store port, for flow tests that need no DynamoDB engine. Each keeps the
 * conditional semantics of its DynamoDB adapter (one claim wins, conditional transitions, limits held by
 * the write); test/contract/stores.test.ts runs the same assertions against both so they cannot drift.
 * Tables are shared the way the DynamoDB tables are: calls, codes, send limits and sign-in locks in
 * `calls`; tickets, the counter and the audit in `tickets`.
 */
import type { SupportData } from '../../../functions/domain/model.js';
import { FakeTable } from './table.js';
import { FakeCallStore } from './call-store.js';
import { FakeCodeStore } from './code-store.js';
import { FakeTicketStore } from './ticket-store.js';
import { FakeAuditLog } from './audit-log.js';
import { FakeAgentLockStore } from './agent-lock-store.js';
import { FakeDirectory } from './directory.js';
import { FakeLimitStore } from './limit-store.js';

export { FakeTable, FakeCallStore, FakeCodeStore, FakeTicketStore, FakeAuditLog, FakeAgentLockStore, FakeDirectory, FakeLimitStore };

export interface FakeStores {
  tables: { calls: FakeTable; tickets: FakeTable };
  directory: FakeDirectory;
  calls: FakeCallStore;
  codes: FakeCodeStore;
  tickets: FakeTicketStore;
  audit: FakeAuditLog;
  agentLocks: FakeAgentLockStore;
  limits: FakeLimitStore;
}

export async function fakeStores(data: SupportData): Promise<FakeStores> {
  const calls = new FakeTable();
  const tickets = new FakeTable();
  const audit = new FakeAuditLog(tickets);
  const ticketStore = new FakeTicketStore(tickets);
  return {
    tables: { calls, tickets },
    directory: await FakeDirectory.load(data),
    calls: new FakeCallStore(calls, audit, ticketStore),
    codes: new FakeCodeStore(calls),
    tickets: ticketStore,
    audit,
    agentLocks: new FakeAgentLockStore(calls),
    limits: new FakeLimitStore(),
  };
}
