/**
 * The calls whose speech is measured, on data derived from the project's own files: data/demo.json for
 * the registered admin (ext. 2, en-US) and the caller verified by code, examples/collaboration.json for the
 * longest language menu, and one line per language found in data/demo.json and examples/*.json, each a
 * copy of the en-US "ext. 2" line in that language, so languages differ only by what is said.
 *
 * Derived data is always open (every service 24/7, no plan hours, no holidays): the measured path is the
 * open line's, whatever hour the bench runs. Each call gets a fresh database (see measure.ts), so no call
 * finds a ticket, a code or a rate limit left by another.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of a data file the cases read; everything else is passed through as it is. */
interface Person {
  name: string;
  phone: string;
  role: string;
}
interface Org {
  id: string;
  name: string;
  account: string;
  plan: string;
  verification?: string;
  contacts: { phone?: string; email?: string };
  people: Person[];
}
interface Plan {
  phoneSupport?: boolean;
  services?: string[];
  roles?: string[];
  hours?: unknown;
}
interface LineData {
  number: string;
  language: string;
  languages?: string[];
  extensions?: Record<string, string>;
  defaultService?: string;
  [k: string]: unknown;
}
export interface DataFile {
  lines: LineData[];
  services: Record<string, { hours: unknown; [k: string]: unknown }>;
  plans: Record<string, Plan>;
  organizations: Org[];
  holidays?: unknown;
  [k: string]: unknown;
}

/** What the scripted caller does at each prompt (by the contract's keys, whatever the prompt's wording). */
export interface Choices {
  /** The language to pick at a language menu (its position in the line's `languages` is the key). */
  language?: string;
  /** The extension key of the wanted service. */
  extension?: string;
  /** For a caller not identified by caller ID: the account number, and the contact the code is sent to. */
  account?: string;
  codeTo?: string;
  /** `1` = text message (contract §2.3). */
  channel?: string;
  /** `1` = the most urgent level. */
  priority: string;
}

export interface SpeechCase {
  id: string;
  /** `path`: the issue's three paths; `language`: the registered admin on a line of each language. */
  group: 'path' | 'language';
  label: string;
  /** The language the caller ends up hearing (the line's, or the one chosen at the menu). */
  language: string;
  data: DataFile;
  source: string;
  line: string;
  from: string;
  choices: Choices;
  /** Seconds of speech allowed from answer to queue (issue 13), where the issue sets one. */
  goalSeconds?: number;
}

export const REGISTERED_GOAL_S = 30;
export const CODE_GOAL_S = 55;
/** A calling number registered nowhere, for the caller who identifies by account number and code. */
const UNKNOWN_CALLER = '+14155550199';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** Every service open around the clock, no plan hours, no holidays: the measured path is the open line's. */
export function alwaysOpen(data: DataFile): DataFile {
  const d = clone(data);
  for (const s of Object.values(d.services)) s.hours = '24/7';
  for (const p of Object.values(d.plans)) delete p.hours;
  d.holidays = {};
  return d;
}

function allows(plan: Plan | undefined, service: string, role: string): boolean {
  return !!plan?.phoneSupport && (!plan.services || plan.services.includes(service)) && (!plan.roles || plan.roles.includes(role));
}

/**
 * The first admin of an organization trusting caller ID whose plan covers phone support for `service`,
 * registered in that organization only (one registered in two is asked which one: another path).
 */
export function registeredAdmin(data: DataFile, service: string): { org: Org; person: Person } | undefined {
  const orgsOf = (phone: string) => data.organizations.filter((o) => o.people.some((p) => p.phone === phone)).length;
  for (const org of data.organizations) {
    if ((org.verification ?? 'caller-id') !== 'caller-id') continue;
    const person = org.people.find((p) => p.role === 'admin' && allows(data.plans[org.plan], service, 'admin') && orgsOf(p.phone) === 1);
    if (person) return { org, person };
  }
  return undefined;
}

/** The first organization that always wants a code, can get one by text message, and has phone support. */
export function codeOrganization(data: DataFile, service: string): Org | undefined {
  return data.organizations.find((o) => o.verification === 'always-code' && !!o.contacts.phone && allows(data.plans[o.plan], service, 'admin'));
}

/** The first line in `language` (without a language menu) with an extension menu, and its key `2` (else its first). */
export function extensionLine(data: DataFile, language: string): { line: LineData; key: string; service: string } | undefined {
  for (const line of data.lines) {
    if (line.language !== language || line.languages?.length) continue;
    const entries = Object.entries(line.extensions ?? {}).sort(([a], [b]) => a.localeCompare(b));
    const [key, service] = entries.find(([k]) => k === '2') ?? entries[0] ?? [];
    if (key && service) return { line, key, service };
  }
  return undefined;
}

/** Languages of every line (its own and its menu's), in the order first seen. */
export function languagesOf(files: readonly DataFile[]): string[] {
  const out: string[] = [];
  for (const f of files) for (const l of f.lines) for (const lang of [l.language, ...(l.languages ?? [])]) if (!out.includes(lang)) out.push(lang);
  return out;
}

/** A derived line number per language, distinct from every line of the file. */
function derivedNumber(data: DataFile, i: number): string {
  for (let n = i; ; n += 1000) {
    const number = `+1888555${String(n).padStart(4, '0')}`;
    if (!data.lines.some((l) => l.number === number)) return number;
  }
}

/** A copy of `template` in each language, appended to `data` (one data file holding every language's line). */
export function withLanguageLines(data: DataFile, template: LineData, languages: readonly string[]): { data: DataFile; lines: Map<string, string> } {
  const d = clone(data);
  const lines = new Map<string, string>();
  languages.forEach((language, i) => {
    const { languages: _menu, ...rest } = clone(template);
    const line = { ...rest, number: derivedNumber(d, i), language, label: `speech timing: the ${template.number} line in ${language}` };
    d.lines.push(line);
    lines.set(language, line.number);
  });
  return { data: d, lines };
}

function readJson(root: string, rel: string): DataFile {
  return JSON.parse(readFileSync(join(root, rel), 'utf8')) as DataFile;
}

/** Every case, from the files under `root` (the project). Throws naming the file when a case cannot be built. */
export function speechCases(root: string): SpeechCase[] {
  const demoFile = 'data/demo.json';
  const collabFile = 'examples/collaboration.json';
  const demo = alwaysOpen(readJson(root, demoFile));
  const examples = readdirSync(join(root, 'examples'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => `examples/${f}`);
  const files = [demo, ...examples.map((f) => readJson(root, f))];
  const cases: SpeechCase[] = [];

  const en = extensionLine(demo, 'en-US');
  if (!en) throw new Error(`${demoFile}: no en-US line with an extension menu`);
  const admin = registeredAdmin(demo, en.service);
  if (!admin) throw new Error(`${demoFile}: no admin trusted by caller ID whose plan has phone support for ${en.service}`);
  const codeOrg = codeOrganization(demo, en.service);
  if (!codeOrg) throw new Error(`${demoFile}: no organization with verification "always-code", a phone contact and phone support for ${en.service}`);
  const derived = `${demoFile}, always open`;
  cases.push({
    id: 'registered-admin',
    group: 'path',
    label: `registered admin, ext. ${en.key}, en-US, P1`,
    language: 'en-US',
    data: demo,
    source: `${derived}; line ${en.line.number}; ${admin.person.name} (${admin.org.name}) by caller ID`,
    line: en.line.number,
    from: admin.person.phone,
    choices: { extension: en.key, priority: '1' },
    goalSeconds: REGISTERED_GOAL_S,
  });
  cases.push({
    id: 'code-verified',
    group: 'path',
    label: `caller verified by code, ext. ${en.key}, en-US, P1`,
    language: 'en-US',
    data: demo,
    source: `${derived}; line ${en.line.number}; account ${codeOrg.account} (${codeOrg.name}) from an unregistered number, code by text message`,
    line: en.line.number,
    from: UNKNOWN_CALLER,
    choices: { extension: en.key, account: codeOrg.account, codeTo: codeOrg.contacts.phone, channel: '1', priority: '1' },
    goalSeconds: CODE_GOAL_S,
  });

  const collab = alwaysOpen(readJson(root, collabFile));
  const menuLine = [...collab.lines].sort((a, b) => (b.languages?.length ?? 0) - (a.languages?.length ?? 0))[0];
  if (!menuLine?.languages?.length) throw new Error(`${collabFile}: no line with a language menu`);
  const service = menuLine.defaultService ?? Object.values(menuLine.extensions ?? {})[0] ?? Object.keys(collab.services)[0]!;
  const collabAdmin = registeredAdmin(collab, service);
  if (!collabAdmin) throw new Error(`${collabFile}: no admin trusted by caller ID whose plan has phone support for ${service}`);
  cases.push({
    id: 'language-menu',
    group: 'path',
    label: `${menuLine.languages.length}-language menu, registered admin, ${menuLine.languages[0]}, P1`,
    language: menuLine.languages[0]!,
    data: collab,
    source: `${collabFile}, always open; line ${menuLine.number}; ${collabAdmin.person.name} (${collabAdmin.org.name}) by caller ID`,
    line: menuLine.number,
    from: collabAdmin.person.phone,
    choices: { language: menuLine.languages[0], extension: Object.entries(menuLine.extensions ?? {}).find(([, s]) => s === service)?.[0], priority: '1' },
  });

  const languages = languagesOf(files);
  const { data: perLanguage, lines } = withLanguageLines(demo, en.line, languages);
  for (const language of languages) {
    cases.push({
      id: `language-${language}`,
      group: 'language',
      label: `registered admin, ext. ${en.key}, ${language}, P1`,
      language,
      data: perLanguage,
      source: `${derived}; the ${en.line.number} line copied in ${language} as ${lines.get(language)}`,
      line: lines.get(language)!,
      from: admin.person.phone,
      choices: { extension: en.key, priority: '1' },
    });
  }
  return cases;
}
