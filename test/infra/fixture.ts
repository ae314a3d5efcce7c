/**
 * Builds the support line the way bin/app.ts does: the same config loader, the context of cdk.json,
 * and addSupportLine with the cdk-nag packs registered, so synthesis itself fails on an
 * unacknowledged finding. The dev and prod apps are synthesised once per worker (`synthesized`) and shared by
 * the files that only read them; a test that needs another context builds its own. Bundling is skipped here
 * (`aws:cdk:bundling-stacks` empty): the templates do not depend on the bundle, and synth.test.ts
 * bundles for real.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { loadStageConfig, type StageConfig } from '../../lib/config.js';
import { PROJECT_ROOT } from '../../lib/constructs/voice-function.js';
import { addSupportLine, type SupportLineStacks } from '../../lib/support-line.js';

export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')).context;

export interface Built {
  app: App;
  config: StageConfig;
  stacks: SupportLineStacks;
  data: Template;
  voice: Template;
  /** The voice stack's template as JSON, for walks the matchers cannot express. */
  json: { Resources: Record<string, Resource>; Outputs: Record<string, { Value: unknown }> };
}

export interface Resource {
  Type: string;
  Properties?: Record<string, any>;
  Metadata?: Record<string, any>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export function build(context: Record<string, unknown>): Built {
  const app = new App({
    context: { ...CDK_JSON_CONTEXT, ...context, 'aws:cdk:bundling-stacks': [] },
    // CDK's own CloudFormation rules (a WebAssembly engine) were most of each synthesis here, and they only
    // warn: synth.test.ts runs them in the real `cdk synth`, whose validation report must have no violation.
    // The cdk-nag packs, which fail synthesis, still run.
    builtinCloudFormationValidation: false,
  });
  const config = loadStageConfig({ context: (key) => app.node.tryGetContext(key) });
  const stacks = addSupportLine(app, config);
  const voice = Template.fromStack(stacks.voice);
  return { app, config, stacks, data: Template.fromStack(stacks.data), voice, json: voice.toJSON() as Built['json'] };
}

const shared = new Map<string, Built>();

/**
 * The app of this context, synthesised by the first file of the worker that asks (the shared project keeps
 * the module graph between files, so the others read the same templates). A synthesis with cdk-nag was
 * seconds of each infra file. Callers only read it: nothing may add constructs, aspects or metadata.
 */
export function synthesized(context: Record<string, unknown>): Built {
  const key = JSON.stringify(context);
  let b = shared.get(key);
  if (!b) {
    b = build(context);
    shared.set(key, b);
  }
  return b;
}

export const DEV_CONTEXT = { stage: 'dev', region: 'us-east-1', sesFrom: 'support@example.com' };
export const PROD_CONTEXT = {
  stage: 'prod',
  region: 'eu-west-1',
  account: '123456789012',
  sesFrom: 'help@support.example.org',
  sesConfigurationSet: 'support-line',
  smsSenderId: 'Support',
  publicBaseUrl: 'https://voice.example.org/',
  alarmEmail: 'oncall@example.org',
  taskRouterWorkspaceSid: `WS${'a'.repeat(32)}`,
  taskRouterWorkflowSid: `WW${'b'.repeat(32)}`,
};

/** Logical id of the Lambda function of a VoiceFunction/TwilioFallback construct (by construct id). */
export function functionLogicalId(b: Built, constructId: string): string {
  const fn = b.stacks.voice.node.findChild(constructId).node.findChild('Function');
  return b.stacks.voice.getLogicalId(fn.node.defaultChild as CfnElement);
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: Record<string, unknown>;
}

/** Every statement of every policy attached to a function's execution role. */
export function roleStatements(b: Built, fnLogicalId: string): Statement[] {
  const roleRef = b.json.Resources[fnLogicalId]!.Properties!.Role['Fn::GetAtt'][0] as string;
  const role = b.json.Resources[roleRef]!;
  const statements: Statement[] = [];
  for (const p of role.Properties?.Policies ?? []) statements.push(...p.PolicyDocument.Statement);
  for (const r of Object.values(b.json.Resources)) {
    if (r.Type === 'AWS::IAM::Policy' && (r.Properties!.Roles as { Ref: string }[]).some((x) => x.Ref === roleRef)) {
      statements.push(...r.Properties!.PolicyDocument.Statement);
    }
  }
  return statements;
}

export const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
export const allActions = (ss: Statement[]): string[] => ss.flatMap(actionsOf);

/** Pascal-cased construct id of a FunctionId (as the voice stack names them). */
export const constructIdOf = (fnId: string): string =>
  fnId
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
