import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SqsTicketSpool } from '../../../functions/adapters/spool/sqs-spool.js';
import { parseSpoolRecord } from '../../../functions/domain/spool-record.js';
import { StoreUnavailableError } from '../../../functions/domain/errors.js';
import { spooledTicket } from './fixtures.js';

const sqs = mockClient(SQSClient);
afterEach(() => sqs.reset());
// The class mock would outlive this file in a shared worker (vitest.config.ts).
afterAll(() => sqs.restore());
const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/support-spool';

describe('SqsTicketSpool', () => {
  it('sends one message per ticket: the v1 envelope as body, call and reference as attributes', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const t = spooledTicket();
    await new SqsTicketSpool(QUEUE, { region: 'us-east-1' }, () => new Date('2026-05-13T15:00:01Z')).save(t);
    const calls = sqs.commandCalls(SendMessageCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      QueueUrl: QUEUE,
      MessageBody: JSON.stringify({ v: 1, ticket: t, spooledAt: '2026-05-13T15:00:01.000Z' }),
      MessageAttributes: { callSid: { DataType: 'String', StringValue: t.callSid }, number: { DataType: 'String', StringValue: t.number } },
    });
    expect(parseSpoolRecord(calls[0]!.args[0].input.MessageBody!).ticket).toEqual(t);
  });

  it('turns an SQS failure into StoreUnavailableError, so the caller is not told the ticket is saved', async () => {
    sqs.on(SendMessageCommand).rejects(Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable' }));
    await expect(new SqsTicketSpool(QUEUE, { region: 'us-east-1' }).save(spooledTicket())).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
