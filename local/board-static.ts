/**
 * `GET /board` in local mode (contract §6): the board's page, built in memory from board/src at start
 * (board/build.ts), and its `config.json` (sign in with the API token).
 */
import type { ServerResponse } from 'node:http';
import { buildBoard, type BoardFiles } from '../board/build.js';

const TYPES: Record<string, string> = { html: 'text/html', js: 'text/javascript', css: 'text/css', json: 'application/json' };

export async function boardPages(): Promise<(path: string, res: ServerResponse) => boolean> {
  const files: BoardFiles & { 'config.json': string } = { ...(await buildBoard()), 'config.json': JSON.stringify({ auth: 'token' }) };
  return (path, res) => {
    if (path !== '/board' && !path.startsWith('/board/')) return false;
    const name = path === '/board' || path === '/board/' ? 'index.html' : path.slice('/board/'.length);
    const body = (files as unknown as Record<string, string>)[name];
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`no board file ${name}`);
      return true;
    }
    res.writeHead(200, {
      'content-type': `${TYPES[name.split('.').pop()!]}; charset=utf-8`,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      ...(name === 'index.html' ? { 'content-security-policy': "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'" } : {}),
    });
    res.end(body);
    return true;
  };
}
