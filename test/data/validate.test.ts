import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonPath, validateSupportData, type Problem } from '../../functions/data/validate.js';

const readJson = (path: string): Record<string, any> => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
const demo = () => readJson('../../data/demo.json');
const small = () => readJson('./fixtures/valid-small.json');

function problemsOf(input: unknown): Problem[] {
  const result = validateSupportData(input);
  if (result.ok) throw new Error('expected problems, got a valid file');
  return result.problems;
}
const paths = (input: unknown) => problemsOf(input).map((problem) => problem.path);

describe('validateSupportData', () => {
  it('accepts the demo data file and returns it without the editor-only $schema', () => {
    const input = demo();
    const result = validateSupportData(input);
    expect(result.ok ? [] : result.problems).toEqual([]);
    if (!result.ok) return;
    expect(result.data).not.toHaveProperty('$schema');
    expect(result.data.lines).toEqual(input.lines);
    expect(result.data.organizations).toEqual(input.organizations);
  });

  it('accepts the small fixture with two schemes and extension fields', () => {
    expect(validateSupportData(small())).toMatchObject({ ok: true });
  });

  it('names every problem of a bad file by its exact JSON path, all at once', () => {
    expect(problemsOf(readJson('./fixtures/invalid-many.json'))).toEqual([
      { path: '$.lines[0].number', message: expect.stringMatching(/E\.164/) },
      { path: '$.lines[0].timezone', message: '"America/New_Yrok" is not an IANA time zone like "Europe/Warsaw"' },
      { path: '$.lines[0].extensions["*"]', message: expect.stringMatching(/one digit 0-9/) },
      { path: '$.schemes["p1-p4"][0].restore', message: expect.stringMatching(/ISO 8601 duration/) },
      { path: '$.schemes["p1-p4"][1].firstResponse', message: 'must be longer than zero' },
      { path: '$.lines[0].extensions["3"]', message: 'unknown service "sales" (defined: technical, billing)' },
      { path: '$.lines[1].scheme', message: 'unknown scheme "p1-p9" (defined: p1-p4)' },
      { path: '$.lines[1].defaultService', message: expect.stringMatching(/required when the line has no extensions/) },
      { path: '$.plans.business.services[1]', message: 'unknown service "support" (defined: technical, billing)' },
      { path: '$.organizations[0].plan', message: 'unknown plan "gold" (defined: business)' },
    ]);
  });

  it('reports wrong types, missing fields and unknown keys with a hint', () => {
    const data = small();
    data.lines[0].numbr = data.lines[0].number;
    delete data.lines[0].number;
    data.organizations[0].people[0].role = 7;
    data.agents.peple = [];
    data.services.billing.hours = '24/5';
    const problems = problemsOf(data);
    expect(problems).toContainEqual({ path: '$.lines[0].number', message: 'required' });
    expect(problems).toContainEqual({ path: '$.lines[0].numbr', message: 'unknown field; did you mean "number"?' });
    expect(problems).toContainEqual({ path: '$.agents.peple', message: 'unknown field; did you mean "people"?' });
    expect(problems).toContainEqual({ path: '$.organizations[0].people[0].role', message: 'must be a string, not a number' });
    expect(problems).toContainEqual({ path: '$.services.billing.hours', message: expect.stringMatching(/"24\/7" or an object/) });
    expect(problemsOf(42)).toEqual([{ path: '$', message: 'must be an object, not a number' }]);
    expect(paths({})).toEqual(['$.lines', '$.services', '$.schemes', '$.plans', '$.organizations', '$.agents']);
  });

  it('gives the precise problem inside day hours instead of a generic union error', () => {
    const data = small();
    data.services.billing.hours = { 'mon-fri': ['09:00', '17:00'], fri: ['18:00', '19:00'] };
    expect(problemsOf(data)).toEqual([{ path: '$.services.billing.hours.fri', message: 'fri is already given by "mon-fri"' }]);
    data.services.billing.hours = { 'mon-fri': ['17:00', '09:00'] };
    expect(paths(data)).toEqual(['$.services.billing.hours["mon-fri"][1]']);
  });

  it('checks maxPriority against every scheme of the lines offering the service', () => {
    const data = small();
    // billing is offered only by the p1-p4 line: "A" of the a-c scheme is no level there.
    data.services.billing.maxPriority = 'A';
    expect(problemsOf(data)).toEqual([
      { path: '$.services.billing.maxPriority', message: '"A" is not a level of scheme "p1-p4" used by $.lines[0] (levels: P1, P2, P3, P4)' },
    ]);
    // technical is offered on both lines (p1-p4 and a-c): a plan capped at P2 fails for the a-c line.
    const plan = small();
    plan.plans.premier.maxPriority = 'P2';
    expect(problemsOf(plan)).toEqual([
      { path: '$.plans.premier.maxPriority', message: '"P2" is not a level of scheme "a-c" used by $.lines[1] (levels: A, B, C)' },
    ]);
    // A service no line offers needs its maxPriority in at least some scheme.
    const unused = small();
    unused.services.sales = { hours: '24/7', maxPriority: 'B' };
    expect(validateSupportData(unused).ok).toBe(true);
    unused.services.sales.maxPriority = 'Z';
    expect(problemsOf(unused)).toEqual([{ path: '$.services.sales.maxPriority', message: '"Z" is not a level of any scheme' }]);
  });

  it('finds duplicates: line numbers, organization ids and accounts, agent ids, scheme level ids, phones in an org', () => {
    const data = small();
    data.lines.push({ ...data.lines[0], extensions: undefined });
    data.organizations.push(structuredClone(data.organizations[0]));
    data.organizations[0].people[1].phone = data.organizations[0].people[0].phone;
    data.agents.people.push({ ...data.agents.people[0] });
    data.schemes['a-c'][2].id = 'A';
    expect(problemsOf(data)).toEqual([
      { path: '$.lines[2].number', message: '+18887999666 is also the number of $.lines[0]' },
      { path: '$.schemes["a-c"][2].id', message: '"A" is already the id of level [0] of this scheme' },
      { path: '$.organizations[0].people[1].phone', message: '+48601234567 is also the phone of people[0] of this organization' },
      { path: '$.organizations[2].id', message: '"contoso" is also the id of $.organizations[0]' },
      { path: '$.organizations[2].account', message: '40012345 is also the account of $.organizations[0]' },
      { path: '$.agents.people[2].id', message: '"1001" is also the id of $.agents.people[0]' },
    ]);
  });

  it('allows a phone in two organizations, and a defaultService outside the menu', () => {
    const data = small();
    data.lines[0].defaultService = 'billing';
    data.lines[0].extensions = { '2': 'technical' };
    expect(validateSupportData(data).ok).toBe(true);
  });

  it('rejects an agents line that is also a support line, and checks agents and plans', () => {
    const data = small();
    data.agents.line = data.lines[1].number;
    delete data.agents.people[0].pin;
    data.agents.people[1].pinHash = 'scrypt$c2FsdA==$aGFzaA==';
    data.agents.people[1].services = ['technical', 'sales'];
    data.plans.business = { phoneSupport: true, roles: [] };
    data.plans.premier.fairUse.maxTopPriority = -1;
    data.organizations[1].contacts = {};
    expect(problemsOf(data)).toEqual([
      { path: '$.plans.premier.fairUse.maxTopPriority', message: 'must be 0 or more' },
      { path: '$.plans.business.services', message: expect.stringMatching(/^required with phoneSupport/) },
      { path: '$.plans.business.roles', message: expect.stringMatching(/^required with phoneSupport/) },
      { path: '$.organizations[1].contacts', message: expect.stringMatching(/needs a phone or an email/) },
      { path: '$.agents.line', message: '+48221234567 is also the support line $.lines[1]; agents need a number of their own' },
      { path: '$.agents.people[0].pin', message: 'required (or pinHash): agents log in with it' },
      { path: '$.agents.people[1].services[1]', message: 'unknown service "sales" (defined: technical, billing)' },
      { path: '$.agents.people[1].pinHash', message: 'give pin or pinHash, not both' },
    ]);
  });

  it('runs the cross-reference checks even where the schema already failed', () => {
    const data = small();
    data.lines[0].number = 'not a number';
    data.organizations[0].plan = 'gold';
    data.holidays.US = ['2026-02-30'];
    expect(paths(data)).toEqual(['$.lines[0].number', '$.holidays.US[0]', '$.organizations[0].plan']);
  });

  it('writes JSON paths with dots for identifiers and brackets for everything else', () => {
    expect(jsonPath([])).toBe('$');
    expect(jsonPath(['lines', 0, 'number'])).toBe('$.lines[0].number');
    expect(jsonPath(['plans', 'business', 'services', 1])).toBe('$.plans.business.services[1]');
    expect(jsonPath(['plans', 'premier-plus'])).toBe('$.plans["premier-plus"]');
    expect(jsonPath(['lines', 3, 'extensions', '2'])).toBe('$.lines[3].extensions["2"]');
  });
});
