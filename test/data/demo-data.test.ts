import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDirectory, loadDirectory } from '../../functions/adapters/dynamodb/directory.js';
import { verifyPin } from '../../functions/adapters/crypto/pin-hash.js';
import { validateSupportData } from '../../functions/data/validate.js';
import type { SupportData } from '../../functions/domain/model.js';
import { startDynamo, type EmbeddedDynamo } from '../support/embedded-dynamo.js';

function demo(): SupportData {
  const result = validateSupportData(JSON.parse(readFileSync(new URL('../../data/demo.json', import.meta.url), 'utf8')));
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.data;
}

describe('the demo data file', () => {
  let dynamo: EmbeddedDynamo;
  beforeAll(async () => {
    dynamo = await startDynamo();
  });
  afterAll(async () => {
    await dynamo.stop();
  });

  it('has every published number the library validates, each with country, language, zone and scheme', () => {
    const data = demo();
    const byNumber = new Map(data.lines.map((line) => [line.number, line]));
    const expected: Array<[string, string[], boolean]> = [
      ['+18887999666', ['US'], true],
      ['+611800768027', ['AU'], true],
      ['+43316231266', ['AT'], true],
      ['+43800802079', ['AT'], true],
      ['+558007612618', ['BR'], true],
      ['+33800946464', ['FR'], true],
      ['+493080098621', ['DE'], true],
      ['+498000010429', ['DE'], true],
      ['+85230023757', ['HK'], false],
      ['+3907611811003', ['IT'], true],
      ['+81120427732', ['JP'], true],
      ['+601800819551', ['MY'], true],
      ['+523319304373', ['MX'], true],
      ['+64800475039', ['NZ'], true],
      ['+658003211249', ['SG'], true],
      ['+34932207485', ['ES'], true],
      ['+41315607204', ['CH'], true],
      ['+41800117799', ['CH'], true],
      ['+448003687314', ['GB'], true],
      ['+442070398961', ['GB'], true],
      ['+18008659408', ['US', 'CA'], false],
      ['+611800197503', ['AU'], false],
      ['+448000326417', ['GB'], false],
      ['+864000890365', ['CN'], false],
    ];
    for (const [number, countries, ext2] of expected) {
      const line = byNumber.get(number);
      expect(line, number).toBeDefined();
      expect(line?.countries, number).toEqual(countries);
      expect(line?.extensions, number).toEqual(ext2 ? { '2': 'technical' } : undefined);
      expect(line?.defaultService, number).toBe('technical');
      expect(line?.scheme, number).toBe('p1-p4');
    }
    expect(byNumber.get('+48221234567')).toMatchObject({ language: 'pl-PL', timezone: 'Europe/Warsaw', extensions: { '1': 'technical', '2': 'billing' } });
    expect(data.lines).toHaveLength(expected.length + 1);

    const excluded = JSON.parse(readFileSync(new URL('../../data/demo-excluded.json', import.meta.url), 'utf8'));
    expect(excluded.excluded.map((entry: { country: string; published: string }) => [entry.country, entry.published])).toEqual([
      ['India', '000 800 050 2040 ext. 2'],
      ['Japan', '+81 0053 132 0070 ext. 2'],
    ]);
  });

  it('has one organization per plan, with varied verification, registered admins and contacts', () => {
    const data = demo();
    expect(new Set(data.organizations.map((org) => org.plan))).toEqual(new Set(Object.keys(data.plans)));
    expect(new Set(data.organizations.map((org) => org.verification))).toEqual(new Set(['caller-id', 'always-code', 'stir-shaken']));
    for (const org of data.organizations) {
      expect(org.contacts.phone && org.contacts.email, org.id).toBeTruthy();
      expect(
        org.people.some((person) => person.role === 'admin' || person.role === 'owner'),
        org.id,
      ).toBe(true);
    }
    expect(data.plans.basic).toEqual({ phoneSupport: false });
    expect(data.plans.premier?.priorityQueue).toBe(true);
    expect(data.plans['premier-plus']?.roles).toContain('member');
    expect(data.agents.people).toHaveLength(3);
  });

  it('loads into DynamoDB and answers lookups', async () => {
    const data = demo();
    await loadDirectory(dynamo.doc, dynamo.tables.directory, data);
    const directory = new DynamoDirectory(dynamo.doc, dynamo.tables.directory);
    expect((await directory.config()).lines).toHaveLength(data.lines.length);
    expect((await directory.peopleByPhone('+48601234567')).map(({ org }) => org.id).sort()).toEqual(['contoso', 'litware']);
    expect((await directory.orgByAccount('70070007'))?.plan).toBe('premier-plus');
    const kenji = await directory.agentById('1003');
    expect(await verifyPin('135790', kenji!.pinHash!)).toBe(true);
  });
});
