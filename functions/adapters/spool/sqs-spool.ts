/**
 * The ticket spool on AWS: one SQS message per ticket the flow could not store in DynamoDB. SQS is a
 * different service with its own failure domain, so a DynamoDB outage or throttling does not take the
 * spool down with it; the `spool-replay` function stores the tickets once DynamoDB answers again.
 */
import type { TicketSpool } from '../../app/ports.js';
import type { Ticket } from '../../domain/tickets.js';
import { spoolRecord } from '../../domain/spool-record.js';
import { LazySqsSender } from '../sqs/lazy-sender.js';

export class SqsTicketSpool implements TicketSpool {
  private readonly sender: LazySqsSender;

  constructor(
    queueUrl: string,
    clientConfig: { region: string; endpoint?: string },
    private readonly now: () => Date = () => new Date(),
  ) {
    this.sender = new LazySqsSender(queueUrl, clientConfig, 'ticket spool');
  }

  save(ticket: Ticket): Promise<void> {
    return this.sender.send({
      MessageBody: JSON.stringify(spoolRecord(ticket, this.now())),
      // Lets an operator see which call a message belongs to without parsing the body.
      MessageAttributes: { callSid: { DataType: 'String', StringValue: ticket.callSid }, number: { DataType: 'String', StringValue: ticket.number } },
    });
  }
}
