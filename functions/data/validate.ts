/**
 * Validates a whole data file and names every problem by its JSON path (`$.lines[0].number`), so an
 * operator fixes a file in one pass instead of one error per run. The schema checks each value; the
 * checks here need the whole file: references between parts, duplicates, and rules that span objects.
 *
 * The cross-reference checks run even when the schema failed, on whatever parts have the right shape,
 * so a file with a bad number and an unknown plan reports both at once.
 */
import type { z } from 'zod';
import type { SupportData } from '../domain/model.js';
import { supportDataSchema } from './schema.js';
import { hasCatalog, hasVoice, voiceFits } from '../domain/speech/voices.js';

export interface Problem {
  /** JSON path of the offending value, like `$.plans.business.services[1]`. */
  path: string;
  message: string;
}

/** `warnings` name what loads but will not sound right (a line language without prompts: callers hear English). */
export type ValidationResult = { ok: true; data: SupportData; warnings: Problem[] } | { ok: false; problems: Problem[] };

type Segment = string | number;

/** `$.a.b[0]["mon-fri"]`: dots for identifier keys, brackets for indexes and any other key. */
export function jsonPath(segments: readonly PropertyKey[]): string {
  let path = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) path += `.${segment}`;
    else path += `[${JSON.stringify(String(segment))}]`;
  }
  return path;
}

export function validateSupportData(input: unknown): ValidationResult {
  const problems: Problem[] = [];
  // reportInput: type messages say what was found ("not a number"), and a missing field reads "required".
  const parsed = supportDataSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(...describeIssue(issue, []));
  }
  problems.push(...crossCheck(input));
  const speech = speechChecks(input);
  problems.push(...speech.errors);

  const seen = new Set<string>();
  const unique = problems.filter((problem) => {
    const key = `${problem.path}\u0000${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (unique.length > 0 || !parsed.success) return { ok: false, problems: unique };
  const { $schema: _editorHint, ...data } = parsed.data;
  return { ok: true, data, warnings: speech.warnings };
}

/**
 * Every line speaks with a catalog and a voice (contract §2.10): a language without a catalog loads with a
 * warning (its callers hear English with an English voice); a line's `voice` must fit its language, and a
 * language with a catalog but no voice in the table needs one.
 */
function speechChecks(input: unknown): { errors: Problem[]; warnings: Problem[] } {
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const lines = isObject(input) && Array.isArray(input.lines) ? input.lines : [];
  lines.forEach((raw, index) => {
    if (!isObject(raw)) return;
    const voice = typeof raw.voice === 'string' ? raw.voice : undefined;
    const tags = [raw.language, ...(Array.isArray(raw.languages) ? raw.languages : [])];
    tags.forEach((tag, i) => {
      if (typeof tag !== 'string' || !/^[a-z]{2,3}(-|$)/.test(tag)) return;
      const path = jsonPath(i === 0 ? ['lines', index, 'language'] : ['lines', index, 'languages', i - 1]);
      if (!hasCatalog(tag)) {
        const message = `no prompts in "${tag}" yet: its callers hear English with an English voice (docs/languages.md says how to add a language)`;
        warnings.push({ path, message });
      } else if (!hasVoice(tag) && !(i === 0 && voice)) {
        errors.push({ path, message: `no voice for "${tag}": add one to the voice table or give the line a "voice"` });
      }
    });
    // A malformed name is the schema's problem; a well-formed Google voice names its locale, which must be the line's.
    const language = typeof raw.language === 'string' ? raw.language : '';
    if (voice && /^Google\.[a-z]{2,3}-[A-Z]{2}-/.test(voice) && hasCatalog(language) && !voiceFits(voice, language)) {
      errors.push({ path: jsonPath(['lines', index, 'voice']), message: `${voice} does not speak ${raw.language}` });
    }
  });
  return { errors, warnings };
}

// ---------------------------------------------------------------------------------------------------
// Schema issues → problems

type Issue = z.core.$ZodIssue;

function describeIssue(issue: Issue, prefix: readonly PropertyKey[]): Problem[] {
  const path = [...prefix, ...issue.path];
  switch (issue.code) {
    case 'unrecognized_keys':
      // One problem per key, each at the key's own path, with the nearest known key as a hint.
      return issue.keys.map((key) => {
        const known = knownKeysAt(path);
        const near = known ? nearest(key, known) : undefined;
        return {
          path: jsonPath([...path, key]),
          message: near ? `unknown field; did you mean "${near}"?` : 'unknown field',
        };
      });
    case 'invalid_key':
      // The key itself is wrong (an extension "*", a day "monday"): report at the key with the key's rule.
      return issue.issues.map((inner) => ({ path: jsonPath(path), message: `bad key: ${inner.message}` }));
    case 'invalid_union': {
      // Hours are `"24/7"` or an object: when the value is clearly meant as one of them, give that
      // branch's precise problems rather than a generic "invalid input".
      const meant = issue.errors.filter((branch) => !branch.every(isWrongKind));
      if (meant.length === 1) return meant[0]!.flatMap((inner) => describeIssue(inner, path));
      return [{ path: jsonPath(path), message: issue.message }];
    }
    case 'invalid_type':
      return [{ path: jsonPath(path), message: typeMessage(issue) }];
    default:
      return [{ path: jsonPath(path), message: issue.message }];
  }
}

function isWrongKind(issue: Issue): boolean {
  return issue.path.length === 0 && (issue.code === 'invalid_type' || issue.code === 'invalid_value');
}

function typeMessage(issue: Extract<Issue, { code: 'invalid_type' }>): string {
  const input = (issue as { input?: unknown }).input;
  if (input === undefined) return 'required';
  const expected = issue.expected === 'record' ? 'object' : issue.expected;
  return `must be ${/^[aeiou]/.test(expected) ? 'an' : 'a'} ${expected}, not ${kindOf(input)}`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

/** Loose view of zod's internal definitions: just enough to walk from the root schema to an object. */
interface Walkable {
  _zod: {
    def: {
      type: string;
      shape?: Record<string, Walkable>;
      element?: Walkable;
      valueType?: Walkable;
      innerType?: Walkable;
      options?: Walkable[];
      items?: Walkable[];
      in?: Walkable;
    };
  };
}

/** The keys the schema allows for the object at `path`, to suggest the intended one for a typo. */
function knownKeysAt(path: readonly PropertyKey[]): string[] | undefined {
  const resolve = (schema: Walkable | undefined, rest: readonly PropertyKey[]): Walkable | undefined => {
    if (!schema) return undefined;
    const def = schema._zod.def;
    if (['optional', 'nullable', 'default', 'readonly', 'nonoptional'].includes(def.type)) return resolve(def.innerType, rest);
    if (def.type === 'pipe') return resolve(def.in, rest);
    if (def.type === 'union') {
      for (const option of def.options ?? []) {
        const found = resolve(option, rest);
        if (found) return found;
      }
      return undefined;
    }
    if (rest.length === 0) return def.type === 'object' ? schema : undefined;
    const [head, ...tail] = rest;
    if (def.type === 'object') return resolve(def.shape?.[String(head)], tail);
    if (def.type === 'array') return resolve(def.element, tail);
    if (def.type === 'record') return resolve(def.valueType, tail);
    if (def.type === 'tuple') return resolve(def.items?.[Number(head)], tail);
    return undefined;
  };
  const target = resolve(supportDataSchema as unknown as Walkable, path);
  return target ? Object.keys(target._zod.def.shape ?? {}) : undefined;
}

/** The known key closest to a typo (edit distance at most a third of its length), if any. */
function nearest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(Math.max(key.length, 3) / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(current[j - 1]! + 1, previous[j]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

// ---------------------------------------------------------------------------------------------------
// Cross-reference checks, on the raw input so they run whatever the schema said

type Loose = Record<string, unknown>;

const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null && !Array.isArray(value);
const objectOf = (value: unknown): Loose => (isObject(value) ? value : {});
const arrayOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const stringOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Ids defined by one part of the file, or undefined when that part is malformed (then nothing is checked against it). */
const namesOf = (value: unknown): Set<string> | undefined => (isObject(value) ? new Set(Object.keys(value)) : undefined);

function listOf(names: Iterable<string>): string {
  const all = [...names];
  return all.length === 0 ? 'none are defined' : `defined: ${all.join(', ')}`;
}

function crossCheck(input: unknown): Problem[] {
  const problems: Problem[] = [];
  const add = (segments: Segment[], message: string) => problems.push({ path: jsonPath(segments), message });
  const root = objectOf(input);
  const services = namesOf(root.services);
  const schemes = namesOf(root.schemes);
  const plans = namesOf(root.plans);
  const lines = arrayOf(root.lines);

  /** Level ids per scheme, for the maxPriority checks. */
  const levels = new Map<string, string[]>();
  for (const [scheme, list] of Object.entries(objectOf(root.schemes))) {
    levels.set(
      scheme,
      arrayOf(list)
        .map((level) => stringOf(objectOf(level).id))
        .filter((id): id is string => !!id),
    );
  }

  const checkRef = (segments: Segment[], value: unknown, known: Set<string> | undefined, kind: string) => {
    const name = stringOf(value);
    if (name === undefined || name === '' || !known || known.has(name)) return;
    add(segments, `unknown ${kind} "${name}" (${listOf(known)})`);
  };
  const checkDuplicates = (segments: Segment[], value: unknown, what: string) => {
    const seen = new Map<string, number>();
    arrayOf(value).forEach((item, index) => {
      if (typeof item !== 'string') return;
      const first = seen.get(item);
      if (first !== undefined) add([...segments, index], `${what} "${item}" is listed twice (also [${first}])`);
      else seen.set(item, index);
    });
  };

  // Lines: references, menu defaults, duplicate numbers.
  const lineByNumber = new Map<string, number>();
  /** Schemes used by the lines offering each service, with the first line using each. */
  const schemesByService = new Map<string, Map<string, number>>();
  lines.forEach((raw, index) => {
    const line = objectOf(raw);
    const at = (...rest: Segment[]): Segment[] => ['lines', index, ...rest];
    checkRef(at('scheme'), line.scheme, schemes, 'scheme');
    checkRef(at('defaultService'), line.defaultService, services, 'service');
    const offered = new Set<string>();
    if (isObject(line.extensions)) {
      for (const [digit, service] of Object.entries(line.extensions)) {
        checkRef(at('extensions', digit), service, services, 'service');
        if (typeof service === 'string') offered.add(service);
      }
    } else if (line.defaultService === undefined && isObject(raw)) {
      add(at('defaultService'), 'required when the line has no extensions (it is the service every caller gets)');
    }
    if (typeof line.defaultService === 'string') offered.add(line.defaultService);
    const scheme = stringOf(line.scheme);
    if (scheme && levels.has(scheme)) {
      for (const service of offered) {
        const used = schemesByService.get(service) ?? new Map<string, number>();
        if (!used.has(scheme)) used.set(scheme, index);
        schemesByService.set(service, used);
      }
    }
    checkDuplicates(at('countries'), line.countries, 'country');
    checkDuplicates(at('languages'), line.languages, 'language');
    const number = stringOf(line.number);
    if (number) {
      const first = lineByNumber.get(number);
      if (first !== undefined) add(at('number'), `${number} is also the number of $.lines[${first}]`);
      else lineByNumber.set(number, index);
    }
  });

  /**
   * A maximum priority must be a level of every scheme a caller could be in when it applies, else the
   * cap cannot be compared with the level pressed; with no line using it, at least of some scheme.
   */
  const checkMaxPriority = (segments: Segment[], value: unknown, offeredBy: Iterable<string>) => {
    const level = stringOf(value);
    if (!level || levels.size === 0) return;
    const used = new Map<string, number>();
    for (const service of offeredBy) {
      for (const [scheme, line] of schemesByService.get(service) ?? []) if (!used.has(scheme)) used.set(scheme, line);
    }
    if (used.size === 0) {
      if (![...levels.values()].some((ids) => ids.includes(level))) {
        add(segments, `"${level}" is not a level of any scheme`);
      }
      return;
    }
    for (const [scheme, line] of used) {
      const ids = levels.get(scheme) ?? [];
      if (!ids.includes(level)) {
        add(segments, `"${level}" is not a level of scheme "${scheme}" used by $.lines[${line}] (levels: ${ids.join(', ')})`);
      }
    }
  };

  for (const [name, raw] of Object.entries(objectOf(root.services))) {
    checkMaxPriority(['services', name, 'maxPriority'], objectOf(raw).maxPriority, [name]);
  }

  // Schemes: level ids must be unique, since callers and tickets name a level by id.
  for (const [name, list] of Object.entries(objectOf(root.schemes))) {
    const seen = new Map<string, number>();
    arrayOf(list).forEach((level, index) => {
      const id = stringOf(objectOf(level).id);
      if (!id) return;
      const first = seen.get(id);
      if (first !== undefined) add(['schemes', name, index, 'id'], `"${id}" is already the id of level [${first}] of this scheme`);
      else seen.set(id, index);
    });
  }

  // Plans: services exist; phone support must say for what and for whom.
  for (const [name, raw] of Object.entries(objectOf(root.plans))) {
    const plan = objectOf(raw);
    const planServices = arrayOf(plan.services).filter((service): service is string => typeof service === 'string');
    arrayOf(plan.services).forEach((service, index) => checkRef(['plans', name, 'services', index], service, services, 'service'));
    checkDuplicates(['plans', name, 'services'], plan.services, 'service');
    checkDuplicates(['plans', name, 'roles'], plan.roles, 'role');
    if (plan.phoneSupport === true) {
      if (Array.isArray(plan.services) ? plan.services.length === 0 : plan.services === undefined) {
        add(['plans', name, 'services'], 'required with phoneSupport: the services callers of this plan may reach');
      }
      if (Array.isArray(plan.roles) ? plan.roles.length === 0 : plan.roles === undefined) {
        add(['plans', name, 'roles'], 'required with phoneSupport: the roles allowed to call, like ["admin"]');
      }
    }
    checkMaxPriority(['plans', name, 'maxPriority'], plan.maxPriority, planServices);
  }

  // Organizations: unique ids and accounts (callers are found by them), known plans, one phone per person.
  const orgIds = new Map<string, number>();
  const accounts = new Map<string, number>();
  arrayOf(root.organizations).forEach((raw, index) => {
    const org = objectOf(raw);
    const at = (...rest: Segment[]): Segment[] => ['organizations', index, ...rest];
    checkRef(at('plan'), org.plan, plans, 'plan');
    const id = stringOf(org.id);
    if (id) {
      const first = orgIds.get(id);
      if (first !== undefined) add(at('id'), `"${id}" is also the id of $.organizations[${first}]`);
      else orgIds.set(id, index);
    }
    const account = stringOf(org.account);
    if (account) {
      const first = accounts.get(account);
      if (first !== undefined) add(at('account'), `${account} is also the account of $.organizations[${first}]`);
      else accounts.set(account, index);
    }
    if (isObject(org.contacts) && org.contacts.phone === undefined && org.contacts.email === undefined) {
      add(at('contacts'), 'needs a phone or an email: verification codes and confirmations go there');
    }
    const phones = new Map<string, number>();
    arrayOf(org.people).forEach((person, personIndex) => {
      const phone = stringOf(objectOf(person).phone);
      if (!phone) return;
      const first = phones.get(phone);
      if (first !== undefined) add(at('people', personIndex, 'phone'), `${phone} is also the phone of people[${first}] of this organization`);
      else phones.set(phone, personIndex);
    });
  });

  // Agents: their line is not a support line, ids unique (they log in with them), known services.
  const agents = objectOf(root.agents);
  const agentsLine = stringOf(agents.line);
  if (agentsLine && lineByNumber.has(agentsLine)) {
    add(['agents', 'line'], `${agentsLine} is also the support line $.lines[${lineByNumber.get(agentsLine)}]; agents need a number of their own`);
  }
  const agentIds = new Map<string, number>();
  arrayOf(agents.people).forEach((raw, index) => {
    const agent = objectOf(raw);
    const at = (...rest: Segment[]): Segment[] => ['agents', 'people', index, ...rest];
    const id = stringOf(agent.id);
    if (id) {
      const first = agentIds.get(id);
      if (first !== undefined) add(at('id'), `"${id}" is also the id of $.agents.people[${first}]`);
      else agentIds.set(id, index);
    }
    arrayOf(agent.services).forEach((service, serviceIndex) => checkRef(at('services', serviceIndex), service, services, 'service'));
    checkDuplicates(at('services'), agent.services, 'service');
    checkDuplicates(at('languages'), agent.languages, 'language');
    if (isObject(raw)) {
      if (agent.pin === undefined && agent.pinHash === undefined) add(at('pin'), 'required (or pinHash): agents log in with it');
      if (agent.pin !== undefined && agent.pinHash !== undefined) add(at('pinHash'), 'give pin or pinHash, not both');
    }
  });

  return problems;
}
