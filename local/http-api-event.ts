/**
 * One way to turn an HTTP request into the API Gateway HTTP API (v2) event Lambda receives, with the
 * route key and path parameters from the routing table. The local server uses it for every request;
 * the test harnesses and the benchmark use it too, so all of them hand the handlers the same shape.
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { matchRoute } from '../functions/routes.js';

export interface HttpApiRequest {
  method: string;
  /** Path and query, as requested (`/twilio/call/menu?s=1`). */
  target: string;
  /** Host the request was addressed to (the event's domain name). */
  host: string;
  headers: Record<string, string>;
  /** The raw body; sent base64-encoded when `base64` is true, as API Gateway does for form bodies. */
  body?: string | Buffer;
  base64?: boolean;
  sourceIp?: string;
}

export function httpApiEvent(r: HttpApiRequest): APIGatewayProxyEventV2 {
  const q = r.target.indexOf('?');
  const rawPath = q < 0 ? r.target : r.target.slice(0, q);
  const rawQueryString = q < 0 ? '' : r.target.slice(q + 1);
  const method = r.method.toUpperCase();
  const match = matchRoute(method, rawPath);
  const route = match && match !== 'method-not-allowed' ? match : undefined;
  const routeKey = route ? `${route.route.method} ${route.route.path}` : '$default';
  const body = r.body === undefined ? undefined : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body);
  const encode = !!r.base64 && !!body?.length;
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    headers: r.headers,
    queryStringParameters: rawQueryString ? Object.fromEntries(new URLSearchParams(rawQueryString)) : undefined,
    pathParameters: route && Object.keys(route.params).length ? route.params : undefined,
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      domainName: r.host,
      domainPrefix: r.host.split('.')[0] ?? r.host,
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: r.sourceIp ?? '127.0.0.1', userAgent: r.headers['user-agent'] ?? '' },
      requestId: randomBytes(8).toString('hex'),
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body: body?.length ? (encode ? body.toString('base64') : body.toString('utf8')) : undefined,
    isBase64Encoded: encode,
  };
}
