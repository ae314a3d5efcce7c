/**
 * The ticket API (contract §5) for agents and other programs: list with filters, get by number, an
 * organization's verification audit, and escalation to the engineers (second tier, issue 8: first-line
 * specialists escalate; there is no key for it on the agents' line). JSON in, JSON out; a bad filter is a
 * 400 that names it. On AWS the
 * routes are IAM-authorized by API Gateway; locally (and wherever an API token is configured) a bearer
 * token is required, compared in constant time.
 */
import { timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { TicketStatus } from '../domain/tickets.js';
import { matchRoute } from '../routes.js';
import { escalateTicketByNumber } from './escalate-ticket.js';
import type { AuditLog, TicketStore } from './ports.js';

const STATUSES: readonly TicketStatus[] = ['waiting', 'callback', 'in-progress', 'abandoned', 'closed'];

export interface TicketsApiDeps {
  tickets: Pick<TicketStore, 'get' | 'list' | 'replaceIf'>;
  audit: Pick<AuditLog, 'forOrg'>;
  /** The bearer token to require; undefined when API Gateway's IAM authorizer guards the routes. */
  apiToken: () => Promise<string | undefined>;
  log?: (level: 'error', message: string, data?: Record<string, unknown>) => void;
}

type Query = Record<string, string | undefined>;
type RouteHandler = (params: Record<string, string>, query: Query, deps: TicketsApiDeps) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * What each of this function's routes in the routing table (functions/routes.ts) does, keyed by
 * `METHOD path` as the table writes it. The route decides the handler; test/app/tickets-api.test.ts checks
 * that every `tickets-api` route has one.
 */
export const TICKETS_API_HANDLERS: Record<string, RouteHandler> = {
  'GET /api/tickets': listTickets,
  'GET /api/tickets/{number}': getTicket,
  'GET /api/orgs/{org}/verifications': orgVerifications,
  'POST /api/tickets/{number}/escalate': (params, _q, deps) => escalateTicket(params.number!, deps),
};

export function ticketsApi(deps: TicketsApiDeps) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      const token = await deps.apiToken();
      if (token !== undefined && !bearerMatches(event, token)) {
        return json(401, { error: 'missing or wrong bearer token' }, { 'www-authenticate': 'Bearer' });
      }
      const method = event.requestContext?.http?.method ?? 'GET';
      const path = event.rawPath;
      const match = matchRoute(method, path);
      if (match === 'method-not-allowed') {
        const allow = (['GET', 'POST'] as const).filter((m) => typeof matchRoute(m, path) === 'object').join(', ');
        return json(405, { error: `use ${allow} here` }, { allow });
      }
      const handler = match?.route.fn === 'tickets-api' ? TICKETS_API_HANDLERS[`${match.route.method} ${match.route.path}`] : undefined;
      if (!match || !handler) return json(404, { error: `no route ${path}` });
      return await handler(match.params, event.queryStringParameters ?? {}, deps);
    } catch (e) {
      deps.log?.('error', 'tickets api failed', { error: e instanceof Error ? e.stack : String(e) });
      return json(503, { error: 'the ticket store is unavailable, try again' }, { 'retry-after': '5' });
    }
  };
}

async function listTickets(_params: Record<string, string>, q: Query, deps: TicketsApiDeps): Promise<APIGatewayProxyStructuredResultV2> {
  const problems: string[] = [];
  const status = q.status;
  if (status !== undefined && !STATUSES.includes(status as TicketStatus)) problems.push(`status must be one of ${STATUSES.join(', ')}`);
  if (q.priority !== undefined && !/^[A-Za-z0-9-]{1,16}$/.test(q.priority)) problems.push('priority must be a level id such as P1');
  if (q.org !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(q.org)) problems.push('org must be an organization id');
  const limit = q.limit === undefined ? 100 : Number(q.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) problems.push('limit must be an integer from 1 to 1000');
  if (problems.length) return json(400, { error: 'bad filter', problems });
  const tickets = await deps.tickets.list({ status: status as TicketStatus | undefined, priority: q.priority, org: q.org, limit });
  return json(200, { tickets, count: tickets.length });
}

async function getTicket(params: Record<string, string>, _q: Query, deps: TicketsApiDeps): Promise<APIGatewayProxyStructuredResultV2> {
  const number = params.number!;
  if (!/^\d{1,12}$/.test(number)) return json(400, { error: 'a ticket number is digits only' });
  const ticket = await deps.tickets.get(number);
  return ticket ? json(200, ticket) : json(404, { error: `no ticket ${number}` });
}

async function orgVerifications(params: Record<string, string>, _q: Query, deps: TicketsApiDeps): Promise<APIGatewayProxyStructuredResultV2> {
  const org = params.org!;
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(org)) return json(400, { error: 'org must be an organization id' });
  return json(200, { org, verifications: await deps.audit.forOrg(org) });
}

/** Moves a ticket to the engineers (tier 2) through the shared escalation (app/escalate-ticket.ts). */
async function escalateTicket(number: string, deps: TicketsApiDeps): Promise<APIGatewayProxyStructuredResultV2> {
  if (!/^\d{1,12}$/.test(number)) return json(400, { error: 'a ticket number is digits only' });
  const result = await escalateTicketByNumber(number, deps);
  if (result.kind === 'missing') return json(404, { error: `no ticket ${number}` });
  if (result.kind === 'closed') return json(409, { error: `ticket ${number} is closed` });
  if (result.kind === 'conflict') return json(409, { error: `ticket ${number} kept changing; try again` }, { 'retry-after': '1' });
  return json(200, result.ticket);
}

function bearerMatches(event: APIGatewayProxyEventV2, token: string): boolean {
  const header = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === 'authorization')?.[1] ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!m) return false;
  const a = Buffer.from(m[1]!);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}
