/**
 * A notifier that keeps what it was asked to send, for the in-process bench and tests that need the
 * code a caller received (SNS/SES are measured elsewhere; here they would only add a mocked no-op).
 */
import type { Notifier, OutgoingMessage } from '../../functions/ports.js';

export class RecordingNotifier implements Notifier {
  readonly sent: OutgoingMessage[] = [];

  async send(message: OutgoingMessage): Promise<void> {
    this.sent.push(message);
  }

  /** The 6-digit code in the newest message to `to`. */
  codeFor(to: string): string {
    for (let i = this.sent.length - 1; i >= 0; i--) {
      const m = this.sent[i]!;
      const code = m.to === to ? /\b(\d{6})\b/.exec(m.body)?.[1] : undefined;
      if (code) return code;
    }
    throw new Error(`no code was sent to ${to}`);
  }
}

/** The reference a caller heard for a spooled ticket ("Your reference is 9, 0, 1, ..."), digits only. */
export function heardReference(heard: readonly string[]): string | undefined {
  for (const h of heard) {
    const m = /reference is ([\d, ]+)/.exec(h);
    if (m) return m[1]!.replace(/\D/g, '');
  }
  return undefined;
}

/** The ticket number a caller heard ("Your ticket number is 1, 0, 0, ..."), digits only. */
export function heardTicketNumber(heard: readonly string[]): string | undefined {
  for (const h of heard) {
    const m = /ticket number is ([\d, ]+)/.exec(h);
    if (m) return m[1]!.replace(/\D/g, '');
  }
  return undefined;
}
