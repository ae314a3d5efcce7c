/**
 * The names of every environment variable the functions read, in one place: `config.ts` parses them,
 * the CDK stacks (`lib/`) set them, the local server and tools pass them. A renamed variable is renamed
 * here once. Pure data: importing it reads nothing.
 */
export const ENV = {
  tables: { directory: 'TABLE_DIRECTORY', calls: 'TABLE_CALLS', tickets: 'TABLE_TICKETS' },
  /** Local/embedded DynamoDB only. */
  dynamoEndpoint: 'DYNAMODB_ENDPOINT',
  region: 'AWS_REGION',
  defaultRegion: 'AWS_DEFAULT_REGION',
  publicBaseUrl: 'PUBLIC_BASE_URL',
  /** The Secrets Manager secret on AWS; the three below stand in for it locally. */
  secretsArn: 'SECRETS_ARN',
  twilioAuthToken: 'TWILIO_AUTH_TOKEN',
  codeHashKey: 'CODE_HASH_KEY',
  apiToken: 'API_TOKEN',
  /** `iam`: API Gateway's IAM authorizer guards the ticket API, so no bearer token exists. */
  apiAuth: 'API_AUTH',
  sesFrom: 'SES_FROM',
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  smsSenderId: 'SMS_SENDER_ID',
  pagerTopicArn: 'PAGER_TOPIC_ARN',
  spoolQueueUrl: 'SPOOL_QUEUE_URL',
  /** The notice queue (SQS FIFO): confirmations and pages retried after an inline failure. */
  noticeQueueUrl: 'NOTICE_QUEUE_URL',
  localOutbox: 'LOCAL_OUTBOX',
  taskRouterWorkspaceSid: 'TASKROUTER_WORKSPACE_SID',
  taskRouterWorkflowSid: 'TASKROUTER_WORKFLOW_SID',
  /** Read by Powertools (logger, metrics), set by the CDK function construct. */
  powertoolsServiceName: 'POWERTOOLS_SERVICE_NAME',
  powertoolsMetricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  powertoolsLogLevel: 'POWERTOOLS_LOG_LEVEL',
} as const;
