/**
 * The interfaces the call flows need from the outside world. Adapters implement them (DynamoDB, SNS, SES,
 * the local outbox); tests pass the real embedded-DynamoDB adapters or, for SNS/SES, mocked SDK clients.
 * Nothing here names an SDK: the flows stay testable and the adapters swappable.
 */
import type { Agent, LineConfig, Organization, Person } from './domain/model.js';

/** The loaded data file, read side. Implementations cache `config()` briefly; lookups are key reads. */
export interface Directory {
  /** Lines, services, schemes, plans, holidays and the agents' line of the current data generation. */
  config(): Promise<LineConfig>;
  /** People registered with this E.164 phone, across all organizations (usually zero or one). */
  peopleByPhone(phone: string): Promise<Array<{ org: Organization; person: Person }>>;
  /** The organization with this account number, if any. */
  orgByAccount(account: string): Promise<Organization | undefined>;
  orgById(id: string): Promise<Organization | undefined>;
  /** The agent with this id, including `pinHash` (never a clear PIN). */
  agentById(id: string): Promise<Agent | undefined>;
}

export type Channel = 'sms' | 'email';

/** One outgoing text message or email. `subject` is for email only. */
export interface OutgoingMessage {
  channel: Channel;
  to: string;
  subject?: string;
  body: string;
}

/** Sends texts and emails (SNS / SES on AWS, the outbox file locally). Throws `DeliveryFailedError`. */
export interface Notifier {
  send(message: OutgoingMessage): Promise<void>;
}

/** Publishes a page for the on-call team (SNS topic on AWS, the outbox locally). */
export interface Pager {
  page(subject: string, body: string): Promise<void>;
}
