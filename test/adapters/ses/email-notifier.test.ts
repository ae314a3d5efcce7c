import { SendEmailCommand, SESv2Client, SESv2ServiceException } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SesEmailNotifier } from '../../../functions/adapters/ses/email-notifier.js';
import { DeliveryFailedError } from '../../../functions/domain/errors.js';

const client = new SESv2Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
const ses = mockClient(client);

beforeEach(() => {
  ses.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: 'e-1' });
});

describe('SesEmailNotifier', () => {
  it('sends one plain UTF-8 email from the configured identity', async () => {
    await new SesEmailNotifier(client, { from: 'Support <support@example.com>' }).send({
      channel: 'email',
      to: 'it@contoso.example',
      subject: 'Your verification code',
      body: 'Your code is 123456 – valid 10 minutes.',
    });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input).toEqual({
      FromEmailAddress: 'Support <support@example.com>',
      Destination: { ToAddresses: ['it@contoso.example'] },
      Content: {
        Simple: {
          Subject: { Data: 'Your verification code', Charset: 'UTF-8' },
          Body: { Text: { Data: 'Your code is 123456 – valid 10 minutes.', Charset: 'UTF-8' } },
        },
      },
    });
  });

  it('names the configuration set when one is given', async () => {
    await new SesEmailNotifier(client, { from: 'support@example.com', configurationSet: 'support-line' }).send({
      channel: 'email',
      to: 'it@contoso.example',
      subject: 'Ticket 1234',
      body: 'b',
    });
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input).toMatchObject({ ConfigurationSetName: 'support-line' });
  });

  it('keeps the subject on one line and gives a subject-less message a default one', async () => {
    const notifier = new SesEmailNotifier(client, { from: 'support@example.com' });
    await notifier.send({ channel: 'email', to: 'a@b.example', subject: 'Ticket\r\n 42 ', body: 'b' });
    await notifier.send({ channel: 'email', to: 'a@b.example', body: 'b' });
    const subjects = ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input.Content?.Simple?.Subject?.Data);
    expect(subjects).toEqual(['Ticket 42', 'Message from the support line']);
  });

  it('maps SES errors to DeliveryFailedError(email) with the cause and without the full address', async () => {
    const sdkError = new SESv2ServiceException({
      name: 'MessageRejected',
      $fault: 'client',
      $metadata: {},
      message: 'Email address is not verified: it@contoso.example',
    });
    ses.on(SendEmailCommand).rejects(sdkError);
    const err = await new SesEmailNotifier(client, { from: 'support@example.com' })
      .send({ channel: 'email', to: 'it@contoso.example', subject: 's', body: 'b' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryFailedError);
    expect(err).toMatchObject({ channel: 'email', code: 'delivery-failed', cause: sdkError });
    expect((err as Error).message).toContain('MessageRejected');
    expect((err as Error).message).not.toContain('it@contoso');
  });

  it('refuses text messages with a plain Error and sends nothing', async () => {
    const err = await new SesEmailNotifier(client, { from: 'support@example.com' })
      .send({ channel: 'sms', to: '+48601234567', body: 'b' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(DeliveryFailedError);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });
});
