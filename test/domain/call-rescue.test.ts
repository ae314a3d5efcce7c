/**
 * The rescue snapshot on its own: what it carries round-trips exactly, and a snapshot that is forged,
 * moved to another call, or too old for any live call rebuilds no state.
 */
import { describe, expect, it } from 'vitest';
import { isRescuable, RESCUE_MAX_AGE_MS, rescueState, rescueToken } from '../../functions/domain/call-rescue.js';
import type { CallState } from '../../functions/domain/call-state.js';

const CALL = 'CA0123456789abcdef0123456789abcdef';
const OTHER = 'CAfedcba9876543210fedcba9876543210';
const CREATED = Date.parse('2026-03-02T10:00:00Z');

const state: CallState = {
  callSid: CALL,
  kind: 'caller',
  from: '+14155550100',
  line: '+18005550100',
  country: 'US',
  language: 'en-US',
  createdAt: new Date(CREATED).toISOString(),
  n: 6,
  expect: 'priority',
  tries: 1,
  service: 'chat',
  orgId: 'acme',
  personName: 'Ada Admin',
  role: 'admin',
  verifiedBy: 'code',
  codeChannel: 'email',
  urgentOnly: true,
};

const at = (o: Partial<{ callSid: string; step: string; s: number; from: string; nowMs: number }> = {}) => ({
  callSid: CALL,
  step: 'priority',
  s: 6,
  from: '+14155550100',
  nowMs: CREATED + 60_000,
  ...o,
});

const encode = (snap: unknown) => Buffer.from(JSON.stringify(snap)).toString('base64url');
const decode = (token: string) => JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('the rescue snapshot', () => {
  it('rebuilds the facts a priority or callback step needs, and nothing it does not carry', () => {
    const token = rescueToken(state)!;
    expect(rescueState(token, at())).toEqual({
      callSid: CALL,
      kind: 'caller',
      from: '+14155550100',
      line: '+18005550100',
      country: 'US',
      language: 'en-US',
      createdAt: state.createdAt,
      n: 6,
      expect: 'priority',
      tries: 0,
      service: 'chat',
      orgId: 'acme',
      verifiedBy: 'code',
      role: 'admin',
      codeChannel: 'email',
      urgentOnly: true,
    });
    // Names and numbers stay out of URLs.
    expect(Buffer.from(token, 'base64url').toString('utf8')).not.toContain('Ada');
  });

  it('is only offered once the caller is identified and has a service, and only for the priority and callback steps', () => {
    expect(rescueToken({ ...state, orgId: undefined })).toBeUndefined();
    expect(rescueToken({ ...state, verifiedBy: undefined })).toBeUndefined();
    expect(rescueToken({ ...state, service: undefined })).toBeUndefined();
    expect(['priority', 'callback'].filter(isRescuable)).toEqual(['priority', 'callback']);
    for (const step of ['language', 'menu', 'account', 'channel', 'code', 'agent-pin']) {
      expect(isRescuable(step)).toBe(false);
      expect(rescueState(rescueToken(state), at({ step }))).toBeUndefined();
    }
  });

  it('refuses a snapshot moved to another call', () => {
    expect(rescueState(rescueToken(state), at({ callSid: OTHER }))).toBeUndefined();
    // Rewriting the binding by hand is no better: it must match the call the request is for.
    const moved = { ...decode(rescueToken(state)!), k: OTHER.slice(-8) };
    expect(rescueState(encode(moved), at())).toBeUndefined();
    expect(rescueState(encode(moved), at({ callSid: OTHER }))).toMatchObject({ callSid: OTHER, orgId: 'acme' });
  });

  it('refuses forged or damaged snapshots', () => {
    const good = decode(rescueToken(state)!);
    const forged: unknown[] = [
      'not base64 json',
      encode(null),
      encode([1, 2]),
      encode({ ...good, o: '' }),
      encode({ ...good, o: 7 }),
      encode({ ...good, v: undefined }),
      encode({ ...good, b: 'x' }),
      encode({ ...good, t: 'yesterday' }),
      encode({ ...good, o: 'x'.repeat(101) }),
      'A'.repeat(1025),
    ];
    for (const token of forged) expect(rescueState(token as string, at()), String(token).slice(0, 40)).toBeUndefined();
    expect(rescueState(undefined, at())).toBeUndefined();
    expect(rescueState(rescueToken(state), at({ s: 0 }))).toBeUndefined();
    expect(rescueState(rescueToken(state), at({ s: Number.NaN }))).toBeUndefined();
  });

  it('refuses a snapshot of a call that cannot still be live, or one from the future', () => {
    const token = rescueToken(state);
    expect(rescueState(token, at({ nowMs: CREATED + RESCUE_MAX_AGE_MS }))).toBeDefined();
    expect(rescueState(token, at({ nowMs: CREATED + RESCUE_MAX_AGE_MS + 1 }))).toBeUndefined();
    expect(rescueState(token, at({ nowMs: CREATED + 30 * 86_400_000 }))).toBeUndefined();
    expect(rescueState(token, at({ nowMs: CREATED - 3_600_000 }))).toBeUndefined();
  });
});
