/**
 * The board's one way to the data: `/api/*` on the page's own origin (the local server, or CloudFront in
 * front of the board's API on AWS). Every answer becomes an outcome the page can show: data, "sign in"
 * (401: no, a wrong or an expired token), "forbidden" (403), "down" (no answer or 5xx: reconnecting), or
 * an error with the API's reason. No DOM here, so the tests drive it with a fake fetch.
 */
import type { BoardTicket, HourBucket, QueueSummary, TimelineEntry } from '../../functions/domain/board.js';

export type Outcome<T> = { ok: true; data: T } | { ok: false; kind: 'signin' | 'forbidden' | 'down' | 'error'; reason: string };

export interface AgentState {
  id: string;
  name?: string;
  state: 'on-call' | 'idle' | 'signed-out';
  ticket?: string;
  since: string;
  endedAt?: string;
}

export interface AuditEntry {
  method: string;
  result: string;
  at: string;
  caller: string;
}

export interface BoardData {
  /** The server's clock, so countdowns do not depend on the browser's. */
  serverNow: string;
  queues: QueueSummary[];
  agents: AgentState[];
  tickets: BoardTicket[];
  hourly: { since: string; levels: string[]; hours: HourBucket[] };
}

export interface TicketDetail {
  ticket: BoardTicket;
  timeline: TimelineEntry[];
  verification: AuditEntry[];
}

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{ status: number; json(): Promise<unknown> }>;

export function apiClient(opts: { base?: string; token: () => string | null; fetch: FetchLike }) {
  const base = opts.base ?? '';
  async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Outcome<T>> {
    const token = opts.token();
    const headers: Record<string, string> = { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Awaited<ReturnType<FetchLike>>;
    try {
      res = await opts.fetch(base + path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (e) {
      return { ok: false, kind: 'down', reason: e instanceof Error ? e.message : String(e) };
    }
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      json = undefined;
    }
    if (res.status >= 200 && res.status < 300 && json !== undefined) return { ok: true, data: json as T };
    const reason = reasonOf(json) ?? `HTTP ${res.status}`;
    if (res.status === 401) return { ok: false, kind: 'signin', reason };
    if (res.status === 403) return { ok: false, kind: 'forbidden', reason };
    if (res.status >= 500 || res.status === 0 || json === undefined) return { ok: false, kind: 'down', reason };
    return { ok: false, kind: 'error', reason };
  }

  return {
    /** Everything the board shows, in one round of parallel reads; the first failure wins. */
    async board(sinceIso: string): Promise<Outcome<BoardData>> {
      const [queues, agents, tickets, hourly] = await Promise.all([
        request<{ now: string; queues: QueueSummary[] }>('GET', '/api/queues'),
        request<{ agents: AgentState[] }>('GET', '/api/agents'),
        request<{ tickets: BoardTicket[] }>('GET', '/api/tickets?limit=1000'),
        request<{ since: string; levels: string[]; hours: HourBucket[] }>('GET', `/api/stats/hourly?since=${encodeURIComponent(sinceIso)}`),
      ]);
      for (const r of [queues, agents, tickets, hourly]) if (!r.ok) return r;
      if (!queues.ok || !agents.ok || !tickets.ok || !hourly.ok) throw new Error('unreachable');
      return {
        ok: true,
        data: { serverNow: queues.data.now, queues: queues.data.queues, agents: agents.data.agents, tickets: tickets.data.tickets, hourly: hourly.data },
      };
    },
    detail: (number: string) => request<TicketDetail>('GET', `/api/tickets/${encodeURIComponent(number)}/timeline`),
    close: (number: string, resolution: string) =>
      request<BoardTicket>('POST', `/api/tickets/${encodeURIComponent(number)}/close`, resolution.trim() ? { resolution: resolution.trim() } : {}),
  };
}

function reasonOf(json: unknown): string | undefined {
  if (!json || typeof json !== 'object') return undefined;
  const { error, problems } = json as { error?: unknown; problems?: unknown };
  if (typeof error !== 'string') return undefined;
  return Array.isArray(problems) && problems.length ? `${error}: ${problems.join('; ')}` : error;
}
