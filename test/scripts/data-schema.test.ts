import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dataSchema, type CliIo } from '../../functions/data/cli.js';
import { JSON_SCHEMA_PATH, renderSupportDataJsonSchema, supportDataJsonSchema } from '../../functions/data/json-schema.js';

function capture(): CliIo & { out: (line: string) => void; lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (line) => lines.push(line), err: (line) => errors.push(line) };
}

describe('data:schema', () => {
  it('the committed JSON Schema equals freshly generated output (run npm run data:schema after schema changes)', () => {
    expect(readFileSync(new URL(`../../${JSON_SCHEMA_PATH}`, import.meta.url), 'utf8')).toBe(renderSupportDataJsonSchema());
  });

  it('--check says so when the committed file is up to date', async () => {
    const io = capture();
    expect(await dataSchema(['--check'], io, {})).toBe(0);
    expect(io.lines).toEqual([`${JSON_SCHEMA_PATH} is up to date`]);
  });

  it('describes strict objects with the E.164 pattern and the day-hours form', () => {
    const schema = supportDataJsonSchema() as any;
    expect(schema.additionalProperties).toBe(false);
    const line = schema.properties.lines.items;
    expect(line.additionalProperties).toBe(false);
    expect(line.properties.number.pattern).toBe('^\\+[1-9]\\d{6,14}$');
    expect(line.properties.extensions.propertyNames.pattern).toBe('^[0-9]$');
    expect(schema.properties.agents.properties.people.items.properties.pin.pattern).toBe('^\\d{4,8}$');
  });
});
