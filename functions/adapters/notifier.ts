/**
 * Routes each outgoing message to the adapter of its channel. The flows only know `Notifier`; whether a
 * deployment can text, email or both is decided here once, at wiring time, instead of in every flow.
 */
import { DeliveryFailedError, DomainError } from '../domain/errors.js';
import type { Channel, Notifier, OutgoingMessage } from '../app/ports.js';

export interface ChannelNotifiers {
  sms?: Notifier;
  email?: Notifier;
}

/**
 * A `Notifier` that hands texts to `sms` and emails to `email`. A missing channel is a delivery failure
 * (not a crash), so the caller hears "we could not send the code" and may pick the other channel.
 */
export class ChannelNotifier implements Notifier {
  constructor(private readonly notifiers: ChannelNotifiers) {}

  async send(message: OutgoingMessage): Promise<void> {
    const target = this.notifiers[message.channel];
    if (!target) throw new DeliveryFailedError(`no ${message.channel} channel is configured`, message.channel);
    await target.send(message);
  }
}

/**
 * The destination as it may appear in logs and error messages: its last two characters only. Error messages
 * end up in CloudWatch; a caller's phone number or email address does not belong there.
 */
export function redactDestination(channel: Channel, to: string): string {
  if (channel === 'email') {
    const at = to.lastIndexOf('@');
    return at > 0 ? `…@${to.slice(at + 1)}` : '…';
  }
  return to.length > 2 ? `…${to.slice(-2)}` : '…';
}

/** The SDK's exception name (e.g. `InvalidParameterException`) tells an operator what to fix; its message may carry the destination. */
export function errorName(err: unknown): string {
  if (err instanceof Error) return err.name;
  return typeof err;
}

/** A page could not be published. Not a `DeliveryFailedError`: that one names a caller-facing channel. */
export class PageFailedError extends DomainError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'page-failed', options);
  }
}
