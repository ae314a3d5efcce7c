import { Aws, Duration, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { SupportTable } from '../data-stack.js';
import { VoiceFunction, type LogLevel } from './voice-function.js';

/** The scheduled function of the automatic escalation (issue 17). */
export const ESCALATION = {
  entry: 'functions/handlers/escalation.ts',
  handler: 'handler',
  description: 'Automatic escalation: overdue unanswered tickets of autoEscalate plans go to tier 2 and page',
} as const;

/** How often the escalation runs: a first response is promised in hours, so a minute late is within the promise's grain. */
export const ESCALATION_RATE = 'rate(1 minute)';

export interface EscalationScheduleProps {
  readonly logLevel: LogLevel;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  /** Plans are read from the directory; tickets are listed by status (byStatus index) and rewritten. */
  readonly directory: SupportTable;
  readonly tickets: SupportTable;
  /** The on-call pager topic the escalations are paged to. */
  readonly pagerTopic: ITopic;
}

/**
 * The automatic escalation on AWS: its function (the project's VoiceFunction defaults, least privilege)
 * and an EventBridge Scheduler schedule invoking it every minute through a role that may invoke exactly that
 * function, only for schedules of this account.
 */
export class EscalationSchedule extends Construct {
  readonly fn: VoiceFunction;
  readonly schedule: CfnSchedule;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: EscalationScheduleProps) {
    super(scope, id);
    this.fn = new VoiceFunction(this, 'Function', {
      ...ESCALATION,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      // Not a webhook: a run lists and rewrites up to a few thousand tickets.
      timeout: Duration.seconds(50),
    });
    this.fn.bindTable(props.directory, 'read');
    this.fn.bindTable(props.tickets, 'readWrite', ['byStatus']);
    this.fn.bindTopic(props.pagerTopic, 'PAGER_TOPIC_ARN');

    this.role = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
      description: 'EventBridge Scheduler: invokes the escalation function only',
    });
    this.role.addToPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.fn.lambda.functionArn] }));

    this.schedule = new CfnSchedule(this, 'Schedule', {
      description: 'Escalates overdue unanswered tickets of autoEscalate plans (issue 17)',
      scheduleExpression: ESCALATION_RATE,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: this.fn.lambda.functionArn,
        roleArn: this.role.roleArn,
        // A missed run is redone by the next one a minute later: no retries that would overlap it.
        retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 },
      },
    });

    Validations.of(this.fn).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Invoked by EventBridge Scheduler every minute with an empty event: a failed run has nothing to keep, the next run a minute later redoes its whole work from the tickets table, and function errors alarm.',
    });
  }
}
