/**
 * The board's API client (board/src/api.ts) against a fake fetch: a 401 asks for sign-in (never a blank
 * page), no answer or a 5xx is "down" (the page shows "reconnecting" and keeps polling), and the next
 * good answer brings the data back. The bearer token goes on every request.
 */
import { describe, expect, it } from 'vitest';
import { apiClient, type FetchLike } from '../../board/src/api.js';
import { duration, esc, secondsUntil } from '../../board/src/format.js';
import { CATALOGS, pickLanguage } from '../../board/src/i18n.js';

function fakeApi(answer: (url: string) => { status: number; body?: unknown } | Error) {
  const seen: Array<{ url: string; auth?: string }> = [];
  const fetch: FetchLike = async (url, init) => {
    seen.push({ url, auth: init.headers.authorization });
    const a = answer(url);
    if (a instanceof Error) throw a;
    return { status: a.status, json: async () => (a.body === undefined ? Promise.reject(new Error('no body')) : a.body) };
  };
  return { fetch, seen };
}

const good = (url: string) => {
  if (url.startsWith('/api/queues')) return { status: 200, body: { now: '2026-05-13T15:00:00.000Z', queues: [] } };
  if (url.startsWith('/api/agents')) return { status: 200, body: { agents: [] } };
  if (url.startsWith('/api/tickets')) return { status: 200, body: { tickets: [{ number: '1' }] } };
  return { status: 200, body: { since: 'x', levels: [], hours: [] } };
};

describe('api client', () => {
  it('sends the token and reads the four routes of the board', async () => {
    const f = fakeApi(good);
    const res = await apiClient({ token: () => 'tok', fetch: f.fetch }).board('2026-05-13T00:00:00.000Z');
    expect(res.ok && res.data.tickets).toEqual([{ number: '1' }]);
    expect(f.seen.map((s) => s.url).sort()).toEqual([
      '/api/agents',
      '/api/queues',
      '/api/stats/hourly?since=2026-05-13T00%3A00%3A00.000Z',
      '/api/tickets?limit=1000',
    ]);
    expect(new Set(f.seen.map((s) => s.auth))).toEqual(new Set(['Bearer tok']));
  });

  it('401 is sign-in, 403 forbidden, no answer or 5xx is down, and it recovers', async () => {
    let mode: 'expired' | 'forbidden' | 'refused' | 'gateway' | 'ok' = 'expired';
    const f = fakeApi((url) =>
      mode === 'expired'
        ? { status: 401, body: { error: 'missing or wrong bearer token' } }
        : mode === 'forbidden'
          ? { status: 403, body: { error: 'no group' } }
          : mode === 'refused'
            ? new TypeError('fetch failed')
            : mode === 'gateway'
              ? { status: 502 }
              : good(url),
    );
    const api = apiClient({ token: () => 'tok', fetch: f.fetch });
    expect(await api.board('x')).toEqual({ ok: false, kind: 'signin', reason: 'missing or wrong bearer token' });
    mode = 'forbidden';
    expect(await api.board('x')).toMatchObject({ ok: false, kind: 'forbidden' });
    mode = 'refused';
    expect(await api.board('x')).toEqual({ ok: false, kind: 'down', reason: 'fetch failed' });
    mode = 'gateway';
    expect(await api.board('x')).toEqual({ ok: false, kind: 'down', reason: 'HTTP 502' });
    mode = 'ok';
    expect((await api.board('x')).ok).toBe(true);
  });

  it('close posts the resolution and gives the reason of a refusal', async () => {
    const bodies: unknown[] = [];
    const fetch: FetchLike = async (_url, init) => {
      bodies.push(init.body);
      return { status: 404, json: async () => ({ error: 'no ticket 9' }) };
    };
    const res = await apiClient({ token: () => 't', fetch }).close('9', ' fixed ');
    expect(res).toEqual({ ok: false, kind: 'error', reason: 'no ticket 9' });
    expect(bodies).toEqual([JSON.stringify({ resolution: 'fixed' })]);
  });
});

describe('format and catalog', () => {
  it('durations, escaping and seconds until', () => {
    expect(duration(0)).toBe('0:00');
    expect(duration(59)).toBe('0:59');
    expect(duration(3600)).toBe('1:00:00');
    expect(duration(-3725)).toBe('1:02:05');
    expect(esc(`<a href="x">'&`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
    expect(secondsUntil('2026-05-13T15:01:00Z', Date.parse('2026-05-13T15:00:00Z'))).toBe(60);
    expect(secondsUntil('not a time', 0)).toBeUndefined();
  });

  it('English and Polish have the same ids and every text renders without holes', () => {
    expect(Object.keys(CATALOGS.pl).sort()).toEqual(Object.keys(CATALOGS.en).sort());
    const anyParams = new Proxy({} as Record<string, string>, { get: (_t, k) => (typeof k === 'string' ? 'X' : undefined) });
    for (const [lang, catalog] of Object.entries(CATALOGS)) {
      for (const [id, fn] of Object.entries(catalog)) expect((fn as (p: object) => string)(anyParams), `${lang} ${id}`).not.toMatch(/undefined|\$\{|^\s*$/);
    }
    expect(pickLanguage(null, ['pl-PL', 'en-US'])).toBe('pl');
    expect(pickLanguage('en', ['pl-PL'])).toBe('en');
    expect(pickLanguage(undefined, ['de-DE'])).toBe('en');
  });
});
