/**
 * The automatic escalation on AWS (issue 17): an EventBridge Scheduler schedule invoking its own function
 * every minute, through a role that may invoke that function only; the function reads the directory, lists
 * and rewrites tickets, pages the on-call topic, and holds no Twilio secret. cdk-nag cleanliness of the whole
 * app (this construct included) is asserted in stacks.test.ts.
 */
import type { CfnElement } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { ESCALATION, ESCALATION_RATE } from '../../lib/constructs/escalation-schedule.js';
import { DEV_CONTEXT, allActions, roleStatements, synthesized, type Built } from './fixture.js';

let dev: Built;
let fnId: string;
beforeAll(() => {
  dev = synthesized(DEV_CONTEXT);
  fnId = dev.stacks.voice.getLogicalId(dev.stacks.voice.escalation.fn.lambda.node.defaultChild as CfnElement);
});

describe('escalation schedule', () => {
  it('invokes the escalation function every minute with no retries that would overlap the next run', () => {
    const schedules = Object.values(dev.json.Resources).filter((r) => r.Type === 'AWS::Scheduler::Schedule');
    expect(schedules).toHaveLength(1);
    const p = schedules[0]!.Properties!;
    expect(p).toMatchObject({ ScheduleExpression: ESCALATION_RATE, State: 'ENABLED', FlexibleTimeWindow: { Mode: 'OFF' } });
    expect(p.Target.Arn).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    expect(p.Target.RetryPolicy).toEqual({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 });
    expect(dev.json.Resources[fnId]!.Properties!.Description).toBe(ESCALATION.description);
  });

  it('the scheduler role may invoke that function only, assumed by the scheduler of this account', () => {
    const roleId = dev.stacks.voice.getLogicalId(dev.stacks.voice.escalation.role.node.defaultChild as CfnElement);
    const role = dev.json.Resources[roleId]!.Properties!;
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    ]);
    const policies = Object.values(dev.json.Resources).filter(
      (r) => r.Type === 'AWS::IAM::Policy' && (r.Properties!.Roles as { Ref: string }[]).some((x) => x.Ref === roleId),
    );
    const statements = policies.flatMap((p) => p.Properties!.PolicyDocument.Statement);
    expect(statements).toEqual([{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [fnId, 'Arn'] } }]);
  });

  it('the function reads the directory, writes tickets without deleting, queries byStatus only, and pages the topic', () => {
    const env = dev.json.Resources[fnId]!.Properties!.Environment.Variables as Record<string, unknown>;
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['TABLE_DIRECTORY', 'TABLE_TICKETS', 'PAGER_TOPIC_ARN']));
    expect(env).not.toHaveProperty('SECRETS_ARN');
    expect(env).not.toHaveProperty('TABLE_CALLS');
    const actions = allActions(roleStatements(dev, fnId));
    expect(actions).toContain('sns:Publish');
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions).not.toContain('secretsmanager:GetSecretValue');
    const indexes = roleStatements(dev, fnId).filter((s) => JSON.stringify(s.Resource).includes('/index/'));
    expect(JSON.stringify(indexes)).toContain('/index/byStatus');
    expect(JSON.stringify(indexes)).not.toMatch(/index\/(queue|byOrg|\*)/);
  });

  it('leaves no cdk-nag finding in its construct', () => {
    const violations = [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((p) => p.validateScope(dev.app).violations);
    const mine = violations.filter((v) => v.violatingResources.some((r) => r.constructPath?.includes('/Escalation/')));
    expect(mine).toEqual([]);
  });
});
