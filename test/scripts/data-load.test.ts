import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { dataLoad, type CliEnv, type CliIo } from '../../functions/data/cli.js';
import { DynamoDirectory } from '../../functions/adapters/dynamodb/directory.js';
import { startDynamo, type EmbeddedDynamo } from '../support/embedded-dynamo.js';

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line) };
  return { io, out, err };
}

describe('data:load', () => {
  let dynamo: EmbeddedDynamo;
  let env: CliEnv;
  beforeAll(async () => {
    dynamo = await startDynamo();
    env = { DYNAMODB_ENDPOINT: dynamo.endpoint, TABLE_DIRECTORY: dynamo.tables.directory, AWS_REGION: 'us-east-1' };
  });
  afterAll(async () => {
    await dynamo.stop();
  });

  const itemCount = async () => (await dynamo.doc.send(new ScanCommand({ TableName: dynamo.tables.directory }))).Items?.length ?? 0;

  it('writes nothing for a file with problems, and lists them', async () => {
    const { io, out, err } = capture();
    expect(await dataLoad([path('../data/fixtures/invalid-many.json')], io, env)).toBe(1);
    expect(out).toEqual([]);
    expect(err).toContain('$.organizations[0].plan: unknown plan "gold" (defined: business)');
    expect(err.at(-1)).toBe('nothing was loaded');
    expect(await itemCount()).toBe(0);
  });

  it('writes nothing for unreadable files', async () => {
    const { io, err } = capture();
    expect(await dataLoad([path('./no-such-file.json')], io, env)).toBe(1);
    expect(err[0]).toMatch(/^cannot read .*no-such-file\.json: no such file$/);
    expect(await itemCount()).toBe(0);
  });

  it('loads a valid file into the table the environment names, and replaces it on the next load', async () => {
    const first = capture();
    expect(await dataLoad([path('../../data/demo.json')], first.io, env)).toBe(0);
    expect(first.out[0]).toMatch(/^loaded .*demo\.json into directory-\w+: 25 lines, 7 organizations, 3 agents; generation \S+$/);
    const directory = new DynamoDirectory(dynamo.doc, dynamo.tables.directory, { cacheMs: 0 });
    expect((await directory.orgByAccount('40012345'))?.id).toBe('contoso');

    const second = capture();
    expect(await dataLoad([path('../data/fixtures/valid-small.json')], second.io, env)).toBe(0);
    expect(second.out[1]).toMatch(/^replaced generation \S+; deleted \d+ old items$/);
    // Progress lines come once a second of a slow load (how slow depends on the machine); nothing else.
    expect(second.err.filter((l) => !/^loading \d+\/\d+ directory items/.test(l))).toEqual([]);
    expect(await directory.orgByAccount('70070007')).toBeUndefined();
    expect((await directory.orgByAccount('00077'))?.id).toBe('fabrikam');
  });

  it('exits 1 with a clear message when the table does not exist', async () => {
    const { io, err } = capture();
    expect(await dataLoad([path('../data/fixtures/valid-small.json')], io, { ...env, TABLE_DIRECTORY: 'no-such-table' })).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^cannot load into no-such-table at http:\/\/127\.0\.0\.1:\d+: /)]);
  });
});
