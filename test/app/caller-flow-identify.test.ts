/**
 * Contract §2.2 and §2.3 through the real webhook stack: caller ID per the organization's verification
 * policy, the account number, the verification code (channels, masking, limits, expiry, delivery
 * failures), with SNS and SES mocked at the SDK client and asserted command by command.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SNSServiceException } from '@aws-sdk/client-sns';
import { SESv2ServiceException } from '@aws-sdk/client-sesv2';
import { SES_FROM, WEDNESDAY_11_NY, gatherSays, startHarness, stepOf, type Answer, type Harness, type TestCall } from '../support/voice-harness.js';
import { ACCOUNTS, LINES, PHONES, lineData } from '../support/line-data.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.stop();
});

const ACCOUNT_PROMPT = "Please enter your organization's account number, then press the pound key.";
const ACCOUNT_INVALID = 'Sorry, we could not find that account number.';
const CODE_PROMPT = 'Please enter the 6 digit code.';
const PRIORITY_INTRO = 'Choose a priority.';

function expectGather(a: Answer, step: string, s: number, attrs: Record<string, string>): void {
  expect(a.gather, a.xml).toBeDefined();
  expect(stepOf(a)).toEqual({ step, s });
  const { numDigits, finishOnKey, timeout, input, method, actionOnEmptyResult } = a.gather!.attrs;
  expect({ numDigits, finishOnKey, timeout, input, method, actionOnEmptyResult }).toEqual({
    numDigits: undefined,
    input: 'dtmf',
    method: 'POST',
    actionOnEmptyResult: 'true',
    ...attrs,
  });
}

const ONE_KEY = { numDigits: '1', finishOnKey: '', timeout: '6' };
const ACCOUNT_KEYS = { finishOnKey: '#', timeout: '10' };
// v2 (issue 13): six digits end the code without `#`; `#` still ends it early.
const CODE_KEYS = { numDigits: '6', finishOnKey: '#', timeout: '10' };

/** Menu "2" (technical) on the US line. */
async function toIdentification(call: TestCall): Promise<Answer> {
  await call.start();
  return call.press('2');
}

/** An unregistered caller for Contoso up to the channel choice. */
async function contosoStranger(from: string = PHONES.stranger): Promise<TestCall> {
  const call = h.call(from, LINES.us);
  await toIdentification(call);
  await call.press(ACCOUNTS.contoso);
  return call;
}

async function codeRecord(call: TestCall) {
  return h.deps.codes.get(call.callSid);
}

describe('caller ID', () => {
  it('a registered admin of a caller-id organization is greeted by name and asked for the priority', async () => {
    const call = h.call(PHONES.ada, LINES.us);
    const a = await toIdentification(call);
    expect(a.verbs).toEqual(['Gather']); // v2 §2.7: what is said before a prompt is inside its Gather
    expect(a.says.slice(0, 2)).toEqual(['Hello Ada from Contoso.', PRIORITY_INTRO]);
    expectGather(a, 'priority', 2, { numDigits: '1', finishOnKey: '', timeout: '8' });
    expect(await h.deps.calls.get(call.callSid)).toMatchObject({
      orgId: 'contoso',
      personName: 'Ada',
      role: 'admin',
      verifiedBy: 'caller-id',
      expect: 'priority',
    });
    expect(h.delivered).toEqual([]);
    const audit = await h.deps.audit.forOrg('contoso');
    expect(audit).toEqual([
      { org: 'contoso', caller: PHONES.ada, callSid: call.callSid, method: 'caller-id', result: 'verified', at: new Date(WEDNESDAY_11_NY).toISOString() },
    ]);
  });

  it('an always-code organization gets a code even for a registered number, without asking the account', async () => {
    const call = h.call(PHONES.nia, LINES.us);
    const a = await toIdentification(call);
    expect(a.verbs).toEqual(['Gather']);
    expect(gatherSays(a.gather!)).toEqual([
      'To receive a verification code by text message to the phone ending in 42, press 1.',
      'To receive it by email at o…@northwind.example, press 2.',
    ]);
    expectGather(a, 'channel', 2, ONE_KEY);
    expect(await h.deps.calls.get(call.callSid)).toMatchObject({ orgId: 'northwind', personName: 'Nia' });
    expect((await h.deps.calls.get(call.callSid))?.verifiedBy).toBeUndefined();
  });

  it('stir-shaken: attestation A is trusted', async () => {
    const call = h.call(PHONES.sid, LINES.us, { StirVerstat: 'TN-Validation-Passed-A' });
    const a = await toIdentification(call);
    expect(a.says.slice(0, 2)).toEqual(['Hello Sid from Stir Co.', PRIORITY_INTRO]);
    expect(await h.deps.calls.get(call.callSid)).toMatchObject({ verifiedBy: 'caller-id', orgId: 'stirco' });
    expect((await h.deps.audit.forOrg('stirco')).map((e) => [e.method, e.result])).toEqual([['stir-shaken', 'verified']]);
  });

  it('stir-shaken: attestation B or C, a failed one, or none falls back to a code (one channel: sent at once)', async () => {
    for (const StirVerstat of ['TN-Validation-Passed-B', 'TN-Validation-Passed-C', 'TN-Validation-Failed-A', undefined]) {
      // One calling number may have 2 codes sent per 10 minutes: these calls are 10 minutes apart.
      h.clock.now += 600_000;
      const call = h.call(PHONES.sid, LINES.us, StirVerstat ? { StirVerstat } : {});
      const a = await toIdentification(call);
      expect(a.says).toEqual(['We sent a verification code by text message to the phone ending in 55.', CODE_PROMPT]);
      expectGather(a, 'code', 2, CODE_KEYS);
      expect((await h.deps.calls.get(call.callSid))?.verifiedBy).toBeUndefined();
    }
    expect(h.texts().map((t) => t.to)).toEqual(Array(4).fill('+14155550155'));
    const audit = await h.deps.audit.forOrg('stirco');
    expect(audit.filter((e) => e.result === 'attestation-missing')).toHaveLength(4);
  });

  // v2 (contract §2.2, issue 13): a person registered in two organizations is asked which one by name, not for the account number.
  it('a number registered in two organizations is asked which one by name (1..N), then each one’s policy applies', async () => {
    const data = lineData();
    data.organizations.find((o) => o.id === 'northwind')!.people.push({ name: 'Ada N', phone: PHONES.ada, role: 'admin' });
    await h.stop();
    h = await startHarness({ data });
    const toContoso = h.call(PHONES.ada, LINES.us);
    let a = await toIdentification(toContoso);
    expect(a.says).toEqual(['Which organization are you calling for?', 'For Contoso, press 1.', 'For Northwind, press 2.']);
    expectGather(a, 'org', 2, ONE_KEY);
    a = await toContoso.press('*');
    expect(a.says).toEqual(['Which organization are you calling for?', 'For Contoso, press 1.', 'For Northwind, press 2.']);
    expect((await h.deps.calls.get(toContoso.callSid))?.tries).toBe(0);
    a = await toContoso.press('7');
    expect(a.says[0]).toBe('Sorry, that is not one of the options.');
    a = await toContoso.press('1');
    expect(a.says.slice(0, 2)).toEqual(['Hello Ada from Contoso.', PRIORITY_INTRO]);
    expect(await h.deps.calls.get(toContoso.callSid)).toMatchObject({ orgId: 'contoso', verifiedBy: 'caller-id' });
    const toNorthwind = h.call(PHONES.ada, LINES.us);
    await toIdentification(toNorthwind);
    a = await toNorthwind.press('2');
    expect(stepOf(a)).toEqual({ step: 'channel', s: 3 });
    expect((await h.deps.calls.get(toNorthwind.callSid))?.verifiedBy).toBeUndefined();
  });

  it('a caller ID the line cannot trust (withheld) is asked for the account number', async () => {
    const call = h.call('anonymous', LINES.us);
    const a = await toIdentification(call);
    expect(a.says).toEqual([ACCOUNT_PROMPT]);
    expectGather(a, 'account', 2, ACCOUNT_KEYS);
  });
});

describe('account number', () => {
  it('an unknown caller enters the account and hears both channels, masked, never in full', async () => {
    const call = h.call(PHONES.stranger, LINES.us);
    let a = await toIdentification(call);
    expect(a.says).toEqual([ACCOUNT_PROMPT]);
    expectGather(a, 'account', 2, ACCOUNT_KEYS);
    a = await call.press(ACCOUNTS.contoso);
    expect(a.verbs).toEqual(['Gather']);
    expect(a.says).toEqual([
      'To receive a verification code by text message to the phone ending in 67, press 1.',
      'To receive it by email at i…@contoso.example, press 2.',
    ]);
    expect(a.xml).not.toContain('+48601234567');
    expect(a.xml).not.toContain('it@contoso.example');
    expectGather(a, 'channel', 3, ONE_KEY);
    expect((await h.deps.audit.forOrg('contoso')).map((e) => [e.method, e.result])).toEqual([['account', 'account-found']]);
  });

  // v2 (contract §2.7): `*` repeats the prompt without a try, so it is no longer one of the bad entries here (tested below).
  it('letters, 10,000 digits, "0", too short and unknown numbers each get a clear answer; the third ends the call', async () => {
    for (const bad of [
      ['4001234a', '4'.repeat(10_000), '0'],
      ['123', '00', '99999999'],
    ]) {
      const call = h.call(PHONES.stranger, LINES.us);
      await toIdentification(call);
      let a = await call.press(bad[0]!);
      expect(a.says).toEqual([ACCOUNT_INVALID, ACCOUNT_PROMPT]);
      expectGather(a, 'account', 3, ACCOUNT_KEYS);
      a = await call.press(bad[1]!);
      expect(a.status).toBe(200);
      expect(a.says).toEqual([ACCOUNT_INVALID, ACCOUNT_PROMPT]);
      a = await call.press(bad[2]!);
      expect(a.verbs).toEqual(['Say', 'Say', 'Hangup']);
      expect(a.says).toEqual([ACCOUNT_INVALID, 'We could not find your account. Please check your account number and call again. Goodbye.']);
      expect(await h.deps.calls.get(call.callSid)).toMatchObject({ expect: 'done' });
      expect((await h.deps.calls.get(call.callSid))?.orgId).toBeUndefined();
    }
    expect(h.delivered).toEqual([]);
  });

  it('three silences at the account prompt end the call without claiming a number was entered', async () => {
    const call = h.call(PHONES.stranger, LINES.us);
    await toIdentification(call);
    let a = await call.press('');
    expect(a.says).toEqual([ACCOUNT_PROMPT]);
    a = await call.press('');
    expect(a.says).toEqual([ACCOUNT_PROMPT]);
    a = await call.press('');
    expect(a.says).toEqual(['We could not find your account. Please check your account number and call again. Goodbye.']);
    expect(a.verbs).toEqual(['Say', 'Hangup']);
  });

  it('silence re-asks without an apology and counts as a try', async () => {
    const call = h.call(PHONES.stranger, LINES.us);
    await toIdentification(call);
    let a = await call.silence();
    expect(a.says).toEqual([ACCOUNT_PROMPT]);
    a = await call.silence();
    a = await call.silence();
    expect(a.hangup).toBe(true);
  });

  it('an organization with one channel gets no choice: the code goes there at once', async () => {
    const call = h.call(PHONES.stranger, LINES.us);
    await toIdentification(call);
    const a = await call.press(ACCOUNTS.mailonly);
    expect(a.verbs).toEqual(['Gather']); // v2 §2.7: what is said before a prompt is inside its Gather
    expect(a.says).toEqual(['We sent a verification code by email to i…@mailonly.example.', CODE_PROMPT]);
    expectGather(a, 'code', 3, CODE_KEYS);
    expect(h.texts()).toEqual([]);
    expect(h.emails().map((e) => e.to)).toEqual(['it@mailonly.example']);
  });
});

describe('verification code', () => {
  it('"1" sends one text to the registered phone with exactly this SNS command; the right code verifies as admin', async () => {
    const call = await contosoStranger();
    let a = await call.press('1');
    expect(a.says).toEqual(['We sent a verification code by text message to the phone ending in 67.', CODE_PROMPT]);
    expectGather(a, 'code', 4, CODE_KEYS);
    const code = h.lastCode();
    expect(code).toMatch(/^\d{6}$/);
    expect(h.sns.commandCalls(PublishCommand).map((c) => c.args[0].input)).toEqual([
      {
        PhoneNumber: '+48601234567',
        Message: `Your support line verification code is ${code}. It is valid for 10 minutes. Never share it.`,
        MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
      },
    ]);
    expect(h.ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    // Stored only as a keyed hash.
    const rec = await codeRecord(call);
    expect(rec).toMatchObject({
      orgId: 'contoso',
      channel: 'sms',
      attempts: 0,
      used: false,
      sentAtMs: WEDNESDAY_11_NY,
      expiresAtMs: WEDNESDAY_11_NY + 600_000,
    });
    expect(JSON.stringify(await h.scan('calls'))).not.toContain(code);

    a = await call.press(code);
    expect(a.says.slice(0, 2)).toEqual(['Thank you, you are verified.', PRIORITY_INTRO]);
    expectGather(a, 'priority', 5, { numDigits: '1', finishOnKey: '', timeout: '8' });
    expect(await h.deps.calls.get(call.callSid)).toMatchObject({ verifiedBy: 'code', role: 'admin', codeChannel: 'sms', orgId: 'contoso' });
    expect(await codeRecord(call)).toMatchObject({ used: true, attempts: 0 });
    expect(h.texts().map((t) => t.to)).toEqual(['+48601234567']);
    const results = (await h.deps.audit.forOrg('contoso')).map((e) => `${e.method}:${e.result}`).sort();
    expect(results).toEqual(['account:account-found', 'code-sms:code-sent', 'code-sms:verified']);
  });

  it('"2" sends one email through SES with exactly this command', async () => {
    const call = await contosoStranger();
    const a = await call.press('2');
    expect(a.says).toEqual(['We sent a verification code by email to i…@contoso.example.', CODE_PROMPT]);
    const code = h.lastCode();
    expect(h.ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input)).toEqual([
      {
        FromEmailAddress: SES_FROM,
        Destination: { ToAddresses: ['it@contoso.example'] },
        Content: {
          Simple: {
            Subject: { Data: 'Your support line verification code', Charset: 'UTF-8' },
            Body: {
              Text: {
                Data: `Your verification code is ${code}.\nIt is valid for 10 minutes and can be used once.\nIf you did not call our support line, you can ignore this email.`,
                Charset: 'UTF-8',
              },
            },
          },
        },
      },
    ]);
    expect(h.sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('a channel key that is not offered is re-asked; three misses end the call without a code', async () => {
    const call = await contosoStranger();
    let a = await call.press('3');
    expect(a.says).toEqual([
      'Sorry, that is not one of the options.',
      'To receive a verification code by text message to the phone ending in 67, press 1.',
      'To receive it by email at i…@contoso.example, press 2.',
    ]);
    a = await call.silence();
    a = await call.press('9');
    expect(a.says).toEqual(['Goodbye.']);
    expect(a.hangup).toBe(true);
    expect(h.delivered).toEqual([]);
  });

  it('a code is bound to its call: another call of the same organization cannot use it', async () => {
    const first = await contosoStranger();
    await first.press('1');
    const firstCode = h.lastCode();
    const second = await contosoStranger();
    await second.press('1');
    const secondCode = h.lastCode();
    if (firstCode === secondCode) return expect(firstCode).not.toBe(secondCode); // one chance in a million
    const a = await second.press(firstCode);
    expect(a.says).toEqual(['That code is not correct. You have 4 tries left.', CODE_PROMPT]);
  });

  it('five wrong entries kill the code: the caller is told, and the right code no longer works', async () => {
    const call = await contosoStranger();
    await call.press('1');
    const code = h.lastCode();
    const wrong = code === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 1; left--) {
      const a = await call.press(wrong);
      expect(a.says).toEqual([`That code is not correct. You have ${left} ${left === 1 ? 'try' : 'tries'} left.`, CODE_PROMPT]);
      expectGather(a, 'code', 4 + (5 - left), CODE_KEYS);
    }
    const dead = await call.press(wrong);
    expect(dead.verbs).toEqual(['Say', 'Hangup']);
    expect(dead.says).toEqual(['That code can no longer be used after too many wrong entries. Please call again to get a new one. Goodbye.']);
    expect(await codeRecord(call)).toMatchObject({ attempts: 5, used: false });
    // The call is over; posting the right code at the next URL changes nothing.
    const late = await call.postTo('/twilio/call/code?s=9', { Digits: code });
    expect(late.says).toEqual(dead.says);
    expect(await h.deps.codes.attempt(call.callSid, true, h.clock.now)).toEqual({ result: 'dead' });
    expect((await h.deps.calls.get(call.callSid))?.verifiedBy).toBeUndefined();
    const audit = (await h.deps.audit.forOrg('contoso')).map((e) => e.result);
    expect(audit.filter((r) => r === 'wrong-code')).toHaveLength(4);
    expect(audit.filter((r) => r === 'code-dead')).toHaveLength(1);
  });

  it('an entry of the wrong length is not an attempt at the code; the third ends the call', async () => {
    const call = await contosoStranger();
    await call.press('1');
    let a = await call.press('12345');
    expect(a.says).toEqual(['The code has 6 digits.', CODE_PROMPT]);
    a = await call.press('1234567');
    expect(a.says).toEqual(['The code has 6 digits.', CODE_PROMPT]);
    expect(await codeRecord(call)).toMatchObject({ attempts: 0 });
    // v2 §2.7: a `*` now repeats the prompt (tested in caller-flow-keys), so the third bad entry is a short one.
    a = await call.press('12');
    expect(a.says).toEqual(['We did not get a 6 digit code. Please call again when you have it. Goodbye.']);
    expect(a.hangup).toBe(true);
    expect(await codeRecord(call)).toMatchObject({ attempts: 0, used: false });
  });

  it('wrong-length entries do not use up wrong tries: the right code still verifies after them', async () => {
    const call = await contosoStranger();
    await call.press('1');
    await call.press('1');
    await call.silence();
    const a = await call.press(h.lastCode());
    expect(a.says[0]).toBe('Thank you, you are verified.');
  });

  it('a code is valid 10 minutes: a second before it works, at 10 minutes it has expired', async () => {
    const call = await contosoStranger();
    await call.press('1');
    const code = h.lastCode();
    h.clock.now = WEDNESDAY_11_NY + 600_000;
    const a = await call.press(code);
    expect(a.verbs).toEqual(['Say', 'Hangup']);
    expect(a.says).toEqual(['That code has expired. Please call again to get a new one. Goodbye.']);
    expect(await codeRecord(call)).toMatchObject({ used: false, attempts: 0 });

    h.clock.now = WEDNESDAY_11_NY + 3_600_000;
    const other = await contosoStranger();
    await other.press('1');
    h.clock.now += 599_000;
    expect((await other.press(h.lastCode())).says[0]).toBe('Thank you, you are verified.');
  });

  it('at most 5 codes per organization per 10 minutes: the sixth caller is told to try later, and no text goes out', async () => {
    // Five different calling numbers: one number alone may have only 2 codes sent per 10 minutes.
    for (let i = 0; i < 5; i++) {
      const call = await contosoStranger(`+1415555030${i}`);
      h.clock.now += 60_000;
      expect((await call.press('1')).says[0]).toBe('We sent a verification code by text message to the phone ending in 67.');
    }
    const sixth = await contosoStranger();
    const a = await sixth.press('2');
    expect(a.verbs).toEqual(['Say', 'Hangup']);
    expect(a.says).toEqual(['Too many codes were sent for your organization in the last 10 minutes. Please try again in 10 minutes. Goodbye.']);
    expect(h.texts()).toHaveLength(5);
    expect(h.emails()).toHaveLength(0);
    expect(await codeRecord(sixth)).toBeUndefined();
    expect((await h.deps.audit.forOrg('contoso')).filter((e) => e.result === 'rate-limited')).toHaveLength(1);
    // Another organization is not affected.
    const other = h.call(PHONES.stranger, LINES.us);
    await toIdentification(other);
    expect((await other.press(ACCOUNTS.mailonly)).says[0]).toBe('We sent a verification code by email to i…@mailonly.example.');
    // Once the first send (at +1 min) is 10 minutes old, one more fits.
    h.clock.now = WEDNESDAY_11_NY + 60_000 + 599_999;
    const tooEarly = await contosoStranger('+14155550310');
    expect((await tooEarly.press('1')).says[0]).toMatch(/^Too many codes/);
    h.clock.now = WEDNESDAY_11_NY + 60_000 + 600_000;
    const later = await contosoStranger('+14155550311');
    expect((await later.press('1')).says[0]).toBe('We sent a verification code by text message to the phone ending in 67.');
  });

  it('a text that SNS refuses: the caller is told and the code goes by email instead', async () => {
    h.sns.on(PublishCommand).rejects(new SNSServiceException({ name: 'InternalErrorException', $fault: 'server', $metadata: {}, message: 'boom' }));
    const call = await contosoStranger();
    const a = await call.press('1');
    expect(a.verbs).toEqual(['Gather']); // v2 §2.7: what is said before a prompt is inside its Gather
    expect(a.says).toEqual(['Sorry, we could not send the code by text message.', 'We sent a verification code by email to i…@contoso.example.', CODE_PROMPT]);
    expectGather(a, 'code', 4, CODE_KEYS);
    expect(h.sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(h.emails().map((e) => e.to)).toEqual(['it@contoso.example']);
    expect(await codeRecord(call)).toMatchObject({ channel: 'email' });
    const ok = await call.press(h.lastCode());
    expect(ok.says[0]).toBe('Thank you, you are verified.');
    expect(await h.deps.calls.get(call.callSid)).toMatchObject({ codeChannel: 'email' });
    const results = (await h.deps.audit.forOrg('contoso')).map((e) => `${e.method}:${e.result}`).sort();
    expect(results).toEqual(['account:account-found', 'code-email:code-sent', 'code-email:verified', 'code-sms:send-failed']);
  });

  it('when both channels fail the caller is told to call again, and is never asked for a code', async () => {
    h.sns.on(PublishCommand).rejects(new SNSServiceException({ name: 'ThrottledException', $fault: 'client', $metadata: {}, message: 'slow down' }));
    h.ses.on(SendEmailCommand).rejects(new SESv2ServiceException({ name: 'MessageRejected', $fault: 'client', $metadata: {}, message: 'no' }));
    const call = await contosoStranger();
    const a = await call.press('2');
    expect(a.verbs).toEqual(['Say', 'Say', 'Say', 'Hangup']);
    expect(a.says).toEqual([
      'Sorry, we could not send the code by email.',
      'Sorry, we could not send the code by text message.',
      'Sorry, we could not send a verification code right now. Please call again in a few minutes. Goodbye.',
    ]);
    expect(a.gather).toBeUndefined();
    expect(a.xml).not.toContain('code?s=');
    expect(h.delivered).toEqual([]);
    expect(await h.deps.calls.get(call.callSid)).toMatchObject({ expect: 'done' });
  });

  it('a one-channel organization whose channel fails is told plainly, with no code prompt', async () => {
    h.ses
      .on(SendEmailCommand)
      .rejects(new SESv2ServiceException({ name: 'AccountSendingPausedException', $fault: 'client', $metadata: {}, message: 'paused' }));
    const call = h.call(PHONES.stranger, LINES.us);
    await toIdentification(call);
    const a = await call.press(ACCOUNTS.mailonly);
    expect(a.says).toEqual([
      'Sorry, we could not send the code by email.',
      'Sorry, we could not send a verification code right now. Please call again in a few minutes. Goodbye.',
    ]);
    expect(a.verbs).toEqual(['Say', 'Say', 'Hangup']);
  });
});
