/** The language and extension menus (contract §2.1): which language, then which service. */
import type { CallState } from '../../domain/call-state.js';
import { msg, say, type Verb } from '../../domain/decisions.js';
import type { Line, LineConfig } from '../../domain/model.js';
import { serviceName } from '../../domain/service-name.js';
import { retryOrEnd, type StepInput, type StepOutcome } from '../answers.js';
import type { FlowDeps } from '../ports.js';
import { end, gather, lineOf, wantsRepeat } from './context.js';
import { identify } from './identify.js';
import { languageMenuPrompt } from '../../domain/speech/texts.js';

/**
 * Up to nine languages are one key each. A line offering more (a collaboration suite's 14) needs two-key
 * choices ("press 12"), so the Gather then takes keys until `#` or a short pause instead of stopping at
 * the first key, which would make options 10 and up unreachable.
 */
export function languageMenu(state: CallState, input: StepInput, languages: string[], before: Verb[] = []): StepOutcome {
  // Each option in its own language and voice ("Deutsch: drücken Sie 3"), so every caller recognizes theirs.
  const prompt = languageMenuPrompt(languages);
  const keys = languages.length > 9 ? { finishOnKey: '#', timeout: 4 } : { numDigits: 1 };
  return gather({ ...state, expect: 'language' }, input, before, prompt, keys);
}

export async function languageStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  const config = await deps.directory.config();
  const line = lineOf(config, state);
  const languages = line.languages ?? [line.language];
  if (wantsRepeat(input)) return languageMenu(state, input, languages);
  const chosen = /^[1-9]\d?$/.test(input.digits) ? languages[Number(input.digits) - 1] : undefined;
  if (chosen) return afterLanguage({ ...state, language: chosen, tries: 0 }, input, line, config, deps);
  return retryOrEnd(
    state,
    (s) => afterLanguage({ ...s, tries: 0 }, input, line, config, deps),
    (s) => languageMenu(s, input, languages, input.digits ? [say('menu-invalid')] : []),
  );
}

export async function afterLanguage(
  state: CallState,
  input: StepInput,
  line: Line,
  config: LineConfig,
  deps: FlowDeps,
  before: Verb[] = [],
): Promise<StepOutcome> {
  const extensions = line.extensions ?? {};
  if (Object.keys(extensions).length > 0) return extensionMenu({ ...state, tries: 0 }, input, line, config, before);
  const service = line.defaultService ?? Object.keys(config.services)[0]!;
  return identify({ ...state, service, tries: 0 }, input, deps, before);
}

function extensionMenu(state: CallState, input: StepInput, line: Line, config: LineConfig, before: Verb[]): StepOutcome {
  const prompt = Object.entries(line.extensions ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([digit, service]) => msg('menu-option', { service: serviceName(config.services, service, state.language), digit }));
  // What is said before the options (the greeting, an apology) goes inside the Gather (context.ts): a caller
  // who knows the extension may press it during the greeting (contract §2.1).
  return gather({ ...state, expect: 'menu' }, input, before, prompt, { numDigits: 1 });
}

export async function menuStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  const config = await deps.directory.config();
  const line = lineOf(config, state);
  if (wantsRepeat(input)) return extensionMenu(state, input, line, config, []);
  const service = /^\d$/.test(input.digits) ? line.extensions?.[input.digits] : undefined;
  if (service) return identify({ ...state, service, tries: 0 }, input, deps);
  return retryOrEnd(
    state,
    (s) => {
      if (!line.defaultService) return end(s, [say('menu-none')]);
      const spoken = serviceName(config.services, line.defaultService, s.language);
      return identify({ ...s, service: line.defaultService, tries: 0 }, input, deps, [say('menu-default', { service: spoken })]);
    },
    (s) => extensionMenu(s, input, line, config, input.digits ? [say('menu-invalid')] : []),
  );
}
