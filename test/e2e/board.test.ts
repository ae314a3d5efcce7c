/**
 * The live board in a real browser (issue 16): the server `npm start` runs (started in this process: the
 * command itself is test/local/npm-start.test.ts's subject), callers placed with the terminal phone, and
 * Debian's headless Chromium driven by playwright-core. The waiting P1 must appear with its countdown within
 * 5 s, an agent taking it must show it with the agent, and Close must close it. The page's clock is paused
 * and moved on by the test: each wait for the board's next poll moves it by the time the board is allowed,
 * so the test neither sleeps through poll intervals nor depends on how fast the machine is.
 * A screenshot is saved to .local/board.png. Without /usr/bin/chromium (apt-get install chromium) this one
 * test is skipped and says so; .ci/run installs Chromium, so CI always runs it.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Phone, type KeysFunction } from '../../local/phone.js';
import { ROOT, startInProcess, type StartedLine } from './support/npm-start.js';
import { p1p4 } from '../support/fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`board browser test SKIPPED: ${CHROMIUM} is not installed (apt-get install -y chromium); .ci/run installs it`);

const LINE = '+13125550300';
const AGENTS = '+13125550399';
const ADA = '+13125550311';
const AGENT_PHONE = '+13125550377';

const data = {
  lines: [
    {
      number: LINE,
      countries: ['US'],
      language: 'en-US',
      timezone: 'America/Chicago',
      extensions: { '2': 'technical' },
      defaultService: 'technical',
      scheme: 'p1-p4',
    },
  ],
  services: { technical: { hours: '24/7' } },
  schemes: {
    'p1-p4': p1p4(),
  },
  plans: { business: { phoneSupport: true, services: ['technical'], roles: ['admin'] } },
  organizations: [
    {
      id: 'contoso',
      name: 'Contoso',
      account: '40012345',
      plan: 'business',
      verification: 'caller-id',
      contacts: { phone: ADA },
      people: [{ name: 'Ada', phone: ADA, role: 'admin' }],
    },
  ],
  agents: { line: AGENTS, people: [{ id: '1001', name: 'Sam', pin: '4321', languages: ['en-US'], services: ['technical'] }] },
};

const caller =
  (priorityKey: string): KeysFunction =>
  (prompt) =>
    /priority/i.test(prompt) ? priorityKey : /technical support, press/i.test(prompt) ? '2' : null;
const agentKeys: KeysFunction = (prompt) => (/agent ID/i.test(prompt) ? '1001#' : /\bPIN\b/.test(prompt) ? '4321#' : null);

describe('the board in Chromium', () => {
  let line: StartedLine;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!HAS_CHROMIUM) return;
    // The browser starts while the server does (neither needs the other before the page opens); it is kept even
    // when the server fails, so afterAll closes it.
    const launched = chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-gpu'] });
    try {
      line = await startInProcess(data);
    } finally {
      browser = await launched;
    }
    page = await browser.newPage({ viewport: { width: 1280, height: 1100 }, locale: 'en-US' });
    // The board's timers (its polls, the retry, the countdown's tick) fire only when `later` moves its clock.
    const now = Date.now();
    await page.clock.install({ time: now });
    await page.clock.pauseAt(now + 1000);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await line?.stop();
  });

  it.skipIf(!HAS_CHROMIUM)(
    'shows a waiting P1 with its countdown within 5 s, moves it to the agent who takes it, and closes it',
    async () => {
      const phone = (from: string, to: string) => new Phone({ baseUrl: line.base, authToken: line.authToken, from, to });
      /** The board's clock moves on by `ms`, every timer due meanwhile firing (its next poll within that time). */
      const later = (ms: number) => page.clock.runFor(ms);

      // Asked for the token once; a wrong one gets a sign-in message, never a blank page.
      await page.goto(`${line.base}/board`);
      await page.locator('#token').fill('not-the-token');
      await page.locator('#signin-form button').click();
      await expect.poll(() => page.locator('#signin-msg').textContent(), { timeout: 5000 }).toMatch(/refused or has expired/);
      await page.locator('#token').fill(line.apiToken);
      await page.locator('#token').press('Enter');
      await expect.poll(() => page.locator('#status').textContent(), { timeout: 5000 }).toMatch(/^Live/);

      const call = await phone(ADA, LINE).call(caller('1'));
      expect(call.endedBy).toBe('enqueue');
      const placed = Date.now();
      await later(5000);
      const { json } = await line.api('/api/tickets?status=waiting');
      const ticket = json.tickets[0];
      expect(ticket.priority).toBe('P1');

      const queueRow = page.locator('tr[data-queue="technical.en-US.t1"]');
      await queueRow.locator('.flag', { hasText: 'P1 waiting' }).waitFor({ timeout: 5000 });
      expect(Date.now() - placed).toBeLessThan(5000);
      expect(await queueRow.getAttribute('class')).toMatch(/urgent/);
      await expect.poll(() => queueRow.locator('.countdown').textContent(), { timeout: 3000 }).toMatch(/^in (59|1:00):\d\d$|^in 0:59:\d\d$|^in 59:\d\d$/);
      const ticketRow = page.locator(`tr[data-ticket="${ticket.number}"]`);
      await expect.poll(() => ticketRow.locator('.status').textContent(), { timeout: 5000 }).toBe('waiting');
      mkdirSync(join(ROOT, '.local'), { recursive: true });
      await page.screenshot({ path: join(ROOT, '.local', 'board-waiting.png'), fullPage: true });

      // The agent signs in and takes the next caller: the board shows the agent on it.
      const agentCall = await phone(AGENT_PHONE, AGENTS).call(agentKeys);
      expect(agentCall.dialed).toBeDefined();
      await later(5000);
      const agentItem = page.locator('li[data-agent="1001"]');
      await expect.poll(() => agentItem.locator('.state').textContent(), { timeout: 5000 }).toBe(`On a call with ticket ${ticket.number}`);
      await expect.poll(() => ticketRow.locator('.status').textContent(), { timeout: 5000 }).toBe('in progress');
      expect(await ticketRow.locator('td').nth(5).textContent()).toBe('1001');
      await expect.poll(() => page.locator('tr[data-queue="technical.en-US.t1"]').count(), { timeout: 5000 }).toBe(0);

      // Detail by keyboard: focus the ticket's button, Enter opens the panel; its timeline and verification show.
      await ticketRow.locator('button[data-open]').focus();
      await page.keyboard.press('Enter');
      await page.locator('#detail-body li[data-event="answered"]').waitFor({ timeout: 5000 });
      expect(await page.locator('#detail-body').textContent()).toMatch(/caller-id: verified/);
      expect(await page.locator('#detail-body .dues').textContent()).toMatch(/First response.*met/);
      await page.screenshot({ path: join(ROOT, '.local', 'board.png'), fullPage: true });

      await page.locator('#resolution').fill('Gateway restarted');
      await page.locator('#close-ticket').click();
      await expect.poll(() => page.locator('#detail-msg').textContent(), { timeout: 5000 }).toBe(`Ticket ${ticket.number} is closed.`);
      await expect.poll(() => ticketRow.locator('.status').textContent(), { timeout: 5000 }).toBe('closed');
      const closed = await line.api(`/api/tickets/${ticket.number}`);
      expect(closed.json).toMatchObject({ status: 'closed', resolution: 'Gateway restarted' });
      expect(line.outboxMessages().some((m) => m.body.includes(`Support ticket ${ticket.number} (P1) for Contoso is closed.`))).toBe(true);
      await page.screenshot({ path: join(ROOT, '.local', 'board-closed.png'), fullPage: true });

      // The API down: "reconnecting", the last data stays; back up: live again.
      await page.route('**/api/**', (route) => route.abort('connectionrefused'));
      await later(8000);
      await expect.poll(() => page.locator('#status').textContent(), { timeout: 8000 }).toMatch(/^Reconnecting/);
      expect(await ticketRow.count()).toBe(1);
      await page.unroute('**/api/**');
      await later(8000);
      await expect.poll(() => page.locator('#status').textContent(), { timeout: 8000 }).toMatch(/^Live/);

      // 200 % zoom of a 1280 px window is a 640 px viewport: the page reflows, nothing scrolls sideways.
      await page.setViewportSize({ width: 640, height: 900 });
      expect(await page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth')).toBe(true);
      await page.screenshot({ path: join(ROOT, '.local', 'board-200-percent.png'), fullPage: true });
    },
    90_000,
  );
});
