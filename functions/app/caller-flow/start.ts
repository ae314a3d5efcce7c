/**
 * The first webhook of an inbound call: which line, which country, and the call's initial state (step 0,
 * `expect: 'start'`). Nothing is said or sent here: the first prompt is `firstStep`, run exactly once by the
 * step runner (`startStep`), so a retried first webhook cannot send a second code.
 */
import { normalizeE164, servedCountry } from '../../domain/caller-id.js';
import type { CallState } from '../../domain/call-state.js';
import { say, type VoiceAnswer } from '../../domain/decisions.js';
import type { StepInput, StepOutcome } from '../answers.js';
import type { FlowDeps } from '../ports.js';
import { lineOf } from './context.js';
import { afterLanguage, languageMenu } from './menus.js';

export async function startCall(
  params: Record<string, string>,
  deps: FlowDeps,
): Promise<{ kind: 'unknown-line' } | { kind: 'agents-line' } | { kind: 'caller'; state: CallState }> {
  const config = await deps.directory.config();
  const to = normalizeE164(params.To) ?? '';
  if (to && to === config.agentsLine) return { kind: 'agents-line' };
  const line = config.lines.find((l) => l.number === to);
  if (!line) return { kind: 'unknown-line' };
  const from = normalizeE164(params.From) ?? '';
  const state: CallState = {
    callSid: params.CallSid!,
    kind: 'caller',
    from,
    line: line.number,
    country: servedCountry(line.countries, from),
    language: line.language,
    createdAt: deps.now().toISOString(),
    n: 0,
    expect: 'start',
    tries: 0,
  };
  return { kind: 'caller', state };
}

/**
 * Whether step 0 only asks (a language or an extension menu): it sends and counts nothing, so it may run
 * before the call is stored (step-runner.ts `startStep`). Any other first step identifies the caller at once.
 */
export async function firstStepAsksOnly(state: CallState, deps: FlowDeps): Promise<boolean> {
  const line = lineOf(await deps.directory.config(), state);
  return (line.languages ?? []).length > 1 || Object.keys(line.extensions ?? {}).length > 0;
}

/** Step 0: the greeting and the first prompt (language or extension menu, or straight to identification). */
export async function firstStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  const config = await deps.directory.config();
  const line = lineOf(config, state);
  const languages = line.languages ?? [];
  if (languages.length > 1) return languageMenu(state, input, languages, [say('greeting')]);
  return afterLanguage(state, input, line, config, deps, [say('greeting')]);
}

export function unknownLineAnswer(): VoiceAnswer {
  return { language: 'en-US', verbs: [say('unknown-line'), { kind: 'hangup' }] };
}
