/**
 * `GET /api/openapi.json`: an OpenAPI 3.1 description of every route of the routing table but Twilio's
 * webhooks (the `/api/*` routes and `GET /health`), generated from the zod schemas the routes validate
 * with (`z.toJSONSchema`). A route of the table without an entry here makes `openApiDocument()` throw,
 * so a new route cannot go undescribed.
 */
import * as z from 'zod/mini';
import { ROUTES, type Route } from '../../routes.js';
import {
  AgentsResponse,
  CloseBody,
  ErrorSchema,
  HourlyQuery,
  HourlyResponse,
  OrgPathParams,
  PriorityBody,
  QueuesResponse,
  TicketListQuery,
  TicketListResponse,
  TicketPathParams,
  TicketSchema,
  TimelineResponse,
  VerificationsResponse,
} from './schemas.js';

interface RouteDoc {
  summary: string;
  description?: string;
  path?: z.ZodMiniObject;
  query?: z.ZodMiniObject;
  body?: z.ZodMiniType;
  response: z.ZodMiniType;
  /** Error statuses this route answers, besides 401 (token) and 503 (store unavailable). */
  errors?: Record<number, string>;
  /** The body of its 503 when that is not `ErrorSchema`. */
  unavailable?: z.ZodMiniType;
}

/** `GET /health` (functions/handlers/health.ts): the same fields on 200 and 503. */
export const HealthSchema = z
  .looseObject({
    status: z.enum(['ok', 'unavailable']),
    reason: z.optional(z.string().check(z.describe('Only when unavailable: what does not answer'))),
    region: z.string(),
    function: z.optional(z.string().check(z.describe('On AWS: the Lambda function answering'))),
    version: z.optional(z.string().check(z.describe('On AWS: its version'))),
    mode: z.optional(z.literal('local')),
    data: z.optional(z.string().check(z.describe('Local mode: the data file'))),
    dataLoad: z.optional(z.enum(['loaded', 'kept'])),
    database: z.optional(z.string().check(z.describe('Local mode: external, embedded on disk or embedded in memory'))),
    uptimeSeconds: z.optional(z.int()),
    store: z.object({
      status: z.enum(['ok', 'unavailable']),
      checkedAt: z.string().check(z.describe('When the ticket store was last read (at most every few seconds)')),
      ms: z.int(),
    }),
  })
  .check(z.describe('Whether this deployment can serve'));

export const ROUTE_DOCS: Record<string, RouteDoc> = {
  'GET /api/tickets': { summary: 'List tickets, newest first', query: TicketListQuery, response: TicketListResponse, errors: { 400: 'A bad filter, named' } },
  'GET /api/tickets/{number}': {
    summary: 'One ticket',
    path: TicketPathParams,
    response: TicketSchema,
    errors: { 400: 'Not a ticket number', 404: 'No such ticket' },
  },
  'GET /api/orgs/{org}/verifications': {
    summary: "An organization's verification audit, newest first",
    path: OrgPathParams,
    response: VerificationsResponse,
    errors: { 400: 'Not an organization id' },
  },
  'POST /api/tickets/{number}/escalate': {
    summary: 'Escalate a ticket to the engineers (tier 2)',
    path: TicketPathParams,
    response: TicketSchema,
    errors: { 404: 'No such ticket', 409: 'The ticket is closed' },
  },
  'POST /api/tickets/{number}/close': {
    summary: 'Close a ticket',
    description:
      'Status `closed`, `closedAt` and the optional resolution; the organization is told in its language by text or email. Closing a closed ticket changes nothing and answers 200.',
    path: TicketPathParams,
    body: CloseBody,
    response: TicketSchema,
    errors: { 400: 'A bad body, named', 404: 'No such ticket' },
  },
  'POST /api/tickets/{number}/priority': {
    summary: "Change a ticket's priority",
    description:
      "Moves the ticket to another level of its line's scheme, recomputes its due times from its creation time, and keeps the change with its reason in `priorityHistory`.",
    path: TicketPathParams,
    body: PriorityBody,
    response: TicketSchema,
    errors: { 400: 'An unknown level or a missing reason', 404: 'No such ticket', 409: 'The ticket is closed' },
  },
  'GET /api/openapi.json': { summary: 'This description (no token needed)', response: z.looseObject({ openapi: z.string() }) },
  'GET /api/queues': {
    summary: 'Every queue (service × language × tier): waiting by priority, longest wait, callbacks, time to the first SLA breach',
    response: QueuesResponse,
  },
  'GET /api/agents': { summary: "Agents on the agents' line: on a call (with which ticket), idle, signed out", response: AgentsResponse },
  'GET /api/tickets/{number}/timeline': {
    summary: "A ticket's timeline and how its caller was verified",
    path: TicketPathParams,
    response: TimelineResponse,
    errors: { 400: 'Not a ticket number', 404: 'No such ticket' },
  },
  'GET /api/stats/hourly': {
    summary: 'Per hour and priority: callers waiting and answered',
    query: HourlyQuery,
    response: HourlyResponse,
    errors: { 400: 'A bad `since`' },
  },
  'GET /health': {
    summary: 'Whether this deployment can serve (no token needed)',
    description:
      "Region and version (on AWS) or the local server's mode, data and database, and the ticket store's last check. 503 names what does not answer.",
    response: HealthSchema,
    unavailable: HealthSchema,
  },
};

const schema = (s: z.ZodMiniType, io: 'input' | 'output') => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

function parameters(where: 'path' | 'query', obj: z.ZodMiniObject | undefined): unknown[] {
  if (!obj) return [];
  const json = schema(obj, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
    schema: s,
  }));
}

function operation(route: Route, doc: RouteDoc): Record<string, unknown> {
  const errors: Record<string, unknown> = {};
  for (const [status, text] of Object.entries({
    ...doc.errors,
    ...(route.auth === 'public' ? {} : { 401: 'Missing or wrong token' }),
    503: 'The ticket store is unavailable',
  })) {
    const body = status === '503' && doc.unavailable ? doc.unavailable : ErrorSchema;
    errors[status] = { description: text, content: { 'application/json': { schema: schema(body, 'output') } } };
  }
  return {
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    parameters: [...parameters('path', doc.path), ...parameters('query', doc.query)],
    ...(doc.body
      ? { requestBody: { required: route.path.endsWith('/priority'), content: { 'application/json': { schema: schema(doc.body, 'input') } } } }
      : {}),
    responses: { 200: { description: 'OK', content: { 'application/json': { schema: schema(doc.response, 'output') } } }, ...errors },
    security: route.auth === 'public' ? [] : [{ bearer: [] }, { sigv4: [] }],
  };
}

let cached: Record<string, unknown> | undefined;

export function openApiDocument(): Record<string, unknown> {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    if (route.auth === 'twilio') continue;
    const doc = ROUTE_DOCS[`${route.method} ${route.path}`];
    if (!doc) throw new Error(`${route.method} ${route.path} is in the routing table but not described in functions/app/api/openapi.ts`);
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route, doc);
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Support line ticket API',
      version: '2',
      description:
        'Tickets as agents, supervisors and programs read and change them. Locally a bearer API token; on AWS IAM (SigV4) for programs and Cognito JWTs for the board.',
    },
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: "Local mode: the API token `npm start` prints. On AWS, the board's routes: a Cognito ID token of the supervisors or agents group.",
        },
        sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', description: 'On AWS: an IAM SigV4 signature (execute-api:Invoke).' },
      },
    },
  };
  return cached;
}
