/**
 * Builds the demo data file `data/demo.json` (and `data/demo-excluded.json`, the published numbers left
 * out and why) from the published tables in `demo-lines-source.ts`. Generated rather than hand-written
 * so every number is normalized by libphonenumber-js the same way an operator's import would be; a test
 * checks the committed files equal a fresh build. Run: `npm exec -- tsx scripts/build-demo-data.ts`.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Line, SupportData } from '../functions/domain/model.js';
import { importLines, normalizePublishedNumber, type ImportNote, type ImportRejection } from '../functions/data/import-lines.js';
import { DEMO_POLISH_LINE, PRODUCTIVITY_SUITE_TABLE, VIDEO_VENDOR_TABLE } from './demo-lines-source.js';

export interface DemoExcluded {
  $comment: string;
  /** Published numbers kept out of the lines, with libphonenumber-js's verdict. */
  excluded: Array<ImportRejection & { source: string }>;
  /** Numbers kept, but only after a correction worth knowing about (a trunk 0 after the country code). */
  notes: Array<ImportNote & { source: string }>;
}

const SOURCES = [
  { source: 'video-conferencing vendor', labelPrefix: 'Video vendor', table: VIDEO_VENDOR_TABLE },
  { source: 'productivity suite', labelPrefix: 'Productivity suite', table: PRODUCTIVITY_SUITE_TABLE },
];

function demoLines(): { lines: Line[]; excluded: DemoExcluded['excluded']; notes: DemoExcluded['notes'] } {
  const lines: Line[] = [];
  const excluded: DemoExcluded['excluded'] = [];
  const notes: DemoExcluded['notes'] = [];
  for (const { source, labelPrefix, table } of SOURCES) {
    const result = importLines(table, { scheme: 'p1-p4', service: 'technical', labelPrefix });
    lines.push(...result.lines);
    excluded.push(...result.rejected.map((entry) => ({ source, ...entry })));
    notes.push(...result.notes.map((entry) => ({ source, ...entry })));
  }
  const polish = normalizePublishedNumber(DEMO_POLISH_LINE, 'PL');
  if (!polish.ok) throw new Error(`demo Polish line: ${polish.reason}`);
  lines.push({
    number: polish.e164,
    countries: ['PL'],
    language: 'pl-PL',
    timezone: 'Europe/Warsaw',
    extensions: { '1': 'technical', '2': 'billing' },
    defaultService: 'technical',
    scheme: 'p1-p4',
    label: 'Demo: Poland (made-up number, for the Polish prompts)',
  });
  return { lines, excluded, notes };
}

const org = (
  id: string,
  name: string,
  account: string,
  plan: string,
  verification: SupportData['organizations'][number]['verification'],
  phone: string,
  email: string,
  people: SupportData['organizations'][number]['people'],
): SupportData['organizations'][number] => ({ id, name, account, plan, verification, contacts: { phone, email }, people });

export function buildDemoData(): { data: SupportData & { $schema: string }; excluded: DemoExcluded } {
  const { lines, excluded, notes } = demoLines();
  const phoneServices = ['technical', 'billing'];
  const data: SupportData & { $schema: string } = {
    $schema: '../schema/support-data.schema.json',
    lines,
    services: {
      technical: { hours: '24/7' },
      billing: { hours: { 'mon-fri': ['09:00', '17:00'] }, maxPriority: 'P2' },
    },
    holidays: {
      US: ['2026-11-26', '2026-12-25', '2027-01-01'],
      CA: ['2026-12-25', '2027-01-01'],
      PL: ['2026-11-11', '2026-12-24', '2026-12-25', '2026-12-26', '2027-01-01', '2027-01-06'],
      GB: ['2026-12-25', '2026-12-28', '2027-01-01'],
      DE: ['2026-10-03', '2026-12-25', '2026-12-26', '2027-01-01'],
      AU: ['2026-12-25', '2026-12-28', '2027-01-01', '2027-01-26'],
      JP: ['2027-01-01'],
    },
    schemes: {
      'p1-p4': [
        { id: 'P1', firstResponse: 'PT1H', restore: 'PT4H' },
        { id: 'P2', firstResponse: 'PT4H', restore: 'PT8H' },
        { id: 'P3', firstResponse: 'PT24H' },
        { id: 'P4', firstResponse: 'PT24H' },
      ],
    },
    plans: {
      basic: { phoneSupport: false },
      business: { phoneSupport: true, services: phoneServices, roles: ['admin'] },
      education: { phoneSupport: true, services: phoneServices, roles: ['admin'] },
      enterprise: { phoneSupport: true, services: phoneServices, roles: ['admin'] },
      api: { phoneSupport: true, services: phoneServices, roles: ['admin', 'owner'] },
      premier: { phoneSupport: true, services: phoneServices, roles: ['admin', 'member'], priorityQueue: true },
      'premier-plus': {
        phoneSupport: true,
        services: phoneServices,
        roles: ['admin', 'member'],
        priorityQueue: true,
        fairUse: { maxTopPriority: 5, window: 'PT24H' },
        tier: 2,
        notifyStatusChanges: true,
      },
    },
    organizations: [
      org('brightpath', 'Brightpath Studio', '10000001', 'basic', 'caller-id', '+12025550101', 'owner@brightpath.example', [
        { name: 'Jo Rivera', phone: '+12025550101', role: 'admin' },
      ]),
      org('contoso', 'Contoso', '40012345', 'business', 'caller-id', '+48601234567', 'it@contoso.example', [
        { name: 'Ada Nowak', phone: '+48601234567', role: 'admin' },
        { name: 'Mel Kowalski', phone: '+48601234999', role: 'member' },
      ]),
      org('northwind-university', 'Northwind University', '20020002', 'education', 'always-code', '+447700900101', 'helpdesk@northwind.example', [
        { name: 'Priya Shah', phone: '+447700900101', role: 'admin' },
        { name: 'Tom Hughes', phone: '+447700900102', role: 'member' },
      ]),
      org('fabrikam', 'Fabrikam', '30030003', 'enterprise', 'stir-shaken', '+12125550123', 'itops@fabrikam.example', [
        { name: 'Grace Lee', phone: '+12125550123', role: 'admin' },
        { name: 'Omar Haddad', phone: '+12125550124', role: 'member' },
      ]),
      org('tailspin', 'Tailspin Toys', '50050005', 'api', 'caller-id', '+61491570156', 'dev@tailspin.example', [
        { name: 'Noah Smith', phone: '+61491570156', role: 'owner' },
        { name: 'Mia Chen', phone: '+61491570157', role: 'admin' },
      ]),
      org('woodgrove', 'Woodgrove Bank', '60060006', 'premier', 'stir-shaken', '+13125550142', 'support@woodgrove.example', [
        { name: 'Ava Johnson', phone: '+13125550142', role: 'admin' },
        { name: 'Liam Brown', phone: '+13125550143', role: 'member' },
      ]),
      org('litware', 'Litware', '70070007', 'premier-plus', 'always-code', '+4915123456789', 'ops@litware.example', [
        { name: 'Lena Fischer', phone: '+4915123456789', role: 'admin' },
        { name: 'Jonas Weber', phone: '+4915123456790', role: 'member' },
        // Also Contoso's admin: one phone in two organizations, so the caller is asked which one.
        { name: 'Ada Nowak', phone: '+48601234567', role: 'member' },
      ]),
    ],
    agents: {
      line: '+15550100000',
      people: [
        { id: '1001', name: 'Sam', pin: '4321', languages: ['en-US', 'en-GB'], services: ['technical', 'billing'] },
        { id: '1002', name: 'Ewa', pin: '2468', languages: ['pl-PL', 'en-GB'], services: ['technical', 'billing'] },
        { id: '1003', name: 'Kenji', pin: '135790', languages: ['ja-JP', 'en-US'], services: ['technical'], tier: 2 },
      ],
    },
  };
  return {
    data,
    excluded: {
      $comment: 'Generated by scripts/build-demo-data.ts from scripts/demo-lines-source.ts; do not edit.',
      excluded,
      notes,
    },
  };
}

/** The generated files' contents by path relative to the project root, exactly as committed. */
export function renderDemoFiles(): Record<'data/demo.json' | 'data/demo-excluded.json', string> {
  const { data, excluded } = buildDemoData();
  return {
    'data/demo.json': `${JSON.stringify(data, null, 2)}\n`,
    'data/demo-excluded.json': `${JSON.stringify(excluded, null, 2)}\n`,
  };
}

export async function main(): Promise<void> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  for (const [path, text] of Object.entries(renderDemoFiles())) {
    await writeFile(`${root}${path}`, text);
    process.stdout.write(`wrote ${path}\n`);
  }
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  if (args.length) {
    const help = args.every((a) => a === '--help' || a === '-h');
    (help ? process.stdout : process.stderr).write(
      'usage: npm exec -- tsx scripts/build-demo-data.ts   (no arguments: rebuilds data/demo.json and data/demo-excluded.json)\n',
    );
    process.exitCode = help ? 0 : 1;
  } else await main();
}
