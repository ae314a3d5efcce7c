/**
 * Secrets, read once per cold start and cached for the life of the instance: from one Secrets Manager
 * secret on AWS (never from environment variables there), inline from the environment in local mode.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config, Secrets } from '../config.js';

export function secretsLoader(config: Config, client?: () => SecretsManagerClient): () => Promise<Secrets> {
  let cached: Promise<Secrets> | undefined;
  return () => {
    if (!cached) {
      cached = load(config, client).catch((e: unknown) => {
        cached = undefined; // a failed read is retried by the next request instead of poisoning the instance
        throw e;
      });
    }
    return cached;
  };
}

async function load(config: Config, client?: () => SecretsManagerClient): Promise<Secrets> {
  if ('inline' in config.secrets) return config.secrets.inline;
  if (!client) throw new Error('a Secrets Manager client is needed to read SECRETS_ARN');
  const out = await client().send(new GetSecretValueCommand({ SecretId: config.secrets.arn }));
  const parsed = JSON.parse(out.SecretString ?? '{}') as Partial<Secrets>;
  if (!parsed.twilioAuthToken || !parsed.codeHashKey) throw new Error('the secret must hold twilioAuthToken and codeHashKey');
  return { twilioAuthToken: parsed.twilioAuthToken, codeHashKey: parsed.codeHashKey, apiToken: parsed.apiToken };
}
