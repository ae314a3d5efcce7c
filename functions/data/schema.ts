/**
 * The zod schema of the operator's data file (contract §4), field by field. It checks each value on its
 * own (formats, ranges, unknown keys); references between parts of the file (a line's scheme, a plan's
 * services, duplicates) are checked in `validate.ts`, which needs the whole file at once.
 *
 * Objects are strict: an unknown key is an error, because in a hand-edited file an unknown key is
 * almost always a typo of a known one, and a silently ignored `defaultServce` would change call routing.
 * The same schema produces the editors' JSON Schema (`npm run data:schema`), so descriptions here are
 * what an operator sees when hovering a field.
 */
import { z } from 'zod';
import { isSupportedCountry } from 'libphonenumber-js';
import type { SupportData } from '../domain/model.js';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** Names in the file that other parts refer to: services, schemes, plans, organizations. */
const idSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
  error: 'must be an id of up to 64 letters, digits, ".", "-" or "_", starting with a letter or digit',
});

/** A reference to an id defined elsewhere; whether it exists is checked in validate.ts. */
const refSchema = z.string().min(1, { error: 'must not be empty' });

export const e164Schema = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, {
    error: 'must be an E.164 number: "+", country code and number, digits only (like +18887999666)',
  })
  .describe('E.164 phone number, like +18887999666.');

/**
 * Countries are checked against libphonenumber's list, not a bare `[A-Z]{2}`: the caller's country is
 * derived from their phone number with that library, so a code it does not know ("UK" for "GB") would
 * never match a caller and its holidays would silently never apply.
 */
export const countrySchema = z
  .string()
  .regex(/^[A-Z]{2}$/, { error: 'must be an ISO 3166-1 alpha-2 country code in upper case, like "US"' })
  .refine((code) => !/^[A-Z]{2}$/.test(code) || isSupportedCountry(code), {
    error: (issue) =>
      issue.input === 'UK'
        ? 'is not an ISO 3166-1 alpha-2 code: the United Kingdom is "GB"'
        : `"${String(issue.input)}" is not an ISO 3166-1 alpha-2 country code with phone numbers`,
  })
  .describe('ISO 3166-1 alpha-2 country code, upper case, like "US" or "GB".');

/**
 * BCP 47 tags must be well-formed and written canonically ("en-US", not "en-us"): the tag is passed to
 * Twilio's `<Say language>` and matched against prompt catalogs, where case matters.
 */
export const languageSchema = z
  .string()
  .superRefine((tag, ctx) => {
    let canonical: string | undefined;
    try {
      canonical = Intl.getCanonicalLocales(tag)[0];
      // BCP 47 also allows 5-8 letter languages ("english" parses); speech engines know ISO 639 codes only.
      if (!/^[a-z]{2,3}(?:-|$)/i.test(tag)) throw new RangeError(tag);
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${tag}" is not a BCP 47 language tag like "en-US"`, input: tag });
      return;
    }
    if (canonical !== tag) {
      ctx.addIssue({ code: 'custom', message: `write the language tag as "${canonical}"`, input: tag });
    }
  })
  .describe('BCP 47 language tag, like "en-US", "de-CH" or "pl-PL".');

/**
 * IANA names only: `Intl` also accepts offsets like "+01:00", which have no daylight saving time and
 * would put a European line's hours off by an hour half of the year.
 */
export const timeZoneSchema = z
  .string()
  .superRefine((zone, ctx) => {
    let resolved: string | undefined;
    try {
      if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) throw new RangeError(zone);
      resolved = new Intl.DateTimeFormat(undefined, { timeZone: zone }).resolvedOptions().timeZone;
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${zone}" is not an IANA time zone like "Europe/Warsaw"`, input: zone });
      return;
    }
    if (resolved.toLowerCase() === zone.toLowerCase() && resolved !== zone) {
      ctx.addIssue({ code: 'custom', message: `write the time zone as "${resolved}"`, input: zone });
    }
  })
  .describe('IANA time zone, like "America/New_York".');

/** `PnDTnHnM`: days, hours, minutes. Weeks, months and years are left out: their length varies. */
const DURATION = /^P(?!$)(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?)?$/;

/** Minutes in an ISO 8601 duration of the `PnDTnHnM` form, or undefined when it is not one. */
export function durationMinutes(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const [, days, hours, minutes] = match;
  return Number(days ?? 0) * 1440 + Number(hours ?? 0) * 60 + Number(minutes ?? 0);
}

export const durationSchema = z
  .string()
  .regex(DURATION, { error: 'must be an ISO 8601 duration like "PT4H", "P1D" or "P1DT12H" (days, hours, minutes)' })
  .refine((text) => (durationMinutes(text) ?? 1) > 0, { error: 'must be longer than zero' })
  .describe('ISO 8601 duration in days, hours and minutes, like "PT4H" or "P1DT12H"; more than zero.');

const OPEN_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const CLOSE_TIME = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;

const WEEKDAY = WEEKDAYS.join('|');
const DAY_ITEM = `(?:${WEEKDAY})(?:-(?:${WEEKDAY}))?`;
const DAY_SPEC = new RegExp(`^${DAY_ITEM}(?:,${DAY_ITEM})*$`);

/** The weekdays a day spec names, or an error message (a range running backwards over Sunday). */
export function daysOf(spec: string): Set<(typeof WEEKDAYS)[number]> | string {
  const days = new Set<(typeof WEEKDAYS)[number]>();
  for (const item of spec.split(',')) {
    const [from, to = from] = item.split('-') as [(typeof WEEKDAYS)[number], (typeof WEEKDAYS)[number]?];
    const start = WEEKDAYS.indexOf(from);
    const end = WEEKDAYS.indexOf(to);
    // Ranges run Monday to Sunday; "fri-mon" would be ambiguous to readers, so it is spelled out instead.
    if (end < start) return `the range "${item}" runs backwards; write it as "${from}-sun,mon-${to}"`;
    for (let i = start; i <= end; i += 1) days.add(WEEKDAYS[i]!);
  }
  return days;
}

const daySpecSchema = z.string().regex(DAY_SPEC, {
  error: 'must be days like "mon-fri", "sat" or "sat,sun" (mon, tue, wed, thu, fri, sat, sun)',
});

const openCloseSchema = z
  .tuple([
    z.string().regex(OPEN_TIME, { error: 'must be an opening time HH:MM, 00:00 to 23:59' }),
    z.string().regex(CLOSE_TIME, { error: 'must be a closing time HH:MM, 00:01 to 24:00' }),
  ])
  .refine(([open, close]) => close > open, {
    error: "close must be after open (hours past midnight go on the next day's entry)",
    path: [1],
  });

const dayHoursSchema = z.record(daySpecSchema, openCloseSchema).superRefine((hours, ctx) => {
  const specs = Object.keys(hours);
  if (specs.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'give at least one day range, or "24/7"', input: hours });
  }
  const seen = new Map<string, string>();
  for (const spec of specs) {
    const days = daysOf(spec);
    if (typeof days === 'string') {
      ctx.addIssue({ code: 'custom', message: days, path: [spec], input: spec });
      continue;
    }
    for (const day of days) {
      const earlier = seen.get(day);
      if (earlier !== undefined) {
        ctx.addIssue({ code: 'custom', message: `${day} is already given by "${earlier}"`, path: [spec], input: spec });
      } else {
        seen.set(day, spec);
      }
    }
  }
});

export const hoursSchema = z
  .union([z.literal('24/7'), dayHoursSchema], {
    error: 'must be "24/7" or an object of day ranges to [open, close], like {"mon-fri": ["09:00", "17:00"]}',
  })
  .describe('"24/7", or day ranges ("mon-fri", "sat", "sat,sun") to [open, close] in HH:MM of the line\'s time zone.');

const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date YYYY-MM-DD' })
  .refine(
    (text) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return true;
      const date = new Date(`${text}T00:00:00Z`);
      return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
    },
    { error: (issue) => `${String(issue.input)} is not a date that exists` },
  );

const instantSchema = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 instant like 2026-12-31T23:59:59Z' });

/** Per-language texts (spoken names, meanings): language tag to text. */
const perLanguageSchema = z.record(languageSchema, z.string().min(1, { error: 'must not be empty' }));

const nonEmptyArray = <T extends z.ZodType>(item: T, what: string) => z.array(item).min(1, { error: `give at least one ${what}` });

export const lineSchema = z.strictObject({
  number: e164Schema.describe("E.164 number that callers dial (Twilio's To)."),
  countries: nonEmptyArray(countrySchema, 'country').describe("Countries served; the caller's country picks among them, else the first."),
  language: languageSchema.describe("Language of the line's prompts."),
  languages: nonEmptyArray(languageSchema, 'language').optional().describe('More languages the caller may choose from a first menu, in this order.'),
  voice: z
    .string()
    .regex(/^(Polly\.[A-Z][A-Za-zé]+(-Neural|-Generative)?|Google\.[a-z]{2,3}-[A-Z]{2}-[A-Za-z0-9-]+)$/, {
      error: 'a Twilio voice like "Polly.Daniel-Neural" or "Google.de-DE-Wavenet-B"',
    })
    .optional()
    .describe("Twilio <Say voice> for the line's language, instead of the built-in one (docs/languages.md)."),
  timezone: timeZoneSchema.describe("IANA time zone of the line's hours."),
  survey: z.boolean().optional().describe('Ask every caller of this line to rate the help (1-5) after talking to an agent.'),
  extensions: z
    .record(z.string().regex(/^[0-9]$/, { error: 'extension keys must be one digit 0-9 ("*" and "#" are not menu keys)' }), refSchema)
    .refine((extensions) => Object.keys(extensions).length > 0, {
      error: 'give at least one extension, or leave extensions out for a line without a menu',
    })
    .optional()
    .describe('Menu digit to service id ("2": "technical" as in "ext. 2"). Absent: no menu.'),
  defaultService: refSchema.optional().describe('Service used without a valid menu choice; required when the line has no extensions.'),
  scheme: refSchema.describe('Priority scheme id (a key of schemes).'),
  label: z.string().optional().describe('Free-text label for operators.'),
  holdMusic: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL of an audio file Twilio can play' })
    .optional()
    .describe("Audio URL played to callers waiting in the queue, between announcements; absent: Twilio's default hold music."),
});

export const serviceSchema = z.strictObject({
  hours: hoursSchema,
  maxPriority: refSchema.optional().describe('Most urgent priority level id this service may be given.'),
  names: perLanguageSchema.optional().describe('Spoken name per language, like {"en-US": "technical support"}.'),
});

export const priorityLevelSchema = z.strictObject({
  id: idSchema.describe('Level id, free ("P1", "A"); callers press 1..N in scheme order.'),
  firstResponse: durationSchema.describe('ISO 8601 duration to the first response.'),
  restore: durationSchema.optional().describe('ISO 8601 duration to restoration, where the scheme has one.'),
  clock: z.enum(['24h', 'business'], { error: 'must be "24h" or "business"' }).optional().describe('Clock the durations run on; default "24h".'),
  hours: hoursSchema.optional().describe('Hours in which this level is answered even when the service is closed.'),
  meaning: perLanguageSchema.optional().describe('One-line meaning read to callers, per language.'),
});

export const planSchema = z.strictObject({
  phoneSupport: z.boolean().describe('Whether the plan includes phone support at all.'),
  services: z.array(refSchema).optional().describe('Services with phone support; required with phoneSupport.'),
  roles: z.array(refSchema).optional().describe('Roles allowed to call, like ["admin"]; required with phoneSupport.'),
  priorityQueue: z.boolean().optional().describe('Go first within a priority in the queue.'),
  maxPriority: refSchema.optional().describe('Most urgent level the plan may open.'),
  fairUse: z
    .strictObject({
      maxTopPriority: z
        .number()
        .int({ error: 'must be a whole number' })
        .min(0, { error: 'must be 0 or more' })
        .describe('Top-priority tickets allowed per window before the next is lowered a level.'),
      window: durationSchema.optional().describe('Window as an ISO 8601 duration; default PT24H.'),
    })
    .optional(),
  hours: hoursSchema.optional().describe("The plan's own hours, replacing the services' hours."),
  holidays: z.boolean().optional().describe('Whether country holidays close the line for this plan; default true.'),
  tier: z.number().int({ error: 'must be a whole number' }).min(1, { error: 'must be 1 or more' }).optional(),
  survey: z.boolean().optional().describe("Ask this plan's callers to rate the help (1-5) after talking to an agent."),
  autoEscalate: z.boolean().optional().describe('A ticket not answered by its first-response time moves to tier 2 and pages the on-call team.'),
  notifyStatusChanges: z.boolean().optional().describe('Notify the contact at every ticket status change.'),
});

export const personSchema = z.strictObject({
  name: z.string().min(1, { error: 'must not be empty' }),
  phone: e164Schema,
  role: refSchema.describe('Role, like "admin", "member" or "owner"; the plan\'s roles say who may call.'),
  barredUntil: instantSchema.optional().describe('Barred for abuse until this instant.'),
});

export const organizationSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1, { error: 'must not be empty' }),
  account: z
    .string()
    .regex(/^\d{4,20}$/, { error: 'must be an account number of 4 to 20 digits, written as a string' })
    .describe('Account number callers key in; 4-20 digits, as a string.'),
  plan: refSchema.describe('Plan id (a key of plans).'),
  verification: z
    .enum(['caller-id', 'always-code', 'stir-shaken'], { error: 'must be "caller-id", "always-code" or "stir-shaken"' })
    .describe('caller-id: trust a registered caller ID; always-code: always send a code; stir-shaken: trust caller ID only with attestation A.'),
  contacts: z
    .strictObject({
      phone: e164Schema.optional(),
      email: z.email({ error: 'must be an email address' }).optional(),
    })
    .describe('Registered contacts for verification codes and confirmations.'),
  people: z.array(personSchema),
  barredUntil: instantSchema.optional().describe('The whole organization barred for abuse until this instant.'),
});

export const agentSchema = z.strictObject({
  id: z.string().regex(/^\d{1,12}$/, { error: 'must be 1 to 12 digits: agents key their id in on the phone' }),
  name: z.string().min(1, { error: 'must not be empty' }),
  pin: z
    .string()
    .regex(/^\d{4,8}$/, { error: 'must be a PIN of 4 to 8 digits, written as a string' })
    .optional()
    .describe('Clear PIN of 4-8 digits; stored only as a salted hash once loaded.'),
  pinHash: z
    .string()
    .regex(/^scrypt\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/, { error: 'must be a hash "scrypt$<salt>$<hash>"' })
    .optional()
    .describe('Instead of pin: an already hashed PIN, scrypt$<saltB64>$<hashB64>.'),
  languages: nonEmptyArray(languageSchema, 'language'),
  services: nonEmptyArray(refSchema, 'service'),
  tier: z.number().int({ error: 'must be a whole number' }).min(1, { error: 'must be 1 or more' }).optional(),
});

export const supportDataSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of this JSON Schema, for editors; ignored when loading.'),
    lines: z.array(lineSchema).min(1, { error: 'give at least one line' }),
    services: z.record(idSchema, serviceSchema),
    holidays: z.record(countrySchema, z.array(dateSchema)).optional().describe('Holidays per country, YYYY-MM-DD.'),
    schemes: z.record(idSchema, z.array(priorityLevelSchema).min(1, { error: 'give at least one priority level' })),
    plans: z.record(idSchema, planSchema),
    organizations: z.array(organizationSchema),
    agents: z.strictObject({
      line: e164Schema.describe('The number agents call; must not also be a support line.'),
      people: z.array(agentSchema),
    }),
  })
  .meta({
    title: 'Support line data file',
    description: "The support line's data file: lines, services, priority schemes, plans, organizations and agents.",
  });

/** Mutual assignability: fails to compile the moment the schema and `SupportData` in model.ts drift apart. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type SchemaMatchesModel = Assert<Same<Omit<z.output<typeof supportDataSchema>, '$schema'>, SupportData>>;
