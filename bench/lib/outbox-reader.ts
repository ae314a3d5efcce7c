/**
 * Reads the local outbox (JSON Lines) as it grows, from where it last stopped, so a load run with
 * thousands of messages does not re-read the whole file for every code it needs.
 */
import { openSync, readSync, closeSync, existsSync } from 'node:fs';

export interface OutboxMessage {
  channel: 'sms' | 'email' | 'page';
  to: string;
  subject: string | null;
  body: string;
  sentAt: string;
}

export class OutboxReader {
  readonly messages: OutboxMessage[] = [];
  private offset = 0;
  private partial = '';
  /** One read buffer for the reader's life: polls are frequent while callers wait for their codes. */
  private readonly buf = Buffer.alloc(1 << 16);

  constructor(private readonly file: string) {}

  /** Reads whatever was appended since the last call. */
  poll(): OutboxMessage[] {
    if (!existsSync(this.file)) return this.messages;
    const fd = openSync(this.file, 'r');
    try {
      const buf = this.buf;
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, this.offset);
        if (n <= 0) break;
        this.offset += n;
        const lines = (this.partial + buf.toString('utf8', 0, n)).split('\n');
        this.partial = lines.pop() ?? '';
        for (const l of lines) if (l.trim()) this.messages.push(JSON.parse(l) as OutboxMessage);
      }
    } finally {
      closeSync(fd);
    }
    return this.messages;
  }

  /** The newest 6-digit code sent to `to`, waiting up to `waitMs` for it to appear. */
  async codeFor(to: string, waitMs = 5_000): Promise<string> {
    const until = Date.now() + waitMs;
    for (;;) {
      const msgs = this.poll();
      for (let i = msgs.length - 1; i >= 0; i--) {
        const m = msgs[i]!;
        const code = m.to === to ? /\b(\d{6})\b/.exec(m.body)?.[1] : undefined;
        if (code) return code;
      }
      if (Date.now() > until) throw new Error(`no code for ${to} in the outbox`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
