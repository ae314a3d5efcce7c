/**
 * What every caller step shares: the call's context (its line, organization, plan, service and priority
 * scheme, looked up in one place), the Gather that carries a rescue snapshot where one is needed, and the
 * audit of identification outcomes.
 */
import { isRescuable, rescueToken } from '../../domain/call-rescue.js';
import type { CallState, CallerStep } from '../../domain/call-state.js';
import type { Message, Verb } from '../../domain/decisions.js';
import type { Line, LineConfig, Organization, Plan, PriorityLevel, Service } from '../../domain/model.js';
import { endCall, gatherStep, type GatherOptions, type StepInput, type StepOutcome } from '../answers.js';
import type { AuditEntry, FlowDeps } from '../ports.js';

/** The data a call's later steps decide on. */
export interface CallContext {
  config: LineConfig;
  line: Line;
  org: Organization;
  plan: Plan;
  service: Service;
  scheme: PriorityLevel[];
}

/** The call's context from the loaded data; throws if its line or organization left the data mid-call. */
export async function callContext(state: CallState, deps: FlowDeps): Promise<CallContext> {
  const config = await deps.directory.config();
  const org = await orgOf(state, deps);
  return contextOf(config, state, org);
}

export function contextOf(config: LineConfig, state: CallState, org: Organization): CallContext {
  const line = lineOf(config, state);
  return { config, line, org, plan: config.plans[org.plan]!, service: config.services[state.service!]!, scheme: config.schemes[line.scheme]! };
}

export function lineOf(config: LineConfig, state: CallState): Line {
  const line = config.lines.find((l) => l.number === state.line);
  if (!line) throw new Error(`line ${state.line} is no longer in the data`);
  return line;
}

export async function orgOf(state: CallState, deps: FlowDeps): Promise<Organization> {
  const org = state.orgId ? await deps.directory.orgById(state.orgId) : undefined;
  if (!org) throw new Error(`organization ${state.orgId} is not in the data`);
  return org;
}

/**
 * Asks for `state.expect`. What is said just before the prompt (a greeting, "Hello X", "We sent a code",
 * "Sorry, that is not an option") goes inside the Gather too, so a key cuts it short (contract §2.7 v2).
 * The priority and callback prompts carry a rescue snapshot (call-rescue.ts).
 */
export function gather(state: CallState, input: StepInput, before: Verb[], prompt: Message[], opts: Omit<GatherOptions, 'query'>): StepOutcome {
  const step = state.expect as CallerStep;
  // If DynamoDB fails before the caller answers, the step can still open the ticket through the spool.
  const rescue = isRescuable(step) ? rescueToken(state) : undefined;
  const spoken = before.flatMap((v) => (v.kind === 'say' ? [v.message] : []));
  const other = before.filter((v) => v.kind !== 'say');
  return gatherStep(state, input.s, other, [...spoken, ...prompt], { ...opts, query: rescue ? `&r=${rescue}` : undefined });
}

/** `*` at any prompt: say it again, without using a try (contract §2.7 v2). A `*` among other keys counts too. */
export function wantsRepeat(input: StepInput): boolean {
  return input.digits.includes('*');
}

export const end = endCall;

export async function audit(deps: FlowDeps, state: CallState, org: string, method: AuditEntry['method'], result: AuditEntry['result']): Promise<void> {
  try {
    await deps.audit.record({ org, caller: state.from, callSid: state.callSid, method, result, at: deps.now().toISOString() }, state.n);
  } catch (e) {
    // The audit must not cost the caller the call; the log keeps what the table could not.
    deps.log?.('error', 'audit write failed', { org, method, result, error: String(e) });
  }
}
