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
  // Pages are in the line's language, but SNS has refused subjects outside ASCII: accents are dropped
  // ("Bestätigung" → "Bestatigung"), and a subject still not ASCII (Japanese, Hindi) is left out; the
  // message carries everything the subject says.
  const ascii = oneLine
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[łŁßøØæÆđĐı]/g, (c) => LATIN[c] ?? c);
  if (/[^\x20-\x7e]/.test(ascii)) return '';
  return [...ascii].slice(0, MAX_SUBJECT_LENGTH).join('').trim();
}

/** Latin letters that are not a base letter plus an accent, so NFKD leaves them as they are. */
const LATIN: Record<string, string> = { ł: 'l', Ł: 'L', ß: 'ss', ø: 'o', Ø: 'O', æ: 'ae', Æ: 'AE', đ: 'd', Đ: 'D', ı: 'i' };
