/**
 * The zod schemas of the API: request bodies and query strings are validated with them, and the OpenAPI
 * description (`GET /api/openapi.json`) is generated from the very same objects (`z.toJSONSchema`), so the
 * description cannot drift from what the routes accept and answer.
 */
// zod/mini: the same schemas and `toJSONSchema` as classic zod at a tenth of the bundle (the function stays in its 150 KiB budget).
import * as z from 'zod/mini';

const d = (text: string) => z.describe(text);

export const TICKET_STATUSES = ['waiting', 'callback', 'in-progress', 'abandoned', 'closed'] as const;

export const TicketNumber = z.string().check(z.regex(/^\d{1,12}$/, 'a ticket number is digits only'), d('Ticket number (digits)'));
export const OrgId = z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be an organization id'), d('Organization id'));
export const LevelId = z.string().check(z.regex(/^[A-Za-z0-9-]{1,16}$/, 'must be a level id such as P1'), d("A level of the line's priority scheme, e.g. P1"));

export const PriorityChangeSchema = z.object({ from: z.string(), to: z.string(), reason: z.string(), at: z.string(), by: z.optional(z.string()) });

export const TicketSchema = z
  .looseObject({
    number: TicketNumber,
    org: z.string(),
    orgName: z.string(),
    plan: z.string(),
    service: z.string(),
    priority: z.string(),
    priorityRank: z.int(),
    status: z.enum(TICKET_STATUSES),
    line: z.string().check(d('The dialed number (E.164)')),
    language: z.string(),
    country: z.string(),
    verifiedBy: z.enum(['caller-id', 'code']),
    caller: z.string(),
    callerName: z.optional(z.string()),
    createdAt: z.string(),
    firstResponseDue: z.string(),
    restoreDue: z.optional(z.string()),
    callSid: z.string(),
    priorityQueue: z.boolean(),
    tier: z.int(),
    queue: z.optional(z.string()),
    agent: z.optional(z.string()),
    answeredAt: z.optional(z.string()),
    firstResponseMet: z.optional(z.boolean()),
    bridgedAt: z.optional(z.string()),
    abandonedAt: z.optional(z.string()),
    closedAt: z.optional(z.string()),
    resolution: z.optional(z.string()),
    priorityHistory: z.optional(z.array(PriorityChangeSchema)),
    rating: z.optional(z.int().check(z.minimum(1), z.maximum(5))),
  })
  .check(d('A ticket (contract §5)'));

export const ErrorSchema = z.object({ error: z.string(), problems: z.optional(z.array(z.string())) }).check(d('What was wrong'));

// ---------------------------------------------------------------- requests

export const TicketPathParams = z.object({ number: TicketNumber });
export const OrgPathParams = z.object({ org: OrgId });

export const TicketListQuery = z.object({
  status: z.optional(z.enum(TICKET_STATUSES)),
  priority: z.optional(LevelId),
  org: z.optional(OrgId),
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1000), d('At most this many, newest first (default 100)'))),
});

export const CloseBody = z.strictObject({
  resolution: z.optional(
    z
      .string('must be text')
      .check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(2000, 'at most 2000 characters'), d('How the ticket was resolved')),
  ),
});

export const PriorityBody = z.strictObject({
  priority: LevelId,
  reason: z
    .string('is required')
    .check(z.trim(), z.minLength(1, 'is required'), z.maxLength(500, 'at most 500 characters'), d('Why the priority changes; kept on the ticket')),
});

export const HourlyQuery = z.object({
  since: z.optional(
    z.iso
      .datetime({ offset: true, error: 'must be an ISO 8601 date and time' })
      .check(d('Start (rounded down to the hour); default 23 hours ago. At most 48 hours are returned.')),
  ),
});

// ---------------------------------------------------------------- responses

export const TicketListResponse = z.object({ tickets: z.array(TicketSchema), count: z.int() });

export const QueueSchema = z.object({
  id: z.string().check(d('service.language.tN')),
  service: z.string(),
  language: z.string(),
  tier: z.int(),
  waiting: z.record(z.string(), z.int()).check(d('Callers waiting per priority level')),
  waitingTotal: z.int(),
  longestWaitS: z.int().check(d('Seconds the oldest waiting caller has waited')),
  callbacks: z.int().check(d('Callback tickets pending')),
  firstBreachInS: z.nullable(z.int()).check(d('Seconds to the first first-response due time; negative once breached')),
  firstBreachTicket: z.nullable(z.string()),
  breached: z.boolean(),
  topPriorityWaiting: z.boolean().check(d("A caller of the scheme's most urgent level is waiting")),
});
export const QueuesResponse = z.object({ now: z.string(), queues: z.array(QueueSchema) });

export const AgentStateSchema = z.object({
  id: z.string(),
  name: z.optional(z.string()),
  state: z.enum(['on-call', 'idle', 'signed-out']),
  ticket: z.optional(z.string().check(d('The ticket the agent is on, while on a call'))),
  since: z.string().check(d("When the agent's call started")),
  endedAt: z.optional(z.string()),
  languages: z.optional(z.array(z.string())),
  services: z.optional(z.array(z.string())),
});
export const AgentsResponse = z.object({ now: z.string(), agents: z.array(AgentStateSchema) });

export const AuditEntrySchema = z.object({
  org: z.string(),
  caller: z.string(),
  callSid: z.string(),
  method: z.enum(['caller-id', 'stir-shaken', 'code-sms', 'code-email', 'account']),
  result: z.string(),
  at: z.string(),
});
export const VerificationsResponse = z.object({ org: z.string(), verifications: z.array(AuditEntrySchema) });

export const TimelineEntrySchema = z.object({
  event: z.enum(['created', 'queued', 'callback', 'answered', 'bridged', 'abandoned', 'priority', 'closed']),
  at: z.string(),
  detail: z.optional(z.record(z.string(), z.string())),
});
export const TimelineResponse = z.object({
  ticket: TicketSchema,
  timeline: z.array(TimelineEntrySchema),
  verification: z.array(AuditEntrySchema).check(d("The verification audit of this ticket's call")),
});

export const HourBucketSchema = z.object({
  hour: z.string(),
  waiting: z.record(z.string(), z.int()),
  answered: z.record(z.string(), z.int()),
});
export const HourlyResponse = z.object({ since: z.string(), now: z.string(), levels: z.array(z.string()), hours: z.array(HourBucketSchema) });

/** Every problem of a failed parse, one line each, named by its path (`reason: is required`). */
export function problemsOf(error: {
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string; code?: string; expected?: unknown; values?: unknown; keys?: unknown }>;
}): string[] {
  return error.issues.map((i) => {
    let text = i.message;
    if (text === 'Invalid input') {
      if (i.code === 'invalid_value' && Array.isArray(i.values)) text = `must be one of ${i.values.join(', ')}`;
      else if (i.code === 'invalid_type') text = `must be ${String(i.expected)}`;
      else if (i.code === 'unrecognized_keys' && Array.isArray(i.keys)) text = `unknown field ${i.keys.join(', ')}`;
      else if (i.code === 'too_small' || i.code === 'too_big') text = 'is out of range';
    }
    return i.path.length ? `${i.path.map(String).join('.')}: ${text}` : text;
  });
}
