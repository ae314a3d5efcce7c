/**
 * The one routing table: which HTTP route runs which Lambda handler. The CDK voice stack makes one
 * function per `fn` and one API route per entry; the local server dispatches the same entries to the
 * same handler exports with API Gateway HTTP API (v2) events. Neither keeps a list of its own.
 */
export type FunctionId = 'voice' | 'agent' | 'status' | 'tickets-api' | 'board-api' | 'health';

export interface Route {
  method: 'GET' | 'POST';
  /** API Gateway path; `{name}` is a path parameter. */
  path: string;
  fn: FunctionId;
  /** Who may call it: `twilio` routes check the Twilio signature; `api` routes need IAM (AWS) or the bearer token (local); `public` needs nothing. */
  auth: 'twilio' | 'api' | 'public';
  /** The live board reads it: on AWS it is also served with the board's Cognito JWTs (lib/constructs/board.ts). */
  board?: true;
}

/** Where each function's handler lives (relative to the project root) and the export name. */
export const FUNCTIONS: Record<FunctionId, { entry: string; handler: string; description: string }> = {
  voice: { entry: 'functions/handlers/voice.ts', handler: 'handler', description: 'Caller steps: line, menu, identification, codes, priority, ticket, queue' },
  agent: { entry: 'functions/handlers/agent.ts', handler: 'handler', description: "Agents' line: sign-in, next caller, whisper, TaskRouter assignment" },
  status: { entry: 'functions/handlers/status.ts', handler: 'handler', description: 'Twilio call status callbacks: abandoned and completed calls' },
  'tickets-api': { entry: 'functions/handlers/tickets-api.ts', handler: 'handler', description: 'Ticket API for agents and programs' },
  'board-api': {
    entry: 'functions/handlers/board-api.ts',
    handler: 'handler',
    description: "Ticket actions (close, priority), the live board's reads and the OpenAPI description",
  },
  // A function of its own: a probe cold-starts only the DynamoDB client, never a webhook's dependencies.
  health: {
    entry: 'functions/handlers/health.ts',
    handler: 'handler',
    description: 'GET /health without a token: region, version, the ticket store answering',
  },
};

export const ROUTES: readonly Route[] = [
  { method: 'POST', path: '/twilio/voice', fn: 'voice', auth: 'twilio' },
  { method: 'POST', path: '/twilio/call/{step}', fn: 'voice', auth: 'twilio' },
  { method: 'POST', path: '/twilio/agent/{step}', fn: 'agent', auth: 'twilio' },
  { method: 'POST', path: '/twilio/status', fn: 'status', auth: 'twilio' },
  { method: 'GET', path: '/api/tickets', fn: 'tickets-api', auth: 'api' },
  { method: 'GET', path: '/api/tickets/{number}', fn: 'tickets-api', auth: 'api' },
  /** Extension: an organization's verification audit (issue 3). */
  { method: 'GET', path: '/api/orgs/{org}/verifications', fn: 'tickets-api', auth: 'api' },
  /** Extension: a first-line specialist escalates a ticket to the engineers (tier 2; issue 8). */
  { method: 'POST', path: '/api/tickets/{number}/escalate', fn: 'tickets-api', auth: 'api' },
  /** Contract v2 §5: close a ticket, change its priority; the OpenAPI description without a token. */
  { method: 'POST', path: '/api/tickets/{number}/close', fn: 'board-api', auth: 'api', board: true },
  { method: 'POST', path: '/api/tickets/{number}/priority', fn: 'board-api', auth: 'api', board: true },
  { method: 'GET', path: '/api/openapi.json', fn: 'board-api', auth: 'public' },
  /** Extension: what the live board reads (issue 16). */
  { method: 'GET', path: '/api/queues', fn: 'board-api', auth: 'api', board: true },
  { method: 'GET', path: '/api/agents', fn: 'board-api', auth: 'api', board: true },
  { method: 'GET', path: '/api/tickets/{number}/timeline', fn: 'board-api', auth: 'api', board: true },
  { method: 'GET', path: '/api/stats/hourly', fn: 'board-api', auth: 'api', board: true },
  /** Liveness and readiness for operators, scripts and uptime checks: no token, nothing secret in it. */
  { method: 'GET', path: '/health', fn: 'health', auth: 'public' },
] as const;

/** The board also lists and reads tickets through the ticket API's own routes. */
export const BOARD_READS_OF_TICKETS_API: readonly string[] = ['GET /api/tickets', 'GET /api/tickets/{number}'];

/** Matches a concrete path against a route path; returns the path parameters or undefined. */
export function matchRoute(method: string, path: string): { route: Route; params: Record<string, string> } | 'method-not-allowed' | undefined {
  let pathMatched = false;
  for (const route of ROUTES) {
    const params = matchPath(route.path, path);
    if (!params) continue;
    if (route.method === method.toUpperCase()) return { route, params };
    pathMatched = true;
  }
  return pathMatched ? 'method-not-allowed' : undefined;
}

function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const p = pattern.split('/');
  const a = path.split('/');
  if (p.length !== a.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const seg = p[i]!;
    const val = a[i]!;
    if (seg.startsWith('{') && seg.endsWith('}')) {
      if (!val) return undefined;
      try {
        params[seg.slice(1, -1)] = decodeURIComponent(val);
      } catch {
        return undefined;
      }
    } else if (seg !== val) return undefined;
  }
  return params;
}
