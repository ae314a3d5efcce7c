/**
 * What the call flows need, as interfaces over the adapters. Handlers build one `FlowDeps` per cold
 * start (wiring.ts); tests build theirs with the embedded DynamoDB and mocked SNS/SES clients.
 */
import type { Directory, Notifier, Pager } from '../ports.js';
import type { DynamoCallStore } from '../adapters/dynamodb/call-store.js';
import type { DynamoCodeStore } from '../adapters/dynamodb/code-store.js';
import type { DynamoTicketStore } from '../adapters/dynamodb/ticket-store.js';
import type { DynamoAuditLog } from '../adapters/dynamodb/audit-log.js';
import type { DynamoAgentLockStore } from '../adapters/dynamodb/agent-lock-store.js';
import type { Ticket } from '../domain/tickets.js';

export type CallStore = Pick<DynamoCallStore, 'create' | 'get' | 'claim' | 'commit' | 'claimTicketNumber' | 'patch' | 'markEnded'>;
export type CodeStore = Pick<DynamoCodeStore, 'reserveSend' | 'put' | 'get' | 'attempt'>;
export type TicketStore = Pick<DynamoTicketStore, 'allocateNumber' | 'putIfAbsent' | 'get' | 'transition' | 'waiting' | 'countByOrgSince' | 'list' | 'replaceIf'>;
export type AuditLog = Pick<DynamoAuditLog, 'record' | 'forOrg'>;
/** Sign-in lockouts of the agents' line (issue 5). */
export type AgentLockStore = Pick<DynamoAgentLockStore, 'get' | 'isLocked' | 'recordFailure' | 'clear'>;

/** Where a ticket goes when DynamoDB cannot take it: a durable queue (SQS on AWS, a spool file locally). */
export interface TicketSpool {
  save(ticket: Ticket): Promise<void>;
}

export interface FlowDeps {
  directory: Directory;
  calls: CallStore;
  codes: CodeStore;
  tickets: TicketStore;
  audit: AuditLog;
  /** Agents' line only; optional so caller-side tests need not build it. */
  agentLocks?: AgentLockStore;
  notifier: Notifier;
  pager?: Pager;
  spool?: TicketSpool;
  /** Key of the code HMAC (from Secrets Manager on AWS). */
  codeKey: () => Promise<string>;
  now: () => Date;
  /** Uniform integer in [0, max): `crypto.randomInt` in production. */
  randomInt: (max: number) => number;
  taskRouter?: { workflowSid: string };
  log?: (level: 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) => void;
  /** Counts business events (Powertools metrics on AWS): VerificationFailed, TopPriorityTicket, ... */
  metric?: (name: string, value?: number) => void;
}
