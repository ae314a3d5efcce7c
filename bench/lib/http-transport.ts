/**
 * Webhooks over HTTP to a running line (the local server), signed as Twilio signs them: over the public
 * base URL + path + query, with the form parameters. Keep-alive connections, as Twilio's edge keeps them.
 *
 * A request whose reused connection was closed by the server before any answer (the keep-alive race:
 * the server drops an idle socket just as the client sends on it) is sent once more, as Twilio retries a
 * webhook on a connection failure with the same idempotency token; `retries` counts them, so a report
 * can show them, and the server must (and does) treat the repeat like any duplicate.
 */
import { Agent, request } from 'node:http';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import type { Transport } from './caller.js';

export function httpTransport(
  baseUrl: string,
  authToken: string,
  o: { maxSockets?: number; timeoutMs?: number } = {},
): Transport & { close(): void; retries: number } {
  const agent = new Agent({ keepAlive: true, maxSockets: o.maxSockets ?? 256 });
  const once = (url: string, params: Record<string, string>) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const abs = new URL(url, baseUrl);
      const body = new URLSearchParams(params).toString();
      const req = request(
        abs,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
            'x-twilio-signature': getExpectedTwilioSignature(authToken, abs.toString(), params),
          },
          timeout: o.timeoutMs ?? 15_000, // Twilio gives up on a webhook after 15 s
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer in ${o.timeoutMs ?? 15_000} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  const transport = Object.assign(
    async (url: string, params: Record<string, string>) => {
      try {
        return await once(url, params);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code !== 'ECONNRESET' && code !== 'EPIPE') throw e;
        transport.retries++;
        return once(url, params);
      }
    },
    { close: () => agent.destroy(), retries: 0 },
  );
  return transport;
}
