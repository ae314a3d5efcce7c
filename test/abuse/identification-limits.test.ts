/**
 * Attacks on identification, tried through the real webhook stack: guessing account numbers, spending an
 * organization's codes from one number, guessing codes. Each limit holds (also when the attempts come at
 * once), each refusal and wrong number is audited, and a legitimate caller from another number is not blocked.
 *
 * The attempts that come at once run on the embedded DynamoDB, where its conditional writes are what hold
 * the limit end to end; the ones in a row run on the in-memory stores (held to the DynamoDB adapters,
 * concurrent writes included, by test/contract/), a tenth of the time for the same flows.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { NO_ORG } from '../../functions/app/caller-flow/limits.js';
import { CODE_FAILURE_STREAK } from '../../functions/domain/abuse-limits.js';
import { startDynamo, type EmbeddedDynamo } from '../support/embedded-dynamo.js';
import { startHarness, type Answer, type Harness, type TestCall } from '../support/voice-harness.js';
import { ACCOUNTS, LINES, PHONES } from '../support/line-data.js';

let dynamo: Promise<EmbeddedDynamo> | undefined;
let h: Harness;
let pages: Array<{ subject: string; body: string }>;

/** A fresh line for the test (its own tables or stores), on the in-memory stores or the embedded DynamoDB. */
async function line(stores: 'in-memory' | 'dynamodb'): Promise<void> {
  h = await startHarness(stores === 'dynamodb' ? { dynamo: await (dynamo ??= startDynamo()) } : {});
  pages = [];
  h.deps.pager = { page: async (subject, body) => void pages.push({ subject, body }) };
}
afterEach(async () => {
  await h.stop();
});
afterAll(async () => {
  await (await dynamo)?.stop();
});

const ACCOUNT_PROMPT = "Please enter your organization's account number, then press the pound key.";
const ACCOUNT_INVALID = 'Sorry, we could not find that account number.';
const ACCOUNT_LIMIT = 'Too many account numbers were tried from your phone number. Please use our web support. Goodbye.';
const CALLER_CODES = 'Too many codes were requested from your phone number in the last 10 minutes. Please try again in 10 minutes. Goodbye.';
const CODES_PAUSED = 'Code verification for your organization is paused for an hour after too many wrong codes. Please use our web support. Goodbye.';
const SMS_SENT = 'We sent a verification code by text message to the phone ending in 67.';

const caller = (i: number) => `+1415555${String(4000 + i)}`;

async function atAccountPrompt(from: string): Promise<TestCall> {
  const call = h.call(from, LINES.us);
  await call.start();
  const a = await call.press('2');
  expect(a.says).toEqual([ACCOUNT_PROMPT]);
  return call;
}

const wrongAccount = (i: number) => String(90_000_000 + i);
const audit = async (org: string, result: string) => (await h.deps.audit.forOrg(org, 1000)).filter((e) => e.result === result);

describe('wrong account numbers: at most 10 per calling number per hour, across calls', () => {
  it('the 11th wrong number ends the call with the web support, even a right one is not looked up; every wrong number is audited', async () => {
    await line('in-memory');
    const from = caller(1);
    let guesses = 0;
    for (let c = 0; c < 3; c++) {
      const call = await atAccountPrompt(from);
      for (let i = 0; i < 3; i++) await call.press(wrongAccount(guesses++));
      expect(call.last!.verbs.at(-1)).toBe('Hangup');
    }
    const fourth = await atAccountPrompt(from);
    expect((await fourth.press(wrongAccount(guesses++))).says).toEqual([ACCOUNT_INVALID, ACCOUNT_PROMPT]);
    const refused = await fourth.press(ACCOUNTS.contoso);
    expect(refused.says).toEqual([ACCOUNT_LIMIT]);
    expect(refused.verbs).toEqual(['Say', 'Hangup']);
    expect(await audit(NO_ORG, 'account-not-found')).toHaveLength(10);
    expect((await audit(NO_ORG, 'rate-limited')).map((e) => e.caller)).toEqual([from]);
    expect(await audit('contoso', 'account-found')).toHaveLength(0);
    // A legitimate caller from another number reaches the code at once.
    const other = await atAccountPrompt(caller(2));
    expect((await other.press(ACCOUNTS.contoso)).says[0]).toMatch(/^Press 1|text message/);
    // Once the slice of the first guesses (10 minutes) is an hour old, the number may try again.
    h.clock.now += 3_600_000 + 600_000;
    const later = await atAccountPrompt(from);
    expect((await later.press(ACCOUNTS.contoso)).says[0]).toMatch(/^Press 1|text message/);
  });

  it('a right account number does not count: a caller who typed it 20 times is never refused', async () => {
    await line('in-memory');
    for (let i = 0; i < 20; i++) {
      const call = await atAccountPrompt(caller(3));
      expect((await call.press(ACCOUNTS.contoso)).says[0]).not.toBe(ACCOUNT_LIMIT);
    }
    expect(await audit(NO_ORG, 'rate-limited')).toHaveLength(0);
  });

  it('30 calls guessing at once from one number: exactly 10 numbers are looked up, the rest hear the web support', async () => {
    await line('dynamodb');
    const calls = await Promise.all(Array.from({ length: 30 }, () => atAccountPrompt(caller(4))));
    const answers: Answer[] = await Promise.all(calls.map((c, i) => c.press(wrongAccount(100 + i))));
    const looked = answers.filter((a) => a.says[0] === ACCOUNT_INVALID).length;
    const refused = answers.filter((a) => a.says[0] === ACCOUNT_LIMIT).length;
    // The harness gives each request a minute of store time (voice-harness.ts), so a loaded machine cannot
    // turn a guess into an apology here: every one is either looked up or refused.
    expect(looked + refused).toBe(30);
    expect(looked).toBe(10);
    expect(await audit(NO_ORG, 'account-not-found')).toHaveLength(looked);
    expect(await audit(NO_ORG, 'rate-limited')).toHaveLength(refused);
  });
});

/** A stranger for Contoso (two channels) who asks for a text. */
async function askCode(from: string): Promise<{ call: TestCall; a: Answer }> {
  const call = await atAccountPrompt(from);
  await call.press(ACCOUNTS.contoso);
  return { call, a: await call.press('1') };
}

describe('code sends: at most 2 per calling number per 10 minutes, before the organization’s 5', () => {
  it('a stranger cannot spend the organization’s codes: the third from one number is refused, the admin from another still gets one', async () => {
    await line('in-memory');
    expect((await askCode(caller(10))).a.says[0]).toBe(SMS_SENT);
    expect((await askCode(caller(10))).a.says[0]).toBe(SMS_SENT);
    const third = await askCode(caller(10));
    expect(third.a.says).toEqual([CALLER_CODES]);
    expect(third.a.verbs).toEqual(['Say', 'Hangup']);
    expect(h.texts()).toHaveLength(2);
    expect((await audit('contoso', 'rate-limited')).map((e) => e.caller)).toEqual([caller(10)]);
    expect((await askCode(caller(11))).a.says[0]).toBe(SMS_SENT);
    expect(h.texts()).toHaveLength(3);
    h.clock.now += 600_000 + 60_000;
    expect((await askCode(caller(10))).a.says[0]).toBe(SMS_SENT);
  });

  it('12 calls from one number asking at once: exactly 2 codes go out', async () => {
    await line('dynamodb');
    const calls: TestCall[] = [];
    for (let i = 0; i < 12; i++) {
      const call = await atAccountPrompt(caller(12));
      await call.press(ACCOUNTS.contoso);
      calls.push(call);
    }
    const answers = await Promise.all(calls.map((c) => c.press('1')));
    expect(answers.filter((a) => a.says[0] === SMS_SENT)).toHaveLength(2);
    expect(answers.filter((a) => a.says[0] === CALLER_CODES)).toHaveLength(10);
    expect(h.texts()).toHaveLength(2);
    expect(await audit('contoso', 'rate-limited')).toHaveLength(10);
  });
});

function wrongCode(): string {
  const right = h.lastCode();
  return right === '111111' ? '222222' : '111111';
}

describe('wrong codes in a row per organization: paged, then refused for an hour', () => {
  it('the 10th wrong entry in a row pauses code verification once, with one page; other organizations and caller-ID callers go on', async () => {
    await line('in-memory');
    const first = await askCode(caller(20));
    for (let i = 0; i < 5; i++) await first.call.press(wrongCode());
    expect(first.call.last!.says[0]).toMatch(/^That code can no longer be used|too many/i);
    const second = await askCode(caller(21));
    for (let i = 0; i < 4; i++) expect((await second.call.press(wrongCode())).says[0]).not.toBe(CODES_PAUSED);
    const tenth = await second.call.press(wrongCode());
    expect(tenth.says).toEqual([CODES_PAUSED]);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.subject).toBe('Code verification paused: Contoso');
    expect(pages[0]!.body).toContain(`${CODE_FAILURE_STREAK.max} wrong verification codes in a row`);
    // A new caller for Contoso gets no code (and no text goes out) during the hour.
    const textsBefore = h.texts().length;
    const third = await askCode(caller(22));
    expect(third.a.says).toEqual([CODES_PAUSED]);
    expect(h.texts()).toHaveLength(textsBefore);
    expect((await audit('contoso', 'rate-limited')).length).toBeGreaterThanOrEqual(1);
    // Another organization's code verification is not paused.
    const mail = await atAccountPrompt(caller(23));
    expect((await mail.press(ACCOUNTS.mailonly)).says[0]).toMatch(/^We sent a verification code by email/);
    // A registered caller of Contoso is identified by caller ID and goes on to the priority menu.
    const ada = h.call(PHONES.ada, LINES.us);
    await ada.start();
    expect((await ada.press('2')).says[0]).toBe('Hello Ada from Contoso.');
    // After the hour, codes go out again.
    h.clock.now += CODE_FAILURE_STREAK.lockMs;
    expect((await askCode(caller(24))).a.says[0]).toBe(SMS_SENT);
    expect(pages).toHaveLength(1);
  });

  it('a right code ends the run: 9 wrong, one right, 9 wrong again never pause', async () => {
    await line('in-memory');
    const a = await askCode(caller(30));
    for (let i = 0; i < 4; i++) await a.call.press(wrongCode());
    const b = await askCode(caller(31));
    for (let i = 0; i < 4; i++) await b.call.press(wrongCode());
    const c = await askCode(caller(32));
    await c.call.press(wrongCode());
    expect((await c.call.press(h.lastCode())).says[0]).toBe('Thank you, you are verified.');
    const d = await askCode(caller(33));
    for (let i = 0; i < 4; i++) expect((await d.call.press(wrongCode())).says[0]).not.toBe(CODES_PAUSED);
    expect(pages).toHaveLength(0);
  });
});
