/**
 * What a valid data file may still get wrong for callers and agents: things the schema cannot call errors
 * because a file may be mid-way through a change, but an operator must hear about before loading it.
 * Pure: the data in, warnings with JSON paths out; `data:check` prints them and `--strict` fails on them.
 */
import type { SupportData } from '../domain/model.js';

export interface DataWarning {
  path: string;
  message: string;
}

/** PINs shorter than this are a guess away from anyone who knows an agent id. */
export const MIN_PIN_DIGITS = 6;

export function dataWarnings(data: SupportData): DataWarning[] {
  return [...unservedQueues(data), ...unknownRoles(data), ...weakPins(data)];
}

/**
 * Every queue a caller can end up in (service × language × tier, from the lines and the plans organizations
 * have) that no agent serves: that caller would wait until they hang up.
 */
function unservedQueues(data: SupportData): DataWarning[] {
  const tiers = new Map<number, string[]>();
  for (const org of data.organizations) {
    const plan = data.plans[org.plan];
    if (!plan?.phoneSupport) continue;
    const tier = plan.tier ?? 1;
    const plans = tiers.get(tier) ?? [];
    if (!plans.includes(org.plan)) plans.push(org.plan);
    tiers.set(tier, plans);
  }
  // One warning per language, naming every unserved service and tier and the first line that leads there.
  const byLanguage = new Map<string, { path: string; line: string; queues: string[] }>();
  data.lines.forEach((line, i) => {
    const services = new Set([...Object.values(line.extensions ?? {}), ...(line.defaultService ? [line.defaultService] : [])]);
    for (const language of [line.language, ...(line.languages ?? [])]) {
      for (const service of services) {
        for (const [tier, plans] of tiers) {
          const reachable = plans.filter((id) => data.plans[id]!.services?.includes(service) ?? true);
          if (reachable.length === 0) continue;
          const served = data.agents.people.some((a) => a.services.includes(service) && a.languages.includes(language) && (a.tier ?? 1) === tier);
          if (served) continue;
          const entry = byLanguage.get(language) ?? { path: `$.lines[${i}]`, line: line.number, queues: [] };
          const queue = `${service} at tier ${tier} (plan ${reachable.join(', ')})`;
          if (!entry.queues.includes(queue)) entry.queues.push(queue);
          byLanguage.set(language, entry);
        }
      }
    }
  });
  return [...byLanguage].map(([language, e]) => ({
    path: e.path,
    message: `no agent serves callers in ${language} (first line ${e.line}) asking for ${e.queues.join('; ')}: they would wait until they hang up`,
  }));
}

/** A role no plan allows (a typo such as "admn"): that person is refused phone support under every plan. */
function unknownRoles(data: SupportData): DataWarning[] {
  const plans = Object.values(data.plans).filter((p) => p.phoneSupport);
  if (plans.some((p) => p.roles === undefined)) return []; // some plan allows every role
  const allowed = new Set(plans.flatMap((p) => p.roles ?? []));
  const warnings: DataWarning[] = [];
  data.organizations.forEach((org, o) =>
    org.people.forEach((person, p) => {
      if (!allowed.has(person.role)) {
        warnings.push({
          path: `$.organizations[${o}].people[${p}].role`,
          message: `role "${person.role}" is allowed by no plan (plans allow: ${[...allowed].join(', ') || 'none'}), so ${person.name} is always refused`,
        });
      }
    }),
  );
  return warnings;
}

/** PINs written in clear, or too short to resist guessing. */
function weakPins(data: SupportData): DataWarning[] {
  const warnings: DataWarning[] = [];
  data.agents.people.forEach((agent, i) => {
    if (agent.pin === undefined) return;
    const short = agent.pin.length < MIN_PIN_DIGITS ? ` and shorter than ${MIN_PIN_DIGITS} digits` : '';
    warnings.push({
      path: `$.agents.people[${i}].pin`,
      message: `agent ${agent.id}'s PIN is in clear in the file${short}: replace "pin" by "pinHash" from \`npm run pin:hash -- NEWPIN\``,
    });
  });
  return warnings;
}
