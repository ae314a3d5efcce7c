import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import { afterEach, describe, expect, it } from 'vitest';
import { gatherDigits, Phone } from '../../local/phone.js';
import { runCli } from '../../local/phone-cli.js';

const TOKEN = 'test-token-0123456789abcdef';
const CALLER = '+48601234567';
const LINE = '+18887999666';

/** One request as the fake Twilio-facing server saw it. */
interface Seen {
  method: string;
  path: string;
  query: Record<string, string>;
  params: Record<string, string>;
  idem: string | undefined;
}
type Route = (seen: Seen) => string | { status: number; body: string };

/**
 * A tiny webhook server: checks every request's signature with twilio's own validateRequest over
 * `publicBase + path + query` (403 otherwise, like the real one) and serves scripted TwiML by path.
 */
async function startServer(routes: Record<string, Route>, opts: { publicBase?: string } = {}) {
  const seen: Seen[] = [];
  const rejected: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://x');
      const params = req.method === 'POST' ? Object.fromEntries(new URLSearchParams(body)) : {};
      const signedOver = (opts.publicBase ?? base) + req.url;
      const ok = validateRequest(TOKEN, String(req.headers['x-twilio-signature'] ?? ''), signedOver, params);
      if (!ok) {
        rejected.push(`${req.method} ${req.url}`);
        res.writeHead(403, { 'content-type': 'text/plain' }).end('invalid signature');
        return;
      }
      const s: Seen = {
        method: req.method!,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        params,
        idem: req.headers['i-twilio-idempotency-token'] as string | undefined,
      };
      seen.push(s);
      const route = routes[url.pathname];
      const out = route ? route(s) : { status: 404, body: 'no route' };
      const { status, body: text } = typeof out === 'string' ? { status: 200, body: out } : out;
      res.writeHead(status, { 'content-type': status === 200 ? 'text/xml' : 'text/plain' }).end(text);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  servers.push(server);
  return { base, seen, rejected, close: () => new Promise<void>((r) => server.close(() => r())) };
}
const servers: Array<ReturnType<typeof createServer>> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

const xml = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?><Response>${inner}</Response>`;

/** The happy path of a caller: menu → redirect → account with finishOnKey → enqueue with a wait URL. */
const supportLine: Record<string, Route> = {
  '/twilio/voice': () =>
    xml(
      `<Gather numDigits="1" action="/twilio/call/menu" timeout="5"><Say>Welcome to Contoso support.</Say><Say>For technical support, press 2.</Say></Gather>` +
        `<Say>We did not get that.</Say><Redirect>/twilio/voice?retry=1</Redirect>`,
    ),
  '/twilio/call/menu': (s) =>
    s.params.Digits === '2' ? xml(`<Say>Technical support.</Say><Redirect method="GET">account?lang=en</Redirect>`) : xml('<Hangup/>'),
  '/twilio/call/account': () => xml(`<Say>Please enter your account number, then press pound.</Say><Gather action="account-entered" finishOnKey="#"/>`),
  '/twilio/call/account-entered': () =>
    xml(
      `<Say>Thank you &amp; please hold.</Say><Enqueue waitUrl="/twilio/call/wait" waitUrlMethod="GET" workflowSid="WW0123"><Task timeout="600">{"ticket":"1234","priority":1}</Task></Enqueue><Say>Never heard.</Say>`,
    ),
  '/twilio/call/wait': () => xml(`<Say>You are number 1 in line.</Say><Play>https://example.com/hold.mp3</Play>`),
  '/twilio/status': () => xml(''),
};

describe('Phone against a signature-checking server', () => {
  it('follows menu, redirect, gather and enqueue exactly as Twilio would', async () => {
    const srv = await startServer(supportLine);
    const phone = new Phone({ baseUrl: srv.base, authToken: TOKEN, from: CALLER, to: LINE });
    const call = await phone.call(['27', '40012345#99']);

    expect(srv.rejected).toEqual([]);
    expect(call.error).toBeUndefined();
    expect(call.ended).toBe(true);
    expect(call.endedBy).toBe('enqueue');
    expect(srv.seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'POST /twilio/voice',
      'POST /twilio/call/menu',
      'GET /twilio/call/account',
      'POST /twilio/call/account-entered',
      'GET /twilio/call/wait',
    ]);
    const [voice, menu, account, entered, wait] = srv.seen as [Seen, Seen, Seen, Seen, Seen];
    expect(voice.params).toEqual({
      AccountSid: expect.stringMatching(/^AC[0-9a-f]{32}$/),
      ApiVersion: '2010-04-01',
      CallSid: phone.callSid,
      CallStatus: 'ringing',
      Called: LINE,
      Caller: CALLER,
      Direction: 'inbound',
      From: CALLER,
      To: LINE,
    });
    expect(phone.callSid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(menu.params).toMatchObject({ Digits: '2', CallStatus: 'in-progress', CallSid: phone.callSid, AccountSid: voice.params.AccountSid });
    // a GET carries the call parameters in the query, after the URL's own, and no body
    expect(account.params).toEqual({});
    expect(account.query).toMatchObject({ lang: 'en', CallSid: phone.callSid, From: CALLER, CallStatus: 'in-progress' });
    expect(account.query.Digits).toBeUndefined();
    expect(entered.params).toMatchObject({ Digits: '40012345', FinishedOnKey: '#' });
    expect(wait.query).toMatchObject({ QueuePosition: '1', CallSid: phone.callSid });
    const tokens = srv.seen.map((s) => s.idem);
    expect(tokens.every((t) => typeof t === 'string' && t.length > 10)).toBe(true);
    expect(new Set(tokens).size).toBe(tokens.length);

    expect(call.heard).toEqual([
      'Welcome to Contoso support.',
      'For technical support, press 2.',
      'Technical support.',
      'Please enter your account number, then press pound.',
      'Thank you & please hold.',
      'You are number 1 in line.',
    ]);
    expect(call.prompts).toEqual(['Welcome to Contoso support. For technical support, press 2.', 'Please enter your account number, then press pound.']);
    expect(call.pressed).toEqual(['27', '40012345#99']);
    expect(call.transcript()).toContain('Technical support. | Please enter');
    expect(call.enqueued).toEqual({
      queue: '',
      attrs: { waitUrl: '/twilio/call/wait', waitUrlMethod: 'GET', workflowSid: 'WW0123' },
      task: { text: '{"ticket":"1234","priority":1}', attrs: { timeout: '600' }, json: { ticket: '1234', priority: 1 } },
      waitHeard: ['You are number 1 in line.'],
      waitPlayed: ['https://example.com/hold.mp3'],
    });
    expect(call.events.map((e) => [e.method, e.path.split('?')[0], e.status])).toEqual([
      ['POST', '/twilio/voice', 200],
      ['POST', '/twilio/call/menu', 200],
      ['GET', '/twilio/call/account', 200],
      ['POST', '/twilio/call/account-entered', 200],
      ['GET', '/twilio/call/wait', 200],
    ]);
    expect(call.events[1]!.params.Digits).toBe('2');
    expect(call.events[0]!.body).toContain('<Gather');

    const status = await phone.hangup();
    expect(status.status).toBe(200);
    expect(srv.seen.at(-1)).toMatchObject({ method: 'POST', path: '/twilio/status', params: { CallStatus: 'completed', CallSid: phone.callSid } });
    expect(call.events.at(-1)!.path).toBe('/twilio/status');
  });

  it('silence without actionOnEmptyResult goes on with the verbs after the Gather', async () => {
    const srv = await startServer(supportLine);
    const call = await new Phone({ baseUrl: srv.base, authToken: TOKEN, from: CALLER, to: LINE }).call([null, '3']);
    expect(srv.seen.map((s) => `${s.method} ${s.path} ${s.params.Digits ?? '-'}`)).toEqual([
      'POST /twilio/voice -',
      'POST /twilio/voice -', // the Redirect after the Gather, with ?retry=1
      'POST /twilio/call/menu 3',
    ]);
    expect(srv.seen[1]!.query).toEqual({ retry: '1' });
    expect(call.heard).toContain('We did not get that.');
    expect(call.endedBy).toBe('hangup');
  });

  it('silence (or only the finish key) with actionOnEmptyResult posts Digits=""', async () => {
    const srv = await startServer({
      '/twilio/voice': () =>
        xml(`<Gather numDigits="1" action="/twilio/call/menu" actionOnEmptyResult="true"><Say>Press 2.</Say></Gather><Say>Not reached.</Say>`),
      '/twilio/call/menu': (s) =>
        xml(s.params.Digits ? '<Hangup/>' : `<Gather action="/twilio/call/menu" actionOnEmptyResult="true"><Say>Again.</Say></Gather>`),
    });
    const call = await new Phone({ baseUrl: srv.base, authToken: TOKEN, from: CALLER, to: LINE }).call([null, '#', '9']);
    expect(srv.seen.map((s) => [s.path, s.params.Digits, s.params.FinishedOnKey])).toEqual([
      ['/twilio/voice', undefined, undefined],
      ['/twilio/call/menu', '', ''],
      ['/twilio/call/menu', '', '#'],
      ['/twilio/call/menu', '9', ''],
    ]);
    expect(call.heard).not.toContain('Not reached.');
    expect(call.endedBy).toBe('hangup');
  });

  it('asks a keys function with the prompt (the last Say before an empty Gather) and the Gather attributes', async () => {
    const srv = await startServer(supportLine);
    const asked: Array<[string, Record<string, string>]> = [];
    const call = await new Phone({ baseUrl: srv.base, authToken: TOKEN, from: CALLER, to: LINE }).call(async (prompt, attrs) => {
      asked.push([prompt, { ...attrs }]);
      return /press 2/.test(prompt) ? '2' : /account/.test(prompt) ? '40012345#' : null;
    });
    expect(asked).toEqual([
      ['Welcome to Contoso support. For technical support, press 2.', { numDigits: '1', action: '/twilio/call/menu', timeout: '5' }],
      ['Please enter your account number, then press pound.', { action: 'account-entered', finishOnKey: '#' }],
    ]);
    expect(call.endedBy).toBe('enqueue');
  });

  it('records a Dial with its Queue and url, and does not go on', async () => {
    const srv = await startServer({
      '/twilio/voice': () =>
        xml(
          `<Say>Connecting you.</Say><Dial action="/twilio/agent/after" timeout="20"><Queue url="/twilio/agent/whisper?t=1">technical</Queue><Client>sam</Client></Dial><Say>Not reached.</Say>`,
        ),
    });
    const call = await new Phone({ baseUrl: srv.base, authToken: TOKEN, from: '+15550100001', to: '+15550100000' }).call();
    expect(call.dialed).toEqual({
      attrs: { action: '/twilio/agent/after', timeout: '20' },
      targets: [
        { kind: 'Queue', value: 'technical', url: `${srv.base}/twilio/agent/whisper?t=1`, attrs: { url: '/twilio/agent/whisper?t=1' } },
        { kind: 'Client', value: 'sam', attrs: {} },
      ],
    });
    expect(call.heard).toEqual(['Connecting you.']);
    expect(call.endedBy).toBe('dial');
    expect(srv.seen).toHaveLength(1);
  });

  it('ends on Hangup, Reject, Leave and at the end of the document; skips verbs it does not simulate', async () => {
    const srv = await startServer({
      '/twilio/voice': (s) => {
        const how = s.params.Scenario;
        if (how === 'hangup') return xml('<Say>Bye.</Say><Hangup/><Say>Not reached.</Say>');
        if (how === 'reject') return xml('<Reject reason="busy"/>');
        if (how === 'leave') return xml('<Leave/>');
        return xml('<Record maxLength="5"/><Pause length="2"/><Say>Last words.</Say>');
      },
    });
    const run = (Scenario: string) => new Phone({ baseUrl: srv.base, authToken: TOKEN, from: CALLER, to: LINE, extra: { Scenario } }).call();
    const hangup = await run('hangup');
    expect([hangup.endedBy, hangup.heard]).toEqual(['hangup', ['Bye.']]);
    expect((await run('reject')).endedBy).toBe('reject');
    expect((await run('leave')).endedBy).toBe('leave');
    const end = await run('end');
    expect([end.endedBy, end.heard, end.error]).toEqual(['end-of-document', ['Last words.'], undefined]);
    expect(end.warnings).toEqual(['<Record> is not simulated; skipped']);
  });

  it('passes extra parameters such as StirVerstat on every request', async () => {
    const srv = await startServer(supportLine);
    await new Phone({ baseUrl: srv.base, authToken: TOKEN, from: CALLER, to: LINE, extra: { StirVerstat: 'TN-Validation-Passed-A' } }).call(['2', '1#']);
    expect(srv.seen.filter((s) => s.method === 'POST').every((s) => s.params.StirVerstat === 'TN-Validation-Passed-A')).toBe(true);
    expect(srv.seen.filter((s) => s.method === 'GET').every((s) => s.query.StirVerstat === 'TN-Validation-Passed-A')).toBe(true);
  });

  it('signs over publicBaseUrl and maps its absolute URLs to baseUrl', async () => {
    const PUBLIC = 'https://support.example.com/prod';
    const srv = await startServer(
      {
        '/twilio/voice': () => xml(`<Redirect>${PUBLIC}/twilio/call/next?a=1&amp;b=2</Redirect>`),
        '/twilio/call/next': () => xml(`<Redirect method="GET">again</Redirect>`),
        '/twilio/call/again': () => xml(`<Say>Made it.</Say>`),
      },
      { publicBase: PUBLIC },
    );
    // the server sees /twilio/... and checks signatures over https://support.example.com/prod/twilio/...
    const call = await new Phone({ baseUrl: srv.base, publicBaseUrl: PUBLIC, authToken: TOKEN, from: CALLER, to: LINE }).call();
    expect(srv.rejected).toEqual([]);
    expect(call.error).toBeUndefined();
    expect(call.heard).toEqual(['Made it.']);
    expect(srv.seen.map((s) => s.path)).toEqual(['/twilio/voice', '/twilio/call/next', '/twilio/call/again']);
    expect(srv.seen[1]!.query).toEqual({ a: '1', b: '2' });
  });

  it('a wrong token gets 403: recorded, and the call ends with an error', async () => {
    const srv = await startServer(supportLine);
    const call = await new Phone({ baseUrl: srv.base, authToken: 'wrong', from: CALLER, to: LINE }).call(['2']);
    expect(call.ended).toBe(true);
    expect(call.endedBy).toBe('error');
    expect(call.error).toMatch(/^HTTP 403 from POST \/twilio\/voice: invalid signature/);
    expect(call.events).toHaveLength(1);
    expect(call.events[0]).toMatchObject({ method: 'POST', path: '/twilio/voice', status: 403, body: 'invalid signature' });
    expect(srv.rejected).toEqual(['POST /twilio/voice']);
  });

  it('ends with an error on an HTTP 500 midway, on a non-TwiML answer, and on no server at all', async () => {
    const srv = await startServer({
      '/twilio/voice': (s) => (s.params.Scenario === 'html' ? '<html><body>oops' : xml('<Redirect>/twilio/call/broken</Redirect>')),
      '/twilio/call/broken': () => ({ status: 500, body: 'boom' }),
    });
    const broken = await new Phone({ baseUrl: srv.base, authToken: TOKEN, from: CALLER, to: LINE }).call();
    expect(broken.error).toMatch(/^HTTP 500 from POST \/twilio\/call\/broken: boom/);
    expect(broken.events.map((e) => e.status)).toEqual([200, 500]);
    const html = await new Phone({ baseUrl: srv.base, authToken: TOKEN, from: CALLER, to: LINE, extra: { Scenario: 'html' } }).call();
    expect(html.error).toMatch(/not TwiML/);
    const none = await new Phone({ baseUrl: 'http://127.0.0.1:1', authToken: TOKEN, from: CALLER, to: LINE }).call();
    expect(none.error).toMatch(/could not reach http:\/\/127\.0\.0\.1:1\/twilio\/voice/);
    expect(none.events[0]!.status).toBe(0);
  });

  it('gives up on a redirect loop after maxSteps requests', async () => {
    const srv = await startServer({ '/twilio/voice': () => xml('<Redirect/>') }); // an empty Redirect re-requests the same URL
    const call = await new Phone({ baseUrl: srv.base, authToken: TOKEN, from: CALLER, to: LINE, maxSteps: 7 }).call();
    expect(srv.seen).toHaveLength(7);
    expect(call.error).toMatch(/more than 7 webhook requests/);
  });

  it('duplicateRequests sends each webhook twice with the same idempotency token', async () => {
    const srv = await startServer(supportLine);
    const call = await new Phone({ baseUrl: srv.base, authToken: TOKEN, from: CALLER, to: LINE, duplicateRequests: true }).call(['2', '1#']);
    expect(call.error).toBeUndefined();
    expect(srv.seen).toHaveLength(10);
    for (let i = 0; i < 10; i += 2) expect(srv.seen[i]!.idem).toBe(srv.seen[i + 1]!.idem);
    expect(call.events.filter((e) => e.replay)).toHaveLength(5);
  });

  it('refuses to place its call twice', async () => {
    const srv = await startServer(supportLine);
    const phone = new Phone({ baseUrl: srv.base, authToken: TOKEN, from: CALLER, to: LINE });
    await phone.call(['2', '1#']);
    await expect(phone.call()).rejects.toThrow(/already/);
  });
});

describe('gatherDigits: what Twilio posts as Digits', () => {
  it.each([
    ['27', { numDigits: '1' }, '2'],
    ['123456789', { numDigits: '6' }, '123456'],
    ['1234#', { numDigits: '6' }, '1234'],
    ['123#45', {}, '123'],
    ['123', {}, '123'], // no finish key: the timeout submits what was typed
    ['#', {}, ''],
    ['12*3', { finishOnKey: '*' }, '12'],
    ['12#3', { finishOnKey: '*' }, '12#3'],
    ['12#3', { finishOnKey: '' }, '12#3'],
    [' 4 2 ', {}, '42'],
    ['12', { input: 'speech' }, ''],
    ['12', { input: 'dtmf speech' }, '12'],
    [null, {}, ''],
    ['', { numDigits: '1' }, ''],
  ] as Array<[string | null, Record<string, string>, string]>)('%j with %j → %j', (keys, attrs, digits) => {
    expect(gatherDigits(keys, attrs)).toBe(digits);
  });

  it('throws on keys a phone does not have', () => {
    expect(() => gatherDigits('12a')).toThrow(TypeError);
  });
});

describe('phone CLI', () => {
  const tokenDir = () => {
    const root = mkdtempSync(join(tmpdir(), 'phone-cli-'));
    mkdirSync(join(root, '.local'));
    writeFileSync(join(root, '.local', 'dev-token'), TOKEN + '\n');
    return root;
  };
  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l) } };
  };

  it('answers from --keys, prints SAY/PROMPT/PRESS lines and the queue, reads the dev token file, exits 0', async () => {
    const srv = await startServer(supportLine);
    const c = capture();
    const code = await runCli(['--to', LINE, '--from', CALLER, '--keys', ',3', '--base', srv.base], { ...c.io, env: {}, projectRoot: tokenDir() });
    expect(code).toBe(0);
    expect(c.out).toContain('SAY: Welcome to Contoso support.');
    expect(c.out).toContain('PROMPT: Welcome to Contoso support. For technical support, press 2. [1 key, end with #]');
    expect(c.out).toContain('PRESS: (silence)');
    expect(c.out).toContain('PRESS: 3');
    expect(c.out).toContain('END: hangup');
    expect(c.out).toContain('STATUS: completed -> 200'); // the call is over: Twilio's status callback follows
    expect(srv.seen.at(-1)!.path).toBe('/twilio/status');
  });

  it('reads keys line by line from the keyboard (an empty line = silence) and shows the queue outcome', async () => {
    const srv = await startServer(supportLine);
    const c = capture();
    const stdin = Readable.from(['\n', '2\n', '40012345#\n']);
    const code = await runCli(['--to', LINE, '--from', CALLER, '--base', srv.base, '--token', TOKEN, '--stir', 'a'], { ...c.io, env: {}, stdin });
    expect(code).toBe(0);
    expect(srv.seen.filter((s) => s.params.Digits !== undefined).map((s) => s.params.Digits)).toEqual(['2', '40012345']);
    expect(srv.seen[0]!.params.StirVerstat).toBe('TN-Validation-Passed-A');
    expect(c.out).toContain('SAY: You are number 1 in line.');
    expect(c.out).toContain('QUEUE: (unnamed) waitUrl=/twilio/call/wait waitUrlMethod=GET workflowSid=WW0123');
    expect(c.out).toContain('TASK: {"ticket":"1234","priority":1}');
    expect(c.out.filter((l) => l.startsWith('KEYS>'))).toHaveLength(3);
    expect(srv.seen.some((s) => s.path === '/twilio/status')).toBe(false); // still waiting in the queue
  });

  it('--hangup posts the status callback after the caller was queued', async () => {
    const srv = await startServer(supportLine);
    const c = capture();
    expect(await runCli(['--to', LINE, '--from', CALLER, '--keys', '2,1#', '--base', srv.base, '--token', TOKEN, '--hangup'], { ...c.io, env: {} })).toBe(0);
    expect(srv.seen.at(-1)).toMatchObject({ path: '/twilio/status', params: { CallStatus: 'completed' } });
  });

  it('exits 1 with a hint on a refused signature, 2 without a token or with bad keys', async () => {
    const srv = await startServer(supportLine);
    const c = capture();
    expect(await runCli(['--to', LINE, '--from', CALLER, '--keys', '2', '--base', srv.base, '--token', 'nope'], { ...c.io, env: {} })).toBe(1);
    expect(c.out.some((l) => l.startsWith('ERROR: HTTP 403'))).toBe(true);
    expect(c.err.join('\n')).toMatch(/HINT: 403/);

    const none = capture();
    const empty = mkdtempSync(join(tmpdir(), 'phone-cli-'));
    expect(await runCli(['--to', LINE, '--from', CALLER, '--base', srv.base], { ...none.io, env: {}, projectRoot: empty })).toBe(2);
    expect(none.err.join('\n')).toMatch(/--token/);

    const bad = capture();
    expect(await runCli(['--to', LINE, '--from', CALLER, '--keys', '2,x', '--token', TOKEN], { ...bad.io, env: {} })).toBe(2);
    expect(await runCli(['--from', CALLER], { ...bad.io, env: {} })).toBe(2);
  });

  it('defaults the base URL to PUBLIC_BASE_URL, then to 127.0.0.1:$PORT', async () => {
    const srv = await startServer(supportLine);
    const port = new URL(srv.base).port;
    const a = capture();
    expect(await runCli(['--to', LINE, '--from', CALLER, '--keys', '3'], { ...a.io, env: { PORT: port, TWILIO_AUTH_TOKEN: TOKEN } })).toBe(0);
    const b = capture();
    expect(await runCli(['--to', LINE, '--from', CALLER, '--keys', '3'], { ...b.io, env: { PUBLIC_BASE_URL: srv.base, TWILIO_AUTH_TOKEN: TOKEN } })).toBe(0);
    expect(srv.seen.filter((s) => s.path === '/twilio/voice')).toHaveLength(2);
  });
});

describe('staying on the line (--stay)', () => {
  it('holds in the queue, following the wait URL again, and hangs up with the status callback when released', async () => {
    const srv = await startServer(supportLine);
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const c: string[] = [];
    const holding = runCli(['--to', LINE, '--from', CALLER, '--keys', '2,40012345#', '--base', srv.base, '--token', TOKEN, '--stay'], {
      out: (l) => void c.push(l),
      err: (l) => void c.push(l),
      env: {},
      hold: () => released,
    });
    // Twilio requests the wait URL when the caller joins and keeps the caller on hold; so does the phone.
    for (let i = 0; i < 100 && srv.seen.filter((s) => s.path === '/twilio/call/wait').length < 1; i++) await new Promise((r) => setTimeout(r, 20));
    expect(srv.seen.some((s) => s.path === '/twilio/status')).toBe(false); // still on the line
    release();
    expect(await holding).toBe(0);
    expect(c).toContain('END: hangup');
    expect(c).toContain('STATUS: completed -> 200');
    expect(srv.seen.at(-1)!.path).toBe('/twilio/status');
  });

  it('refreshes the wait URL while holding', async () => {
    const srv = await startServer(supportLine);
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const phone = new Phone({ baseUrl: srv.base, authToken: TOKEN, from: CALLER, to: LINE, hold: () => released, holdRefreshMs: 30 });
    const call = phone.call(['2', '40012345#']);
    for (let i = 0; i < 200 && srv.seen.filter((s) => s.path === '/twilio/call/wait').length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    release();
    const result = await call;
    expect(srv.seen.filter((s) => s.path === '/twilio/call/wait').length).toBeGreaterThanOrEqual(3);
    expect(result.endedBy).toBe('hangup');
  });

  it('a hold script drives the wait URL itself (holdRefreshMs 0): what it played and said, QueueTime, and a key that leaves the queue', async () => {
    let waits = 0;
    const line: Record<string, Route> = {
      '/twilio/voice': () => xml(`<Enqueue waitUrl="/twilio/call/wait" action="/twilio/call/result">technical</Enqueue>`),
      '/twilio/call/wait': () =>
        xml(
          `<Gather numDigits="1" action="/twilio/call/key" timeout="1"><Say>Announcement ${++waits}.</Say><Play>https://example.com/hold.mp3</Play></Gather>`,
        ),
      '/twilio/call/key': (s) =>
        s.params.Digits === '1' ? xml(`<Leave/>`) : xml(`<Say>That key does nothing.</Say><Play>https://example.com/hold.mp3</Play>`),
      '/twilio/call/result': (s) => xml(`<Say>Left with ${s.params.QueueResult}.</Say><Hangup/>`),
    };
    const srv = await startServer(line);
    const said: string[][] = [];
    const phone = new Phone({
      baseUrl: srv.base,
      authToken: TOKEN,
      from: CALLER,
      to: LINE,
      holdRefreshMs: 0,
      hold: async (on) => {
        expect(on.enqueued?.queue).toBe('technical');
        said.push(await on.waitAgain());
        said.push(await on.waitAgain('7'));
        said.push(await on.waitAgain('1'));
        said.push(await on.waitAgain()); // out of the queue: nothing more is requested
      },
    });
    const result = await phone.call([null]);
    expect(said).toEqual([['Announcement 2.'], ['Announcement 3.', 'That key does nothing.'], ['Announcement 4.'], []]);
    expect(srv.seen.filter((s) => s.path === '/twilio/call/wait')).toHaveLength(4);
    expect(srv.seen.filter((s) => s.path === '/twilio/call/key').map((s) => s.params.Digits)).toEqual(['7', '1']);
    expect(new Set(srv.seen.filter((s) => s.path === '/twilio/call/wait').map((s) => s.params.QueueSid)).size).toBe(1);
    expect(srv.seen.find((s) => s.path === '/twilio/call/wait')!.params.QueueTime).toBe('0');
    expect(result.enqueued!.waitPlayed).toEqual(Array(5).fill('https://example.com/hold.mp3'));
    expect(srv.seen.at(-1)!.params.QueueResult).toBe('leave');
    expect(result.heard.at(-1)).toBe('Left with leave.');
    expect(result.endedBy).toBe('hangup');
  });

  it('a hold script sees each Dial it holds', async () => {
    const line: Record<string, Route> = {
      '/twilio/voice': () => xml(`<Dial action="/twilio/agent/done" callerId="+18887999666"><Number url="/twilio/agent/answered">+48601111222</Number></Dial>`),
      '/twilio/agent/done': () => xml(`<Say>Done.</Say><Hangup/>`),
    };
    const srv = await startServer(line);
    const seen: unknown[] = [];
    const phone = new Phone({ baseUrl: srv.base, authToken: TOKEN, from: CALLER, to: LINE, hold: async (on) => void seen.push(on.dialed) });
    const result = await phone.call([]);
    expect(seen).toEqual([
      {
        attrs: { action: '/twilio/agent/done', callerId: '+18887999666' },
        targets: [{ kind: 'Number', value: '+48601111222', url: `${srv.base}/twilio/agent/answered`, attrs: { url: '/twilio/agent/answered' } }],
      },
    ]);
    expect(result.heard).toEqual(['Done.']);
  });

  it('an agent bridged with <Dial action> goes on past the bridge when released: the wrap-up keys, then the end', async () => {
    const agentLine: Record<string, Route> = {
      '/twilio/voice': () => xml(`<Say>Ticket 1000001.</Say><Dial action="/twilio/agent/after"><Queue>technical</Queue></Dial>`),
      '/twilio/agent/after': (s) =>
        s.params.DialCallStatus === 'completed'
          ? xml(`<Gather numDigits="1" action="/twilio/agent/wrap"><Say>Press 1 if resolved, 2 if still open.</Say></Gather>`)
          : xml('<Hangup/>'),
      '/twilio/agent/wrap': (s) => xml(`<Say>${s.params.Digits === '1' ? 'Closed.' : 'Kept open.'}</Say><Hangup/>`),
      '/twilio/status': () => xml(''),
    };
    const srv = await startServer(agentLine);
    const phone = new Phone({ baseUrl: srv.base, authToken: TOKEN, from: CALLER, to: LINE, hold: async () => undefined });
    const result = await phone.call(['1']);
    expect(result.error).toBeUndefined();
    expect(result.heard).toEqual(['Ticket 1000001.', 'Press 1 if resolved, 2 if still open.', 'Closed.']);
    expect(result.endedBy).toBe('hangup');
  });
});
