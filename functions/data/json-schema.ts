/**
 * The JSON Schema editors use to check and complete a data file as it is typed, generated from the
 * zod schema so the two cannot disagree. It covers shapes and formats; cross-references (does this
 * service exist?) need `npm run data:check`.
 */
import { z } from 'zod';
import { supportDataSchema } from './schema.js';

/** Where the generated schema is committed, relative to the project root; data files point at it with `$schema`. */
export const JSON_SCHEMA_PATH = 'schema/support-data.schema.json';

export function supportDataJsonSchema(): Record<string, unknown> {
  // Checks without a JSON Schema form (time zones, real dates, day overlaps) are left to data:check.
  return z.toJSONSchema(supportDataSchema, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
}

/** The file's exact text: stable formatting, so a test can compare it byte for byte with the commit. */
export function renderSupportDataJsonSchema(): string {
  return `${JSON.stringify(supportDataJsonSchema(), null, 2)}\n`;
}
