#!/usr/bin/env node
/**
 * CDK entry: one DataStack + one VoiceStack for the stage named in context.
 *   npx cdk deploy --all -c stage=prod -c sesFrom=support@example.com
 * The only place that reads process.env: the CLI's resolved account/region are passed into the
 * config as fallbacks for `-c account` / `-c region`.
 */
import { App } from 'aws-cdk-lib';
import { ConfigError, loadStageConfig } from '../lib/config.js';
import { addSupportLine } from '../lib/support-line.js';

const app = new App();
try {
  const config = loadStageConfig({
    context: (key) => app.node.tryGetContext(key),
    defaults: {
      ...(process.env.CDK_DEFAULT_ACCOUNT && { account: process.env.CDK_DEFAULT_ACCOUNT }),
      ...(process.env.CDK_DEFAULT_REGION && { region: process.env.CDK_DEFAULT_REGION }),
    },
  });
  addSupportLine(app, config);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
app.synth();
