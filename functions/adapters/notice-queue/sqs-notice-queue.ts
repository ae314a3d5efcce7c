/**
 * The notice queue on AWS: an SQS FIFO queue. The notice's key is both the message group (a call's
 * notices in order, other calls' not held up) and the deduplication id, so the copies a call's retried
 * requests send within SQS's 5-minute window are dropped by SQS itself; the consumer's conditional write
 * catches any later copy (functions/app/notice-replay.ts).
 */
import type { Notice, NoticeQueue } from '../../app/ports.js';
import { noticeRecord } from '../../app/notice-replay.js';
import { LazySqsSender } from '../sqs/lazy-sender.js';

export class SqsNoticeQueue implements NoticeQueue {
  private readonly sender: LazySqsSender;

  constructor(
    queueUrl: string,
    clientConfig: { region: string; endpoint?: string },
    private readonly now: () => Date = () => new Date(),
  ) {
    this.sender = new LazySqsSender(queueUrl, clientConfig, 'notice queue');
  }

  enqueue(notice: Notice): Promise<void> {
    return this.sender.send({
      MessageBody: JSON.stringify(noticeRecord(notice, this.now())),
      MessageGroupId: notice.key,
      MessageDeduplicationId: notice.key,
      MessageAttributes: { kind: { DataType: 'String', StringValue: notice.kind }, callSid: { DataType: 'String', StringValue: notice.callSid } },
    });
  }
}
