import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SqsNoticeQueue } from '../../../functions/adapters/notice-queue/sqs-notice-queue.js';
import { parseNoticeRecord } from '../../../functions/app/notice-replay.js';
import { StoreUnavailableError } from '../../../functions/domain/errors.js';
import { CALL, confirmation, page } from './fixtures.js';

const sqs = mockClient(SQSClient);
afterEach(() => sqs.reset());
// The class mock would outlive this file in a shared worker (vitest.config.ts).
afterAll(() => sqs.restore());
const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/support-notices.fifo';
const NOW = () => new Date('2026-05-13T15:00:01Z');

describe('SqsNoticeQueue', () => {
  it('sends one FIFO message per notice: its key is the group and the deduplication id', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const notice = confirmation();
    await new SqsNoticeQueue(QUEUE, { region: 'us-east-1' }, NOW).enqueue(notice);
    const calls = sqs.commandCalls(SendMessageCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.args[0].input;
    const record = parseNoticeRecord(input.MessageBody!);
    expect(input).toEqual({
      QueueUrl: QUEUE,
      MessageBody: JSON.stringify({ v: 1, id: record.id, notice, queuedAt: '2026-05-13T15:00:01.000Z' }),
      MessageGroupId: `confirm#${CALL}`,
      MessageDeduplicationId: `confirm#${CALL}`,
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'confirmation' }, callSid: { DataType: 'String', StringValue: CALL } },
    });
    expect(record.notice).toEqual(notice);
  });

  it('a page and a confirmation of one call are two keys', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const q = new SqsNoticeQueue(QUEUE, { region: 'us-east-1' }, NOW);
    await q.enqueue(confirmation());
    await q.enqueue(page());
    expect(sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input.MessageDeduplicationId)).toEqual([`confirm#${CALL}`, `page#${CALL}`]);
  });

  it('turns an SQS failure into StoreUnavailableError, so the caller is not told the confirmation will follow', async () => {
    sqs.on(SendMessageCommand).rejects(Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable' }));
    await expect(new SqsNoticeQueue(QUEUE, { region: 'us-east-1' }).enqueue(confirmation())).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
