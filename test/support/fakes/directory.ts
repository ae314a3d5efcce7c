/**
 * The loaded data file in memory (the `Directory` port), with the DynamoDB directory's lookups: phones
 * and account numbers normalized the same way, one entry per organization a phone is registered with,
 * agents with a salted `pinHash` and never the clear PIN.
 */
import type { Directory } from '../../../functions/app/ports.js';
import type { Agent, LineConfig, Organization, Person, SupportData } from '../../../functions/domain/model.js';
import { normalizeAccount, normalizePhone } from '../../../functions/adapters/dynamodb/directory-keys.js';
import { hashPin } from '../../../functions/adapters/crypto/pin-hash.js';
import { copy } from './table.js';

export class FakeDirectory implements Directory {
  private constructor(
    private readonly lineConfig: LineConfig,
    private readonly orgs: Map<string, Organization>,
    private readonly accounts: Map<string, string>,
    private readonly phones: Map<string, Array<{ orgId: string; person: Person }>>,
    private readonly agents: Map<string, Agent>,
  ) {}

  /** Loads a validated data file, as `loadDirectory` does (PINs hashed). */
  static async load(data: SupportData): Promise<FakeDirectory> {
    const config: LineConfig = {
      lines: data.lines,
      services: data.services,
      holidays: data.holidays ?? {},
      schemes: data.schemes,
      plans: data.plans,
      agentsLine: data.agents.line,
    };
    const orgs = new Map<string, Organization>();
    const accounts = new Map<string, string>();
    const phones = new Map<string, Array<{ orgId: string; person: Person }>>();
    for (const org of data.organizations) {
      orgs.set(org.id, copy(org));
      accounts.set(normalizeAccount(org.account), org.id);
      const seen = new Set<string>();
      for (const person of org.people) {
        const phone = normalizePhone(person.phone);
        if (seen.has(phone)) continue;
        seen.add(phone);
        phones.set(phone, [...(phones.get(phone) ?? []), { orgId: org.id, person: copy({ ...person, phone }) }]);
      }
    }
    const agents = new Map<string, Agent>();
    for (const { pin, ...rest } of data.agents.people) {
      agents.set(rest.id, copy({ ...rest, pinHash: pin !== undefined ? await hashPin(pin) : rest.pinHash }));
    }
    return new FakeDirectory(copy(config), orgs, accounts, phones, agents);
  }

  async config(): Promise<LineConfig> {
    return copy(this.lineConfig);
  }

  async peopleByPhone(phone: string): Promise<Array<{ org: Organization; person: Person }>> {
    const normalized = normalizePhone(phone);
    if (normalized.length < 2) return [];
    return (this.phones.get(normalized) ?? []).flatMap(({ orgId, person }) => {
      const org = this.orgs.get(orgId);
      return org ? [{ org: copy(org), person: copy(person) }] : [];
    });
  }

  async orgByAccount(account: string): Promise<Organization | undefined> {
    const normalized = normalizeAccount(account);
    const id = normalized === '' ? undefined : this.accounts.get(normalized);
    return id === undefined ? undefined : this.orgById(id);
  }

  async orgById(id: string): Promise<Organization | undefined> {
    const org = this.orgs.get(id);
    return org ? copy(org) : undefined;
  }

  async agentById(id: string): Promise<Agent | undefined> {
    const agent = this.agents.get(id.trim());
    return agent ? copy(agent) : undefined;
  }
}
