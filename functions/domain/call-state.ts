/**
 * A call's state between webhooks. Each step may run in a different Lambda instance, so it lives in
 * DynamoDB (one item per call), not in memory and not in the URLs: URLs carry only the step name and its
 * sequence number `s`, so a request that skips ahead or replays an old URL cannot earn anything (the state
 * it would need is not in its hands). See README "Call state".
 */
export type CallerStep = 'language' | 'menu' | 'org' | 'account' | 'channel' | 'code' | 'existing' | 'priority' | 'callback';
export type AgentStep = 'agent-id' | 'agent-pin' | 'agent-next' | 'agent-done' | 'agent-callback' | 'agent-wrapup';
export type StepName = CallerStep | AgentStep;

export interface CallState {
  callSid: string;
  kind: 'caller' | 'agent';
  from: string;
  /** The dialed line (E.164). */
  line: string;
  /** Caller's country among the line's countries (holidays are per country). */
  country: string;
  /** Language of the call (the line's, or the one chosen from its language menu). */
  language: string;
  createdAt: string;
  /** Sequence number the next step URL must carry. */
  n: number;
  /** Step the next request must be; `start` until the first webhook has been answered. */
  expect: StepName | 'start' | 'done';
  /** Last answer, replayed to a retried or out-of-order request. */
  last?: { n: number; twiml: string };
  tries: number;
  service?: string;
  orgId?: string;
  personName?: string;
  role?: string;
  verifiedBy?: 'caller-id' | 'code';
  codeChannel?: 'sms' | 'email';
  /** Levels (indexes) offered when the service is closed but some levels are answered around the clock. */
  urgentOnly?: boolean;
  ticketNumber?: string;
  queue?: string;
  /** A person registered in several organizations: the ids offered as keys 1..N, in that order. */
  orgChoices?: string[];
  /** The caller's open ticket (contract §2.8 v2) offered before the priority menu. */
  openTicket?: string;
  /** Agents' line: the agent id entered, and once signed in, the agent. */
  agentId?: string;
  signedIn?: boolean;
  /** When Twilio's status callback said the call ended (it may arrive before the last step's answer). */
  endedAt?: string;
  /** Agents' line: failed sign-ins in this call (3 end it), apart from `tries` of the current prompt. */
  signInFailures?: number;
}

export const stepUrl = (step: StepName, s: number): string =>
  step.startsWith('agent-') ? `/twilio/agent/${step.slice(6)}?s=${s}` : `/twilio/call/${step}?s=${s}`;
