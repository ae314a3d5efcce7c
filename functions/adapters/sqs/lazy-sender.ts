/**
 * Sends to one SQS queue for the adapters that stand in when something else fails (the ticket spool, the
 * notice queue). The SQS client is imported on first use: it is needed only during a failure, and loading
 * it at every cold start of the voice function would cost every caller. It fails fast like the other
 * clients, and any failure is a StoreUnavailableError naming `what`: the caller must not be told that
 * something was kept when it was not.
 */
import type { SendMessageCommandInput, SQSClient } from '@aws-sdk/client-sqs';
import { StoreUnavailableError } from '../../domain/errors.js';
import { sdkClientOptions } from '../sdk-client-options.js';

export class LazySqsSender {
  private sqs?: Promise<{ client: SQSClient; SendMessageCommand: typeof import('@aws-sdk/client-sqs').SendMessageCommand }>;

  constructor(
    private readonly queueUrl: string,
    private readonly clientConfig: { region: string; endpoint?: string },
    /** What the queue is, for the error: "ticket spool", "notice queue". */
    private readonly what: string,
  ) {}

  private connect() {
    this.sqs ??= import('@aws-sdk/client-sqs').then(({ SQSClient, SendMessageCommand }) => ({
      client: new SQSClient({ ...sdkClientOptions(), ...this.clientConfig }),
      SendMessageCommand,
    }));
    return this.sqs;
  }

  async send(message: Omit<SendMessageCommandInput, 'QueueUrl'>): Promise<void> {
    try {
      const { client, SendMessageCommand } = await this.connect();
      await client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, ...message }));
    } catch (e) {
      throw new StoreUnavailableError(`${this.what} (SQS) unavailable: ${(e as Error)?.name ?? 'Error'}`, { cause: e });
    }
  }
}
