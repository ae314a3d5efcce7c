/**
 * SDK middleware on the DynamoDB client a handler is given (`buildDeps(config, { doc })`): counts the
 * requests each webhook makes and the time spent in them, and can inject faults (throttling, refused
 * connections) the way the real SDK would see them, so retries and error mapping run for real.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export type Fault = 'throttle' | 'refused' | undefined;

export interface DynamoProbe {
  doc: DynamoDBDocumentClient;
  client: DynamoDBClient;
  /** Requests that reached the wire (retries included) since the last `take()`, by command. */
  take(): { requests: number; byCommand: Record<string, number>; ms: number };
  /** Current fault, or a function deciding per request (command name) which fault to inject. */
  fault: Fault | ((command: string) => Fault);
  /** Faults injected so far. */
  injected: number;
  /** Runs before each request goes on the wire (tests use it to slip another webhook into a window). */
  before?: (command: string, input: Record<string, unknown>) => Promise<void>;
}

/** A ThrottlingException as DynamoDB returns it (HTTP 400, retryable by the SDK's throttling rules). */
function throttlingError(): Error {
  return Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
    name: 'ThrottlingException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400, attempts: 1 },
    $retryable: { throttling: true },
  });
}

function refusedError(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1'), { name: 'Error', code: 'ECONNREFUSED', errno: -111, syscall: 'connect' });
}

export function dynamoProbe(endpoint: string, opts: { requestTimeout?: number; maxAttempts?: number } = {}): DynamoProbe {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // The production client's settings (wiring.ts dynamoClient): fail fast enough to still say something.
    requestHandler: { requestTimeout: opts.requestTimeout ?? 2_000, connectionTimeout: 1_000 },
    maxAttempts: opts.maxAttempts ?? 2,
  });
  let requests = 0;
  let ms = 0;
  let byCommand: Record<string, number> = {};
  const probe: DynamoProbe = {
    client,
    doc: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    take: () => {
      const out = { requests, byCommand, ms };
      requests = 0;
      ms = 0;
      byCommand = {};
      return out;
    },
    fault: undefined,
    injected: 0,
  };
  // Each attempt on the wire: inside the retry loop (finalizeRequest, after retry), so a retry counts.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      requests++;
      byCommand[command] = (byCommand[command] ?? 0) + 1;
      if (probe.before) await probe.before(command, (args as unknown as { input?: Record<string, unknown> }).input ?? {});
      const fault = typeof probe.fault === 'function' ? probe.fault(command) : probe.fault;
      if (fault) {
        probe.injected++;
        throw fault === 'throttle' ? throttlingError() : refusedError();
      }
      return next(args);
    },
    { step: 'finalizeRequest', name: 'benchAttemptProbe', priority: 'low' },
  );
  // The whole call as the adapter sees it (retries and backoff included): the time spent in DynamoDB.
  client.middlewareStack.add(
    (next) => async (args) => {
      const t0 = performance.now();
      try {
        return await next(args);
      } finally {
        ms += performance.now() - t0;
      }
    },
    { step: 'initialize', name: 'benchTimeProbe', priority: 'high' },
  );
  return probe;
}
