/**
 * Pages the on-call team through an SNS topic (its subscriptions fan out to email, chat or an incident tool),
 * so who gets paged is changed in the topic, not in the code.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Pager } from '../../app/ports.js';
import { errorName, PageFailedError } from '../notifier.js';

export { PageFailedError };

/**
 * SNS documents subjects as "less than 100 characters", one line, no control characters; a subject it
 * rejects would lose the whole page, so it is cleaned and cut here rather than trusted.
 */
export const MAX_SUBJECT_LENGTH = 99;

export class SnsTopicPager implements Pager {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {
    if (!topicArn.startsWith('arn:')) throw new Error(`SnsTopicPager needs a topic ARN, got "${topicArn}"`);
  }

  async page(subject: string, body: string): Promise<void> {
    const clean = pagerSubject(subject);
    try {
      await this.client.send(new PublishCommand({ TopicArn: this.topicArn, Message: body, ...(clean ? { Subject: clean } : {}) }));
    } catch (cause) {
      throw new PageFailedError(`SNS could not publish the page "${clean}": ${errorName(cause)}`, { cause });
    }
  }
}

/** One line, no control characters, at most `MAX_SUBJECT_LENGTH` code points, trimmed; '' if nothing is left. */
export function pagerSubject(subject: string): string {
  // eslint-disable-next-line no-control-regex
  const oneLine = subject
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return [...oneLine].slice(0, MAX_SUBJECT_LENGTH).join('').trim();
}
