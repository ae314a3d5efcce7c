/**
 * Emails through SES v2 as plain UTF-8 text: codes and ticket confirmations need no HTML, and plain text
 * keeps them readable in every client and out of spam filters' "HTML-only" buckets.
 */
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { DeliveryFailedError } from '../../domain/errors.js';
import type { Notifier, OutgoingMessage } from '../../app/ports.js';
import { errorName, redactDestination } from '../notifier.js';

export interface SesEmailNotifierOptions {
  /** A verified SES identity, e.g. `Support <support@example.com>`. */
  from: string;
  /** SES configuration set for bounce/complaint tracking, if the stack has one. */
  configurationSet?: string;
}

/** SES requires a subject; a message without one still gets a meaningful line. */
const DEFAULT_SUBJECT = 'Message from the support line';

export class SesEmailNotifier implements Notifier {
  constructor(
    private readonly client: SESv2Client,
    private readonly opts: SesEmailNotifierOptions,
  ) {
    if (!opts.from) throw new Error('SesEmailNotifier needs a verified "from" address');
  }

  /**
   * Sends one email. Refuses texts with a plain Error (a wiring bug); every SDK failure (unverified
   * identity, sandbox, throttling) becomes `DeliveryFailedError('email')`.
   */
  async send(message: OutgoingMessage): Promise<void> {
    if (message.channel !== 'email') {
      throw new Error(`SesEmailNotifier sends email only, not ${message.channel}`);
    }
    // A subject is one header line: line breaks in it would be rejected by SES.
    const subject = (message.subject ?? '').replace(/\s+/g, ' ').trim() || DEFAULT_SUBJECT;
    try {
      await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: this.opts.from,
          Destination: { ToAddresses: [message.to] },
          Content: {
            Simple: {
              Subject: { Data: subject, Charset: 'UTF-8' },
              Body: { Text: { Data: message.body, Charset: 'UTF-8' } },
            },
          },
          ...(this.opts.configurationSet ? { ConfigurationSetName: this.opts.configurationSet } : {}),
        }),
      );
    } catch (cause) {
      throw new DeliveryFailedError(`SES could not send an email to ${redactDestination('email', message.to)}: ${errorName(cause)}`, 'email', { cause });
    }
  }
}
