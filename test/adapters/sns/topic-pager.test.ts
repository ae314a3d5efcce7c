import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_SUBJECT_LENGTH, SnsTopicPager, pagerSubject } from '../../../functions/adapters/sns/topic-pager.js';
import { PageFailedError } from '../../../functions/adapters/notifier.js';
import { DomainError } from '../../../functions/domain/errors.js';

const client = new SNSClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
const sns = mockClient(client);
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:support-on-call';

beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'p-1' });
});

describe('SnsTopicPager', () => {
  it('publishes the page to the topic with subject and message', async () => {
    await new SnsTopicPager(client, TOPIC).page('P1 ticket 1234 waiting', 'Contoso, technical, P1');
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input).toEqual({
      TopicArn: TOPIC,
      Subject: 'P1 ticket 1234 waiting',
      Message: 'Contoso, technical, P1',
    });
  });

  it('cuts the subject below SNS’s limit, on one line, trimmed', async () => {
    const long = '  Ticket\n' + 'x'.repeat(200) + '  ';
    await new SnsTopicPager(client, TOPIC).page(long, 'body');
    const subject = sns.commandCalls(PublishCommand)[0]!.args[0].input.Subject!;
    expect(subject.length).toBe(MAX_SUBJECT_LENGTH);
    expect(MAX_SUBJECT_LENGTH).toBeLessThanOrEqual(100);
    expect(subject).toBe(('Ticket ' + 'x'.repeat(200)).slice(0, MAX_SUBJECT_LENGTH));
    expect(pagerSubject('x'.repeat(MAX_SUBJECT_LENGTH - 1) + ' yz')).toBe('x'.repeat(MAX_SUBJECT_LENGTH - 1)); // no trailing space after the cut
    expect(pagerSubject('\t\n  ')).toBe('');
  });

  it('keeps a subject in ASCII: accents dropped, a subject in another script left out (the message says it all)', () => {
    expect(pagerSubject('Code-Bestätigung pausiert: Zürich AG')).toBe('Code-Bestatigung pausiert: Zurich AG');
    expect(pagerSubject('Weryfikacja kodem wstrzymana: Łódź')).toBe('Weryfikacja kodem wstrzymana: Lodz');
    expect(pagerSubject('P1チケット1000042：Contoso')).toBe('');
  });

  it('leaves out a subject that is empty once cleaned (SNS refuses an empty one)', async () => {
    await new SnsTopicPager(client, TOPIC).page(' \n ', 'body');
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input).toEqual({ TopicArn: TOPIC, Message: 'body' });
  });

  it('maps SDK failures to PageFailedError, a DomainError', async () => {
    const cause = Object.assign(new Error('Topic does not exist'), { name: 'NotFoundException' });
    sns.on(PublishCommand).rejects(cause);
    const err = await new SnsTopicPager(client, TOPIC).page('s', 'b').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PageFailedError);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'page-failed', cause });
    expect((err as Error).message).toContain('NotFoundException');
  });

  it('refuses something that is not a topic ARN', () => {
    expect(() => new SnsTopicPager(client, 'support-on-call')).toThrow(/ARN/);
  });
});
