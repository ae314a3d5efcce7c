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

export function ticketsApi(deps: TicketsApiDeps) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      const token = await deps.apiToken();
      if (token !== undefined && !bearerMatches(event, token)) {
        return json(401, { error: 'missing or wrong bearer token' }, { 'www-authenticate': 'Bearer' });
      }
      const method = event.requestContext?.http?.method ?? 'GET';
      const path = event.rawPath;
      const escalation = /^\/api\/tickets\/([^/]+)\/escalate$/.exec(path);
      if (escalation) {
        if (method !== 'POST') return json(405, { error: 'escalate with POST' }, { allow: 'POST' });
        return await escalateTicket(decodeURIComponent(escalation[1]!), deps);
      }
      if (method !== 'GET') return json(405, { error: 'only GET is supported here' }, { allow: 'GET' });
      const q = event.queryStringParameters ?? {};
      if (path === '/api/tickets') {
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
      const one = /^\/api\/tickets\/([^/]+)$/.exec(path);
      if (one) {
        const number = decodeURIComponent(one[1]!);
        if (!/^\d{1,12}$/.test(number)) return json(400, { error: 'a ticket number is digits only' });
        const ticket = await deps.tickets.get(number);
        return ticket ? json(200, ticket) : json(404, { error: `no ticket ${number}` });
      }
      const audit = /^\/api\/orgs\/([^/]+)\/verifications$/.exec(path);
      if (audit) {
        const org = decodeURIComponent(audit[1]!);
        if (!/^[A-Za-z0-9_.-]{1,64}$/.test(org)) return json(400, { error: 'org must be an organization id' });
        const entries = await deps.audit.forOrg(org);
        return json(200, { org, verifications: entries });
      }
      return json(404, { error: `no route ${path}` });
    } catch (e) {
      deps.log?.('error', 'tickets api failed', { error: e instanceof Error ? e.stack : String(e) });
      return json(503, { error: 'the ticket store is unavailable, try again' }, { 'retry-after': '5' });
    }
  };
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
