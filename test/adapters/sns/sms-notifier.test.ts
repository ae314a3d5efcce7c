import { PublishCommand, SNSClient, SNSServiceException } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SnsSmsNotifier } from '../../../functions/adapters/sns/sms-notifier.js';
import { ChannelNotifier } from '../../../functions/adapters/notifier.js';
import { DeliveryFailedError } from '../../../functions/domain/errors.js';

const client = new SNSClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
const sns = mockClient(client);

beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

describe('SnsSmsNotifier', () => {
  it('publishes one transactional text to the phone number', async () => {
    await new SnsSmsNotifier(client).send({ channel: 'sms', to: '+48601234567', body: 'Your code is 123456' });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input).toEqual({
      PhoneNumber: '+48601234567',
      Message: 'Your code is 123456',
      MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
    });
  });

  it('adds the sender ID when one is configured', async () => {
    await new SnsSmsNotifier(client, { senderId: 'Support' }).send({ channel: 'sms', to: '+48601234567', body: 'hi' });
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input).toEqual({
      PhoneNumber: '+48601234567',
      Message: 'hi',
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'Support' },
      },
    });
  });

  it('rejects a sender ID SNS would refuse, at construction', () => {
    expect(() => new SnsSmsNotifier(client, { senderId: 'Support Line!' })).toThrow(/sender ID/);
    expect(() => new SnsSmsNotifier(client, { senderId: '12345' })).toThrow(/sender ID/);
  });

  it('maps an SNS service error to DeliveryFailedError(sms) with the cause and without the full number', async () => {
    const sdkError = new SNSServiceException({
      name: 'InvalidParameterException',
      $fault: 'client',
      $metadata: {},
      message: 'Invalid parameter: PhoneNumber +48601234567',
    });
    sns.on(PublishCommand).rejects(sdkError);
    const err = await new SnsSmsNotifier(client).send({ channel: 'sms', to: '+48601234567', body: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryFailedError);
    expect(err).toMatchObject({ channel: 'sms', code: 'delivery-failed', cause: sdkError });
    expect((err as Error).message).toContain('InvalidParameterException');
    expect((err as Error).message).not.toContain('+48601234567');
  });

  it('maps a network error (not an SNS exception) too', async () => {
    sns.on(PublishCommand).rejects(new Error('socket hang up'));
    await expect(new SnsSmsNotifier(client).send({ channel: 'sms', to: '+48601234567', body: 'x' })).rejects.toMatchObject({
      name: 'DeliveryFailedError',
      channel: 'sms',
    });
  });

  it('refuses email with a plain Error and sends nothing', async () => {
    const err = await new SnsSmsNotifier(client).send({ channel: 'email', to: 'a@b.example', subject: 's', body: 'b' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(DeliveryFailedError);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });
});

describe('ChannelNotifier', () => {
  it('routes by channel and fails a missing channel with DeliveryFailedError for that channel', async () => {
    const sent: string[] = [];
    const notifier = new ChannelNotifier({ sms: { send: async (m) => void sent.push(`sms:${m.to}`) } });
    await notifier.send({ channel: 'sms', to: '+1555', body: 'x' });
    expect(sent).toEqual(['sms:+1555']);
    await expect(notifier.send({ channel: 'email', to: 'a@b.example', body: 'x' })).rejects.toMatchObject({
      name: 'DeliveryFailedError',
      channel: 'email',
    });
    const emailOnly = new ChannelNotifier({ email: { send: async (m) => void sent.push(`email:${m.to}`) } });
    await emailOnly.send({ channel: 'email', to: 'a@b.example', body: 'x' });
    await expect(emailOnly.send({ channel: 'sms', to: '+1555', body: 'x' })).rejects.toBeInstanceOf(DeliveryFailedError);
    expect(sent).toEqual(['sms:+1555', 'email:a@b.example']);
  });

  it('passes the channel adapter’s DeliveryFailedError through unchanged', async () => {
    sns.on(PublishCommand).rejects(new Error('throttled'));
    const notifier = new ChannelNotifier({ sms: new SnsSmsNotifier(client) });
    await expect(notifier.send({ channel: 'sms', to: '+48601234567', body: 'x' })).rejects.toMatchObject({ channel: 'sms' });
  });
});
