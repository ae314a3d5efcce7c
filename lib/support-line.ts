import { Tags, Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { StageConfig } from './config.js';
import { DataStack } from './data-stack.js';
import { VoiceStack } from './voice-stack.js';

export interface SupportLineStacks {
  readonly data: DataStack;
  readonly voice: VoiceStack;
}

/** Stack names carry the stage, so dev and prod can share an account without colliding. */
export const stackNames = (stage: string): { data: string; voice: string } => ({
  data: `SupportLine-${stage}-Data`,
  voice: `SupportLine-${stage}-Voice`,
});

/**
 * Adds one stage of the support line to an app: a DataStack and a VoiceStack that receives its
 * tables. bin/app.ts and the infra tests both call this, so the tests check what is deployed.
 * @param nag register the cdk-nag AwsSolutions and Serverless packs (synthesis fails on any
 *   unacknowledged finding). Tests that inspect findings themselves pass false.
 */
export function addSupportLine(app: App, config: StageConfig, { nag = true }: { nag?: boolean } = {}): SupportLineStacks {
  const env = { region: config.region, ...(config.account && { account: config.account }) };
  const names = stackNames(config.stage);
  const data = new DataStack(app, names.data, {
    env,
    stage: config.stage,
    description: `Support line (${config.stage}): DynamoDB tables (retained)`,
    terminationProtection: config.stage === 'prod',
  });
  const voice = new VoiceStack(app, names.voice, {
    env,
    config,
    tables: data.tables,
    description: `Support line (${config.stage}): Twilio webhooks, ticket API, topics, alarms`,
  });
  voice.addStackDependency(data);
  Tags.of(app).add('app', 'support-line');
  Tags.of(app).add('stage', config.stage);
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { data, voice };
}
