/**
 * Local mode's stand-in for SNS and SES: every text, email and page becomes one JSON line in the
 * `LOCAL_OUTBOX` file (contract §6), where a developer or a black-box test reads the code it would have
 * received. Tests tail this file while the server writes it, so a line must never appear half written.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DeliveryFailedError } from '../../domain/errors.js';
import type { Channel, Notifier, OutgoingMessage, Pager } from '../../app/ports.js';
import { PageFailedError, redactDestination } from '../notifier.js';

/** One line of the outbox file, keys in the contract's order. */
export interface OutboxLine {
  channel: Channel | 'page';
  to: string;
  /** `null` for text messages: every line has the same keys. */
  subject: string | null;
  body: string;
  sentAt: string;
}

/**
 * One promise chain per outbox file, shared by every notifier and pager of this process: appends run one
 * after another, so lines from concurrent sends never interleave even if Node splits a large write.
 */
const chains = new Map<string, Promise<unknown>>();

/** Appends one whole line (`JSON + '\n'` in a single `appendFile`), creating the folder first. */
export function appendOutboxLine(file: string, line: OutboxLine): Promise<void> {
  const path = resolve(file);
  const text = JSON.stringify(line) + '\n';
  const previous = chains.get(path) ?? Promise.resolve();
  const write = previous.then(async () => {
    await mkdir(dirname(path), { recursive: true });
    await appendFile(path, text, 'utf8');
  });
  // The chain continues past a failed write; the failure goes to this write's caller only.
  const tail = write.catch(() => undefined);
  chains.set(path, tail);
  void tail.then(() => {
    if (chains.get(path) === tail) chains.delete(path);
  });
  return write;
}

export interface OutboxNotifierOptions {
  /** Channels that fail as a real provider might (sandbox, unverified identity), to exercise the flows' fallbacks locally. */
  failChannels?: ReadonlySet<Channel>;
}

export class OutboxNotifier implements Notifier {
  constructor(
    private readonly file: string,
    private readonly now: () => Date = () => new Date(),
    private readonly opts: OutboxNotifierOptions = {},
  ) {}

  async send(message: OutgoingMessage): Promise<void> {
    const { channel, to } = message;
    if (this.opts.failChannels?.has(channel)) {
      throw new DeliveryFailedError(`outbox: ${channel} to ${redactDestination(channel, to)} failed (fault injected)`, channel);
    }
    try {
      await appendOutboxLine(this.file, {
        channel,
        to,
        subject: message.subject ?? null,
        body: message.body,
        sentAt: this.now().toISOString(),
      });
    } catch (cause) {
      throw new DeliveryFailedError(`outbox: could not write ${channel} to ${this.file}`, channel, { cause });
    }
  }
}

/** Pages land in the same file as channel `page` to `on-call`, so one `tail -f` shows everything the line sent. */
export class OutboxPager implements Pager {
  constructor(
    private readonly file: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async page(subject: string, body: string): Promise<void> {
    try {
      await appendOutboxLine(this.file, { channel: 'page', to: 'on-call', subject, body, sentAt: this.now().toISOString() });
    } catch (cause) {
      throw new PageFailedError(`outbox: could not write the page to ${this.file}`, { cause });
    }
  }
}
