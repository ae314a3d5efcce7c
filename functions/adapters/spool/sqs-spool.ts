/**
 * The ticket spool on AWS: one SQS message per ticket the flow could not store in DynamoDB. SQS is a
 * different service with its own failure domain, so a DynamoDB outage or throttling does not take the
 * spool down with it; the `spool-replay` function stores the tickets once DynamoDB answers again.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { TicketSpool } from '../../app/deps.js';
import type { Ticket } from '../../domain/tickets.js';
import { StoreUnavailableError } from '../../domain/errors.js';
import { spoolRecord } from './spool-record.js';

export class SqsTicketSpool implements TicketSpool {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async save(ticket: Ticket): Promise<void> {
    try {
      await this.sqs.send(
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
