/**
 * The ticket actions of contract v2 §5 (close, change of priority), the live board's read routes and the
 * OpenAPI description: the `board-api` function of the routing table. Every route is dispatched through
 * `matchRoute` (functions/routes.ts); bodies and query strings are validated with the zod schemas the
 * OpenAPI description is generated from. A bad request is a 400 that names the problem.
 *
 * Who may call: locally the bearer API token (compared in constant time); on AWS API Gateway has already
 * authorized the request, with IAM (programs) or a Cognito JWT (the board). A JWT must belong to the
 * `supervisors` or `agents` group; changing a priority is for supervisors.
 */
import { timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod/mini';
import { matchRoute } from '../../routes.js';
import { changePriority, hourlyChart, summarizeQueues, ticketTimeline, type BoardTicket } from '../../domain/board.js';
import { closeTicketByNumber } from '../close-ticket.js';
import type { Directory, Notifier } from '../../ports.js';
import type { AgentCall } from '../../adapters/dynamodb/agent-presence.js';
import type { AuditLog, TicketStore } from '../deps.js';
import { openApiDocument } from './openapi.js';
import { CloseBody, HourlyQuery, PriorityBody, problemsOf, TicketNumber } from './schemas.js';

export interface BoardApiDeps {
  tickets: Pick<TicketStore, 'get' | 'list' | 'replaceIf'>;
  audit: Pick<AuditLog, 'forOrg'>;
  directory: Pick<Directory, 'config' | 'orgById' | 'agentById'>;
  agents: { agentCalls(): Promise<AgentCall[]> };
  notifier: Notifier;
  /** The bearer token to require; undefined when API Gateway authorizes (IAM or JWT). */
  apiToken: () => Promise<string | undefined>;
  now: () => Date;
  log?: (level: 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) => void;
}

type Result = APIGatewayProxyStructuredResultV2;
type Caller = { kind: 'token' | 'iam' } | { kind: 'jwt'; user: string; groups: string[] };
type Handler = (args: { params: Record<string, string>; event: APIGatewayProxyEventV2; caller: Caller }, deps: BoardApiDeps) => Promise<Result>;

/** Compare-and-set attempts before giving up: each loss means an agent moved the ticket meanwhile. */
const ATTEMPTS = 4;
/** Tickets the board reads for queues and the chart (newest first). */
const READ_LIMIT = 1000;

const HANDLERS: Record<string, Handler> = {
  'GET /api/openapi.json': async () => json(200, openApiDocument(), { 'cache-control': 'max-age=300' }),
  'POST /api/tickets/{number}/close': closeRoute,
  'POST /api/tickets/{number}/priority': priorityRoute,
  'GET /api/queues': async (_a, deps) => {
    const [waiting, callback] = await Promise.all([
      deps.tickets.list({ status: 'waiting', limit: READ_LIMIT }),
      deps.tickets.list({ status: 'callback', limit: READ_LIMIT }),
    ]);
    const now = deps.now();
    return json(200, { now: now.toISOString(), queues: summarizeQueues([...waiting, ...callback], now.getTime()) });
  },
  'GET /api/agents': async (_a, deps) => json(200, { now: deps.now().toISOString(), agents: await agentStates(deps) }),
  'GET /api/tickets/{number}/timeline': async ({ params }, deps) => {
    const number = TicketNumber.safeParse(params.number);
    if (!number.success) return json(400, { error: 'a ticket number is digits only' });
    const ticket = (await deps.tickets.get(number.data)) as BoardTicket | undefined;
    if (!ticket) return json(404, { error: `no ticket ${number.data}` });
    const audit = await deps.audit.forOrg(ticket.org, 1000);
    const verification = audit.filter((e) => e.callSid === ticket.callSid).reverse();
    return json(200, { ticket, timeline: ticketTimeline(ticket), verification });
  },
  'GET /api/stats/hourly': async ({ event }, deps) => {
    const q = parse(HourlyQuery, event.queryStringParameters ?? {});
    if ('error' in q) return q.error;
    const now = deps.now();
    const since = q.data.since ? Date.parse(q.data.since) : now.getTime() - 23 * 3_600_000;
    if (since > now.getTime()) return json(400, { error: 'bad query', problems: ['since: must not be in the future'] });
    const tickets = (await deps.tickets.list({ limit: READ_LIMIT })).filter((t) => Date.parse(t.createdAt) >= since - 48 * 3_600_000);
    const hours = hourlyChart(tickets, since, now.getTime());
    const levels = [...new Set(tickets.sort((a, b) => a.priorityRank - b.priorityRank).map((t) => t.priority))];
    return json(200, { since: hours[0]?.hour ?? new Date(since).toISOString(), now: now.toISOString(), levels, hours });
  },
};

export function boardApi(deps: BoardApiDeps) {
  return async (event: APIGatewayProxyEventV2): Promise<Result> => {
    try {
      const method = event.requestContext?.http?.method ?? 'GET';
      const match = matchRoute(method, event.rawPath);
      if (match === 'method-not-allowed') return json(405, { error: `${method} is not allowed on ${event.rawPath}` });
      const handler = match && match.route.fn === 'board-api' ? HANDLERS[`${match.route.method} ${match.route.path}`] : undefined;
      if (!match || !handler) return json(404, { error: `no route ${event.rawPath}` });
      let caller: Caller = { kind: 'iam' };
      if (match.route.auth !== 'public') {
        const token = await deps.apiToken();
        if (token !== undefined) {
          if (!bearerMatches(event, token)) return json(401, { error: 'missing or wrong bearer token' }, { 'www-authenticate': 'Bearer' });
          caller = { kind: 'token' };
        } else caller = jwtCaller(event) ?? caller;
        if (caller.kind === 'jwt' && !caller.groups.some((g) => g === 'supervisors' || g === 'agents')) {
          return json(403, { error: 'your account is in neither the supervisors nor the agents group' });
        }
      }
      return await handler({ params: match.params, event, caller }, deps);
    } catch (e) {
      deps.log?.('error', 'board api failed', { error: e instanceof Error ? e.stack : String(e) });
      return json(503, { error: 'the ticket store is unavailable, try again' }, { 'retry-after': '5' });
    }
  };
}

async function closeRoute({ params, event, caller }: Parameters<Handler>[0], deps: BoardApiDeps): Promise<Result> {
  const number = TicketNumber.safeParse(params.number);
  if (!number.success) return json(400, { error: 'a ticket number is digits only' });
  const body = parseBody(CloseBody, event, true);
  if ('error' in body) return body.error;
  const closed = await closeTicketByNumber(number.data, { resolution: body.data.resolution, by: callerName(caller) }, deps);
  if (closed.kind === 'missing') return json(404, { error: `no ticket ${number.data}` });
  if (closed.kind === 'conflict') return json(409, { error: `ticket ${number.data} kept changing; try again` }, { 'retry-after': '1' });
  return json(200, closed.ticket);
}

async function priorityRoute({ params, event, caller }: Parameters<Handler>[0], deps: BoardApiDeps): Promise<Result> {
  if (caller.kind === 'jwt' && !caller.groups.includes('supervisors')) return json(403, { error: 'only supervisors change priorities' });
  const number = TicketNumber.safeParse(params.number);
  if (!number.success) return json(400, { error: 'a ticket number is digits only' });
  const body = parseBody(PriorityBody, event, false);
  if ('error' in body) return body.error;
  const config = await deps.directory.config();
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const current = (await deps.tickets.get(number.data)) as BoardTicket | undefined;
    if (!current) return json(404, { error: `no ticket ${number.data}` });
    const result = changePriority(current, {
      priority: body.data.priority,
      reason: body.data.reason,
      nowIso: deps.now().toISOString(),
      config,
      by: callerName(caller),
    });
    if (result.kind === 'closed') return json(409, { error: `ticket ${number.data} is closed` });
    if (result.kind === 'unknown-line') return json(409, { error: `the line ${current.line} of ticket ${number.data} is no longer in the data file` });
    if (result.kind === 'unknown-level')
      return json(400, {
        error: 'bad body',
        problems: [`priority: ${body.data.priority} is not a level of this ticket's scheme (${result.levels.join(', ')})`],
      });
    if (result.kind === 'same') return json(200, result.ticket);
    if (await deps.tickets.replaceIf(current, result.ticket)) return json(200, result.ticket);
  }
  return json(409, { error: `ticket ${number.data} kept changing; try again` }, { 'retry-after': '1' });
}

/** Each agent's latest call: on a call with a ticket, idle, or signed out (the call ended). */
async function agentStates(deps: BoardApiDeps) {
  const latest = new Map<string, AgentCall>();
  for (const c of await deps.agents.agentCalls()) {
    const seen = latest.get(c.agentId);
    if (!seen || (!c.endedAt && seen.endedAt) || (!!c.endedAt === !!seen.endedAt && c.since > seen.since)) latest.set(c.agentId, c);
  }
  const out = [];
  for (const c of latest.values()) {
    const agent = await deps.directory.agentById(c.agentId);
    const onCall = !c.endedAt && !!c.ticketNumber;
    out.push({
      id: c.agentId,
      ...(agent ? { name: agent.name, languages: agent.languages, services: agent.services } : {}),
      state: c.endedAt ? ('signed-out' as const) : onCall ? ('on-call' as const) : ('idle' as const),
      ...(onCall ? { ticket: c.ticketNumber } : {}),
      since: c.since,
      ...(c.endedAt ? { endedAt: c.endedAt } : {}),
    });
  }
  const order = { 'on-call': 0, idle: 1, 'signed-out': 2 };
  return out.sort((a, b) => order[a.state] - order[b.state] || a.id.localeCompare(b.id));
}

function parse<T extends z.ZodMiniType>(schema: T, input: unknown): { data: z.infer<T> } | { error: Result } {
  const r = schema.safeParse(input);
  return r.success ? { data: r.data } : { error: json(400, { error: 'bad query', problems: problemsOf(r.error) }) };
}

function parseBody<T extends z.ZodMiniType>(schema: T, event: APIGatewayProxyEventV2, optional: boolean): { data: z.infer<T> } | { error: Result } {
  const raw = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
  let input: unknown = {};
  if (raw.trim()) {
    try {
      input = JSON.parse(raw);
    } catch {
      return { error: json(400, { error: 'the body is not JSON' }) };
    }
  } else if (!optional) return { error: json(400, { error: 'a JSON body is required', problems: problemsOf(schema.safeParse({}).error!) }) };
  const r = schema.safeParse(input);
  return r.success ? { data: r.data } : { error: json(400, { error: 'bad body', problems: problemsOf(r.error) }) };
}

function jwtCaller(event: APIGatewayProxyEventV2): Caller | undefined {
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer?.jwt?.claims;
  if (!claims) return undefined;
  // API Gateway flattens list claims to text: "[supervisors agents]" or "supervisors".
  const groups = String(claims['cognito:groups'] ?? '')
    .replace(/[[\]",]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  return { kind: 'jwt', user: String(claims.email ?? claims['cognito:username'] ?? claims.sub ?? ''), groups };
}

const callerName = (c: Caller): string | undefined => (c.kind === 'jwt' && c.user ? c.user : undefined);

function bearerMatches(event: APIGatewayProxyEventV2, token: string): boolean {
  const header = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === 'authorization')?.[1] ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!m) return false;
  const a = Buffer.from(m[1]!);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): Result {
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers }, body: JSON.stringify(body) };
}
