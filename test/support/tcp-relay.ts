/**
 * A TCP relay in front of a server (any DynamoDB endpoint), for fault tests that must not depend on
 * which engine is behind it:
 * - `blackHole()`: new connections are accepted and never answered, and bytes on open ones are swallowed
 *   (a hung database, a dropped route): the client sees nothing, neither an answer nor an error.
 * - `refuse()`: the listener is closed and open connections are cut (the database went away).
 * - `pass()`: back to relaying, on the same port.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export type RelayMode = 'pass' | 'blackHole' | 'refuse';

export interface TcpRelay {
  /** `http://127.0.0.1:<port>` of the relay. */
  endpoint: string;
  port: number;
  mode(): RelayMode;
  pass(): Promise<void>;
  blackHole(): Promise<void>;
  refuse(): Promise<void>;
  close(): Promise<void>;
}

/** `target` is `http://host:port` (the scheme is ignored: the relay copies bytes). */
export async function startTcpRelay(target: string): Promise<TcpRelay> {
  const url = new URL(target);
  const host = url.hostname === 'localhost' ? '127.0.0.1' : url.hostname;
  const targetPort = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  let mode: RelayMode = 'pass';
  const open = new Set<Socket>();

  const track = (s: Socket) => {
    open.add(s);
    s.once('close', () => open.delete(s));
  };
  const cutAll = () => {
    for (const s of open) s.destroy();
    open.clear();
  };

  const server: Server = createServer((client) => {
    track(client);
    client.on('error', () => client.destroy());
    if (mode === 'blackHole') {
      client.resume(); // read and drop: the request is "sent", the answer never comes
      return;
    }
    const upstream = connect(targetPort, host);
    track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as AddressInfo).port;

  const closeListener = () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));

  const relay: TcpRelay = {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    mode: () => mode,
    pass: async () => {
      if (mode === 'refuse') await listen(port);
      mode = 'pass';
    },
    blackHole: async () => {
      if (mode === 'refuse') await listen(port);
      mode = 'blackHole';
      // Connections opened before keep relaying otherwise; a hang must hang every request.
      for (const s of open) {
        s.unpipe();
        s.removeAllListeners('data');
        s.resume();
      }
    },
    refuse: async () => {
      if (mode === 'refuse') return;
      mode = 'refuse';
      const closed = closeListener();
      cutAll();
      await closed;
    },
    close: async () => {
      const closed = closeListener();
      cutAll();
      await closed;
    },
  };
  return relay;
}
