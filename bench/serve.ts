/**
 * The local server for the load run, in a process of its own (as `npm start` runs it), so the load
 * generator does not share its event loop. Prints one JSON line with what the bench needs to count
 * tickets in its embedded DynamoDB, then serves until killed.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startLocal } from '../local/server.js';

const [port, dataFile, authToken, outbox] = process.argv.slice(2);
// LOCAL_WEBHOOK_CONCURRENCY, as `npm start` reads it: another admission limit than the default (sizing it).
const concurrency = Number(process.env.LOCAL_WEBHOOK_CONCURRENCY) || undefined;
const running = await startLocal({
  port: Number(port),
  dataFile: dataFile!,
  authToken: authToken!,
  apiToken: 'bench-api-token',
  outbox: outbox!,
  webhookConcurrency: concurrency,
});
// The server's event-loop delay, so a slow webhook can be told apart from a blocked server.
const loop = monitorEventLoopDelay({ resolution: 10 });
// Server-side time per request (from the request event to the response's end), to tell server time from client time.
const serverMs: number[] = [];
running.server.on('request', (_req, res) => {
  const t0 = performance.now();
  res.once('finish', () => serverMs.push(performance.now() - t0));
});
loop.enable();
process.on('SIGUSR2', () => {
  const cpu = process.cpuUsage();
  process.stderr.write(
    `${JSON.stringify({ loopDelayMs: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 }, cpuS: (cpu.user + cpu.system) / 1e6, uptimeS: process.uptime(), serverMs: pct(serverMs) })}\n`,
  );
  loop.reset();
  serverMs.length = 0;
});
const stop = () => void running.stop().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Ready only once every signal handler is in place: a SIGUSR2 that came first would kill the server
// (its default action), and the bench would wait for figures that never come.
process.stdout.write(`${JSON.stringify({ url: running.url, dynamoEndpoint: running.dynamoEndpoint, tables: running.tables })}\n`);

function pct(values: number[]): { n: number; p50: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
  return { n: sorted.length, p50: at(50), p99: at(99), max: sorted.at(-1) ?? 0 };
}
