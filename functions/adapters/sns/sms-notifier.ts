/**
 * Text messages through SNS direct publish to a phone number. Verification codes and ticket confirmations
 * are time-critical, so every message is `Transactional` (SNS routes those for reliability, not price).
 */
import { PublishCommand, type MessageAttributeValue, type SNSClient } from '@aws-sdk/client-sns';
import { DeliveryFailedError } from '../../domain/errors.js';
import type { Notifier, OutgoingMessage } from '../../app/ports.js';
import { errorName, redactDestination } from '../notifier.js';

export interface SnsSmsNotifierOptions {
  /** Alphanumeric sender ID (1–11 characters, at least one letter) where the destination country supports it. */
  senderId?: string;
}

/** SNS's rule for sender IDs; checked at wiring time so a typo fails the deploy's smoke test, not every code. */
const SENDER_ID = /^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/;

export class SnsSmsNotifier implements Notifier {
  private readonly senderId: string | undefined;

  constructor(
    private readonly client: SNSClient,
    opts: SnsSmsNotifierOptions = {},
  ) {
    if (opts.senderId !== undefined && !SENDER_ID.test(opts.senderId)) {
      throw new Error(`SNS sender ID must be 1-11 letters or digits with at least one letter, got "${opts.senderId}"`);
    }
    this.senderId = opts.senderId;
  }

  /**
   * Sends one text. Refuses email with a plain Error: routing email here is a wiring bug, not a delivery
   * failure the caller could work around. Every SDK failure becomes `DeliveryFailedError('sms')`.
   */
  async send(message: OutgoingMessage): Promise<void> {
    if (message.channel !== 'sms') {
      throw new Error(`SnsSmsNotifier sends text messages only, not ${message.channel}`);
    }
    const attributes: Record<string, MessageAttributeValue> = {
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
    };
    if (this.senderId) attributes['AWS.SNS.SMS.SenderID'] = { DataType: 'String', StringValue: this.senderId };
    try {
      await this.client.send(new PublishCommand({ PhoneNumber: message.to, Message: message.body, MessageAttributes: attributes }));
    } catch (cause) {
      throw new DeliveryFailedError(`SNS could not send a text message to ${redactDestination('sms', message.to)}: ${errorName(cause)}`, 'sms', { cause });
    }
  }
}
