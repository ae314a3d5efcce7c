/**
 * The zod schemas of the API: request bodies and query strings are validated with them, and the OpenAPI
 * description (`GET /api/openapi.json`) is generated from the very same objects (`z.toJSONSchema`), so the
 * description cannot drift from what the routes accept and answer.
 */
import { z } from 'zod';

export const TICKET_STATUSES = ['waiting', 'callback', 'in-progress', 'abandoned', 'closed'] as const;

export const TicketNumber = z.string().regex(/^\d{1,12}$/, 'a ticket number is digits only').describe('Ticket number (digits)');
export const OrgId = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'org must be an organization id').describe('Organization id');
export const LevelId = z.string().regex(/^[A-Za-z0-9-]{1,16}$/, 'priority must be a level id such as P1').describe("A level of the line's priority scheme, e.g. P1");

export const PriorityChangeSchema = z.object({ from: z.string(), to: z.string(), reason: z.string(), at: z.string(), by: z.string().optional() });

export const TicketSchema = z
  .looseObject({
    number: TicketNumber,
    org: z.string(),
    orgName: z.string(),
    plan: z.string(),
    service: z.string(),
    priority: z.string(),
    priorityRank: z.number().int(),
    status: z.enum(TICKET_STATUSES),
    line: z.string().describe('The dialed number (E.164)'),
    language: z.string(),
    country: z.string(),
    verifiedBy: z.enum(['caller-id', 'code']),
    caller: z.string(),
    callerName: z.string().optional(),
    createdAt: z.string(),
    firstResponseDue: z.string(),
    restoreDue: z.string().optional(),
    callSid: z.string(),
    priorityQueue: z.boolean(),
    tier: z.number().int(),
    queue: z.string().optional(),
    agent: z.string().optional(),
    answeredAt: z.string().optional(),
    firstResponseMet: z.boolean().optional(),
    bridgedAt: z.string().optional(),
    abandonedAt: z.string().optional(),
    closedAt: z.string().optional(),
    resolution: z.string().optional(),
    priorityHistory: z.array(PriorityChangeSchema).optional(),
    rating: z.number().int().min(1).max(5).optional(),
  })
  .describe('A ticket (contract §5)');

export const ErrorSchema = z.object({ error: z.string(), problems: z.array(z.string()).optional() }).describe('What was wrong');

// ---------------------------------------------------------------- requests

export const TicketPathParams = z.object({ number: TicketNumber });
export const OrgPathParams = z.object({ org: OrgId });

export const TicketListQuery = z.object({
  status: z.enum(TICKET_STATUSES).optional(),
  priority: LevelId.optional(),
  org: OrgId.optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional().describe('At most this many, newest first (default 100)'),
});

export const CloseBody = z.strictObject({ resolution: z.string().trim().min(1).max(2000).optional().describe('How the ticket was resolved') });

export const PriorityBody = z.strictObject({
  priority: LevelId,
  reason: z.string().trim().min(1, 'reason is required').max(500).describe('Why the priority changes; kept on the ticket'),
});

export const HourlyQuery = z.object({
  since: z.iso.datetime({ offset: true }).optional().describe('Start (rounded down to the hour); default 24 hours ago. At most 48 hours are returned.'),
});

// ---------------------------------------------------------------- responses

export const TicketListResponse = z.object({ tickets: z.array(TicketSchema), count: z.number().int() });

export const QueueSchema = z.object({
  id: z.string().describe('service.language.tN'),
  service: z.string(),
  language: z.string(),
  tier: z.number().int(),
  waiting: z.record(z.string(), z.number().int()).describe('Callers waiting per priority level'),
  waitingTotal: z.number().int(),
  longestWaitS: z.number().int().describe('Seconds the oldest waiting caller has waited'),
  callbacks: z.number().int().describe('Callback tickets pending'),
  firstBreachInS: z.number().int().nullable().describe('Seconds to the first first-response due time; negative once breached'),
  firstBreachTicket: z.string().nullable(),
  breached: z.boolean(),
  topPriorityWaiting: z.boolean().describe("A caller of the scheme's most urgent level is waiting"),
});
export const QueuesResponse = z.object({ now: z.string(), queues: z.array(QueueSchema) });

export const AgentStateSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  state: z.enum(['on-call', 'idle', 'signed-out']),
  ticket: z.string().optional().describe('The ticket the agent is on, while on a call'),
  since: z.string().describe("When the agent's call started"),
  endedAt: z.string().optional(),
  languages: z.array(z.string()).optional(),
  services: z.array(z.string()).optional(),
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
  detail: z.record(z.string(), z.string()).optional(),
});
export const TimelineResponse = z.object({
  ticket: TicketSchema,
  timeline: z.array(TimelineEntrySchema),
  verification: z.array(AuditEntrySchema).describe("The verification audit of this ticket's call"),
});

export const HourBucketSchema = z.object({
  hour: z.string(),
  waiting: z.record(z.string(), z.number().int()),
  answered: z.record(z.string(), z.number().int()),
});
export const HourlyResponse = z.object({ since: z.string(), now: z.string(), levels: z.array(z.string()), hours: z.array(HourBucketSchema) });

/** The first problem of a failed parse, as one line a person can act on (`reason: reason is required`). */
export function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
}
