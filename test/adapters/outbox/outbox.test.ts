import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutboxNotifier, OutboxPager } from '../../../functions/adapters/outbox/outbox.js';
import { DeliveryFailedError } from '../../../functions/domain/errors.js';

const fixed = () => new Date('2026-03-01T10:00:00.000Z');
const lines = (file: string) => readFileSync(file, 'utf8');

describe('outbox', () => {
  it('writes one JSON line per message in the contract’s shape, creating the folder', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'outbox-')), 'nested', 'deeper', 'outbox.jsonl');
    const notifier = new OutboxNotifier(file, fixed);
    await notifier.send({ channel: 'sms', to: '+48601234567', body: 'Your code is 123456' });
    await notifier.send({ channel: 'email', to: 'it@contoso.example', subject: 'Code', body: 'Your code is 654321' });
    await new OutboxPager(file, fixed).page('P1 waiting', 'ticket 1234');
    const text = lines(file);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trimEnd().split('\n')).toEqual([
      '{"channel":"sms","to":"+48601234567","subject":null,"body":"Your code is 123456","sentAt":"2026-03-01T10:00:00.000Z"}',
      '{"channel":"email","to":"it@contoso.example","subject":"Code","body":"Your code is 654321","sentAt":"2026-03-01T10:00:00.000Z"}',
      '{"channel":"page","to":"on-call","subject":"P1 waiting","body":"ticket 1234","sentAt":"2026-03-01T10:00:00.000Z"}',
    ]);
  });

  it('keeps 100 concurrent sends (notifiers and a pager on the same file) as 100 whole lines', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'outbox-')), 'outbox.jsonl');
    const a = new OutboxNotifier(file, fixed);
    const b = new OutboxNotifier(file, fixed);
    const pager = new OutboxPager(file, fixed);
    const big = 'x'.repeat(100_000); // larger than one pipe/page write: must still not interleave
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        i % 10 === 0
          ? pager.page(`page ${i}`, big)
          : (i % 2 ? a : b).send({
              channel: i % 3 ? 'sms' : 'email',
              to: `+1555000${String(i).padStart(4, '0')}`,
              subject: `s${i}`,
              body: `body ${i} ${i % 7 === 0 ? big : ''}`,
            }),
      ),
    );
    const text = lines(file);
    expect(text.endsWith('\n')).toBe(true);
    const parsed = text
      .slice(0, -1)
      .split('\n')
      .map((l) => JSON.parse(l) as { channel: string; to: string; body: string });
    expect(parsed).toHaveLength(100);
    expect(parsed.filter((m) => m.channel === 'page')).toHaveLength(10);
    const tos = new Set(parsed.filter((m) => m.channel !== 'page').map((m) => m.to));
    expect(tos.size).toBe(90);
  });

  it('injected channel failures throw DeliveryFailedError and write nothing', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'outbox-')), 'outbox.jsonl');
    const notifier = new OutboxNotifier(file, fixed, { failChannels: new Set(['sms']) });
    const err = await notifier.send({ channel: 'sms', to: '+48601234567', body: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryFailedError);
    expect(err).toMatchObject({ channel: 'sms' });
    expect(existsSync(file)).toBe(false);
    await notifier.send({ channel: 'email', to: 'a@b.example', subject: 's', body: 'ok' });
    expect(lines(file).trimEnd().split('\n')).toHaveLength(1);
  });

  it('a write that fails (path is a folder) is a DeliveryFailedError and does not block later writes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
    const bad = new OutboxNotifier(dir, fixed); // appending to a directory fails
    await expect(bad.send({ channel: 'email', to: 'a@b.example', body: 'x' })).rejects.toMatchObject({ name: 'DeliveryFailedError', channel: 'email' });
    const good = join(dir, 'ok.jsonl');
    await new OutboxNotifier(good, fixed).send({ channel: 'sms', to: '+1', body: 'y' });
    expect(lines(good)).toContain('"body":"y"');
  });
});
