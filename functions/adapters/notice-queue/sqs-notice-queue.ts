/**
 * The notice queue on AWS: an SQS FIFO queue. The notice's key is both the message group (a call's
 * notices in order, other calls' not held up) and the deduplication id, so the copies a call's retried
 * requests send within SQS's 5-minute window are dropped by SQS itself; the consumer's conditional write
 * catches any later copy (functions/app/notice-replay.ts).
 *
 * The SQS client is imported on first use, as for the ticket spool: it is needed only when a provider or
 * DynamoDB fails, and loading it at every cold start of the voice function would cost every caller.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Notice, NoticeQueue } from '../../app/ports.js';
import { noticeRecord } from '../../app/notice-replay.js';
import { StoreUnavailableError } from '../../domain/errors.js';
import { sdkClientOptions } from '../sdk-client-options.js';

export class SqsNoticeQueue implements NoticeQueue {
  private sqs?: Promise<{ client: SQSClient; SendMessageCommand: typeof import('@aws-sdk/client-sqs').SendMessageCommand }>;

  constructor(
    private readonly queueUrl: string,
    private readonly clientConfig: { region: string; endpoint?: string },
    private readonly now: () => Date = () => new Date(),
  ) {}

  private connect() {
    this.sqs ??= import('@aws-sdk/client-sqs').then(({ SQSClient, SendMessageCommand }) => ({
      // Fail fast like the other clients: the caller is waiting to hear whether the confirmation follows.
      client: new SQSClient({ ...sdkClientOptions(), ...this.clientConfig }),
      SendMessageCommand,
    }));
    return this.sqs;
  }

  async enqueue(notice: Notice): Promise<void> {
    try {
      const { client, SendMessageCommand } = await this.connect();
      await client.send(
        new SendMessageCommand({
          QueueUrl: this.queueUrl,
          MessageBody: JSON.stringify(noticeRecord(notice, this.now())),
          MessageGroupId: notice.key,
          MessageDeduplicationId: notice.key,
          MessageAttributes: { kind: { DataType: 'String', StringValue: notice.kind }, callSid: { DataType: 'String', StringValue: notice.callSid } },
        }),
      );
    } catch (e) {
      // The caller must not be told "a confirmation will follow" when it was not kept.
      throw new StoreUnavailableError(`notice queue (SQS) unavailable: ${(e as Error)?.name ?? 'Error'}`, { cause: e });
    }
  }
}
