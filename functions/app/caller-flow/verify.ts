/**
 * Verification codes (contract §2.3): choose a channel, send a code (within the organization's send
 * limit), check what the caller keys in. Codes are stored only as a keyed hash (`deps.codeHasher`).
 */
import { maskEmail, phoneEnding } from '../../domain/caller-id.js';
import type { CallState } from '../../domain/call-state.js';
import { CODE_POLICY, generateCode, isCodeShaped } from '../../domain/codes.js';
import { msg, say, type Message, type Verb } from '../../domain/decisions.js';
import { DeliveryFailedError } from '../../domain/errors.js';
import type { Organization } from '../../domain/model.js';
import { retryOrEnd, type StepInput, type StepOutcome } from '../answers.js';
import type { Channel, FlowDeps } from '../ports.js';
import { audit, end, gather, orgOf, wantsRepeat } from './context.js';
import { entitle } from './entitle.js';
import { codeNotice } from '../../domain/speech/texts.js';
import { codeFailed, codeRunBefore, codeSendRefusal, codeVerified } from './limits.js';

/** Six digits end the entry by themselves; `#` still ends it early (contract §2.7 v2). */
const CODE_PROMPT = { numDigits: 6, finishOnKey: '#', timeout: 10 };

function channelsOf(org: Organization, failed: readonly Channel[] = []): Channel[] {
  const out: Channel[] = [];
  if (org.contacts.phone && !failed.includes('sms')) out.push('sms');
  if (org.contacts.email && !failed.includes('email')) out.push('email');
  return out;
}

function channelPrompt(org: Organization, channels: Channel[]): Message[] {
  return channels.map((c) =>
    c === 'sms'
      ? msg('channel-prompt-sms', { last: phoneEnding(org.contacts.phone!) })
      : msg('channel-prompt-email', { address: maskEmail(org.contacts.email!) }),
  );
}

export async function offerChannels(
  state: CallState,
  input: StepInput,
  org: Organization,
  deps: FlowDeps,
  before: Verb[],
  failed: Channel[] = [],
): Promise<StepOutcome> {
  const channels = channelsOf(org, failed);
  if (channels.length === 0) return end(state, [...before, say(failed.length ? 'code-send-failed-final' : 'no-channel')]);
  if (channels.length === 1) return sendCode(state, input, org, channels[0]!, deps, before, failed);
  return gather({ ...state, expect: 'channel', tries: 0 }, input, before, channelPrompt(org, channels), { numDigits: 1 });
}

export async function channelStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  const org = await orgOf(state, deps);
  const channel: Channel | undefined = input.digits === '1' ? 'sms' : input.digits === '2' ? 'email' : undefined;
  const available = channelsOf(org);
  if (wantsRepeat(input)) return gather(state, input, [], channelPrompt(org, available), { numDigits: 1 });
  if (channel && available.includes(channel)) return sendCode(state, input, org, channel, deps, []);
  return retryOrEnd(
    state,
    (s) => end(s, [say('goodbye')]),
    (s) => gather(s, input, input.digits ? [say('channel-invalid')] : [], channelPrompt(org, available), { numDigits: 1 }),
  );
}

async function sendCode(
  state: CallState,
  input: StepInput,
  org: Organization,
  channel: Channel,
  deps: FlowDeps,
  before: Verb[],
  failed: Channel[] = [],
): Promise<StepOutcome> {
  const nowMs = deps.now().getTime();
  const method = channel === 'sms' ? 'code-sms' : 'code-email';
  const refusal = await codeSendRefusal(state, org, method, deps);
  if (refusal) return end(state, [...before, say(({ paused: 'code-locked', caller: 'code-rate-limited-caller' } as const)[refusal])]);
  if (!(await deps.codes.reserveSend(org.id, nowMs))) {
    await audit(deps, state, org.id, method, 'rate-limited');
    deps.metric?.('VerificationFailed');
    return end(state, [...before, say('code-rate-limited')]);
  }
  const code = generateCode(deps.randomInt);
  const to = channel === 'sms' ? org.contacts.phone! : org.contacts.email!;
  await deps.codes.put(state.callSid, {
    hash: deps.codeHasher.hash(await deps.codeKey(), state.callSid, code),
    orgId: org.id,
    channel,
    sentAtMs: nowMs,
    expiresAtMs: nowMs + CODE_POLICY.ttlMs,
    attempts: 0,
    used: false,
  });
  try {
    const notice = codeNotice(state.language, channel, code);
    await deps.notifier.send(channel === 'sms' ? { channel, to, body: notice.body } : { channel, to, subject: notice.subject ?? '', body: notice.body });
  } catch (e) {
    if (!(e instanceof DeliveryFailedError)) throw e;
    deps.log?.('warn', 'code delivery failed', { channel, org: org.id });
    await audit(deps, state, org.id, method, 'send-failed');
    // Offer the other channel, or tell the caller plainly: never prompt for a code that was never sent.
    return offerChannels(state, input, org, deps, [...before, say('code-send-failed', { channel })], [...failed, channel]);
  }
  await audit(deps, state, org.id, method, 'code-sent');
  const sent = channel === 'sms' ? say('code-sent-sms', { last: phoneEnding(to) }) : say('code-sent-email', { address: maskEmail(to) });
  return gather({ ...state, expect: 'code', codeChannel: channel, tries: 0 }, input, [...before, sent], [msg('code-prompt')], CODE_PROMPT);
}

export async function codeStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  const org = await orgOf(state, deps);
  const method = state.codeChannel === 'email' ? 'code-email' : 'code-sms';
  if (wantsRepeat(input)) return gather(state, input, [], [msg('code-prompt')], CODE_PROMPT);
  if (!isCodeShaped(input.digits)) {
    // Silence or a malformed entry is not an attempt at the code: it costs a try of the prompt, not of the code.
    return retryOrEnd(
      state,
      (s) => end(s, [say('code-none')]),
      (s) => gather(s, input, input.digits ? [say('code-bad-format')] : [], [msg('code-prompt')], CODE_PROMPT),
    );
  }
  const before = await codeRunBefore(state, org, method, deps);
  if (before.paused) return end(state, [say('code-locked')]);
  const record = await deps.codes.get(state.callSid);
  const matches = !!record && deps.codeHasher.matches(await deps.codeKey(), state.callSid, input.digits, record.hash);
  const outcome = await deps.codes.attempt(state.callSid, matches, deps.now().getTime());
  switch (outcome.result) {
    case 'verified':
      await audit(deps, state, org.id, method, 'verified');
      await codeVerified(org, before.run, deps);
      // A caller verified by code speaks for the organization as an admin (contract §2.3).
      return entitle({ ...state, verifiedBy: 'code', role: 'admin', tries: 0 }, input, deps, [say('verified')]);
    case 'wrong':
      await audit(deps, state, org.id, method, 'wrong-code');
      deps.metric?.('VerificationFailed');
      if (await codeFailed(org, state, deps)) return end(state, [say('code-locked')]);
      return gather(state, input, [say('code-wrong', { left: outcome.left })], [msg('code-prompt')], CODE_PROMPT);
    case 'dead':
      await audit(deps, state, org.id, method, 'code-dead');
      deps.metric?.('VerificationFailed');
      if (await codeFailed(org, state, deps)) return end(state, [say('code-locked')]);
      return end(state, [say('code-dead')]);
    case 'expired':
      await audit(deps, state, org.id, method, 'code-expired');
      return end(state, [say('code-expired')]);
    default:
      return end(state, [say('lost-state')]);
  }
}
