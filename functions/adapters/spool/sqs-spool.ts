/**
 * The ticket spool on AWS: one SQS message per ticket the flow could not store in DynamoDB. SQS is a
 * different service with its own failure domain, so a DynamoDB outage or throttling does not take the
 * spool down with it; the `spool-replay` function stores the tickets once DynamoDB answers again.
 *
 * The SQS client is imported on first use: the spool is needed only during an outage, and loading the
 * SDK client at every cold start of the voice function would cost every caller for it.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { TicketSpool } from '../../app/ports.js';
import type { Ticket } from '../../domain/tickets.js';
import { StoreUnavailableError } from '../../domain/errors.js';
import { spoolRecord } from '../../domain/spool-record.js';
import { sdkClientOptions } from '../sdk-client-options.js';

export class SqsTicketSpool implements TicketSpool {
  private sqs?: Promise<{ client: SQSClient; SendMessageCommand: typeof import('@aws-sdk/client-sqs').SendMessageCommand }>;

  constructor(
    private readonly queueUrl: string,
    private readonly clientConfig: { region: string; endpoint?: string },
    private readonly now: () => Date = () => new Date(),
  ) {}

  private connect() {
    this.sqs ??= import('@aws-sdk/client-sqs').then(({ SQSClient, SendMessageCommand }) => ({
      // Fail fast like the DynamoDB client: the caller is waiting for the reference.
      client: new SQSClient({ ...sdkClientOptions(), ...this.clientConfig }),
      SendMessageCommand,
    }));
    return this.sqs;
  }

  async save(ticket: Ticket): Promise<void> {
    try {
      const { client, SendMessageCommand } = await this.connect();
      await client.send(
        new SendMessageCommand({
          QueueUrl: this.queueUrl,
          MessageBody: JSON.stringify(spoolRecord(ticket, this.now())),
          // Lets an operator see which call a message belongs to without parsing the body.
          MessageAttributes: { callSid: { DataType: 'String', StringValue: ticket.callSid }, number: { DataType: 'String', StringValue: ticket.number } },
        }),
      );
    } catch (e) {
      // The caller must not be told "your request is saved" when it is not: the flow apologizes instead.
      throw new StoreUnavailableError(`ticket spool (SQS) unavailable: ${(e as Error)?.name ?? 'Error'}`, { cause: e });
    }
  }
}
