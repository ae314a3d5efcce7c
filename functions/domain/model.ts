/**
 * The support line's data model: the shape of the operator's data file (contract §4) once validated.
 * Types only, so the domain can depend on it without pulling in the validator (zod lives in `functions/data/`).
 * Optional fields beyond the contract are our compatible extensions; each one says what it is for.
 */

/** A weekday as written in the data file. */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/**
 * Opening hours: `"24/7"`, or day specs (`"mon-fri"`, `"sat"`, `"sat,sun"`, `"mon-sun"`) mapped to
 * `[open, close]` in `HH:MM` of the line's time zone. `close` may be `"24:00"` (open to midnight).
 */
export type Hours = '24/7' | Record<string, [string, string]>;

export interface Line {
  /** E.164 number that callers dial (Twilio's `To`). */
  number: string;
  /** ISO 3166-1 alpha-2 countries served; the caller's country picks among them, else the first. */
  countries: string[];
  /** BCP 47 language of the line's prompts and `<Say>`. */
  language: string;
  /** Extension: more languages the caller may choose from a menu (the first menu), in this order. */
  languages?: string[];
  /** Extension: the `<Say voice>` for the line's language, instead of the built-in table's (speech/voices.ts). */
  voice?: string;
  /** IANA time zone for hours and business clocks. */
  timezone: string;
  /** Extension: ask callers of this line to rate the help (1-5) after talking to an agent. */
  survey?: boolean;
  /** Digit → service id ("2" → technical, as in "ext. 2"). Absent: no menu. */
  extensions?: Record<string, string>;
  /** Service used when the caller makes no valid menu choice, or the line has no menu. */
  defaultService?: string;
  /** Priority scheme id (key of `schemes`). */
  scheme: string;
  /** Extension: free-text label for operators ("Zoom US toll-free"). */
  label?: string;
  /** Extension: audio URL played to waiting callers between announcements; absent: Twilio's default. */
  holdMusic?: string;
}

export interface Service {
  hours: Hours;
  /** Most urgent priority level id this service may be given (billing: "P2"). */
  maxPriority?: string;
  /** Extension: spoken name, per language ("technical support"); else derived from the id. */
  names?: Record<string, string>;
}

export interface PriorityLevel {
  id: string;
  /** ISO 8601 duration to the first response. */
  firstResponse: string;
  /** ISO 8601 duration to restoration, where the scheme has one. */
  restore?: string;
  /** Extension: which clock the durations run on; default "24h". */
  clock?: '24h' | 'business';
  /** Extension: hours in which this level is answered even when the service is closed (A: "24/7"). */
  hours?: Hours;
  /** Extension: one-line meaning read to callers, per language; else the catalog's default meaning. */
  meaning?: Record<string, string>;
}

export interface FairUse {
  /** More than this many tickets at the top priority per window lowers the next one by a level. */
  maxTopPriority: number;
  /** ISO 8601 duration of the window; default PT24H. */
  window?: string;
}

export interface Plan {
  phoneSupport: boolean;
  services?: string[];
  roles?: string[];
  priorityQueue?: boolean;
  /** Extension: most urgent level the plan may open (an "advanced support agreement" gives A). */
  maxPriority?: string;
  /** Extension: fair-use limit on top-priority tickets. */
  fairUse?: FairUse;
  /** Extension: the plan's own hours, replacing the services' hours (a paid option answered on Sundays). */
  hours?: Hours;
  /** Extension: whether country holidays close the line for this plan; default true. */
  holidays?: boolean;
  /** Extension: support tier tickets of this plan start at (1 = first line, 2 = engineers); default 1. */
  tier?: number;
  /** Extension: ask this plan's callers to rate the help (1-5) after talking to an agent. */
  survey?: boolean;
  /** Extension: a ticket not answered by its first-response time moves to tier 2 and pages the on-call team. */
  autoEscalate?: boolean;
  /** Extension: text or email the organization's contact at every status change of its tickets. */
  notifyStatusChanges?: boolean;
}

export type Verification = 'caller-id' | 'always-code' | 'stir-shaken';

export interface Person {
  name: string;
  phone: string;
  role: string;
  /** Extension: barred for abuse until this ISO 8601 instant: told so and not queued. */
  barredUntil?: string;
}

export interface Organization {
  id: string;
  name: string;
  account: string;
  plan: string;
  verification: Verification;
  contacts: { phone?: string; email?: string };
  people: Person[];
  /** Extension: the whole organization barred for abuse until this ISO 8601 instant. */
  barredUntil?: string;
}

export interface Agent {
  id: string;
  name: string;
  /** Clear PIN in the data file only; stored as a salted hash (`pinHash`) once loaded. */
  pin?: string;
  pinHash?: string;
  languages: string[];
  services: string[];
  /** Extension: the tier this agent works (1 first line, 2 engineers); default 1. */
  tier?: number;
}

export interface SupportData {
  lines: Line[];
  services: Record<string, Service>;
  holidays?: Record<string, string[]>;
  schemes: Record<string, PriorityLevel[]>;
  plans: Record<string, Plan>;
  organizations: Organization[];
  agents: { line: string; people: Agent[] };
}

/** What the voice functions need at every step, cached per instance: everything but organizations and agents. */
export interface LineConfig {
  lines: Line[];
  services: Record<string, Service>;
  holidays: Record<string, string[]>;
  schemes: Record<string, PriorityLevel[]>;
  plans: Record<string, Plan>;
  agentsLine: string;
}
