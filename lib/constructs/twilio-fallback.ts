import { Duration, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, FunctionUrlAuthType, LoggingFormat, Runtime, type FunctionUrl } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** What a caller hears when the support line's own functions cannot answer Twilio. */
export const FALLBACK_TWIML =
  '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Sorry, we are having trouble. We will call you back.</Say><Hangup/></Response>';

/**
 * The whole fallback program, inline (CommonJS, no dependencies, no bundling): it answers every
 * request with the same TwiML. It reads nothing and changes nothing, so it needs no signature check,
 * no secret and no table, and nothing the main functions depend on can break it.
 */
export const FALLBACK_HANDLER_SOURCE = `'use strict';
const TWIML = ${JSON.stringify(FALLBACK_TWIML)};
exports.handler = async () => ({
  statusCode: 200,
  headers: { 'Content-Type': 'text/xml; charset=utf-8', 'Cache-Control': 'no-store' },
  body: TWIML,
});
`;

export interface TwilioFallbackProps {
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  /**
   * Concurrency reserved for (and capping) the fallback: it must still answer when the main functions
   * have used up the account's concurrency, and an unauthenticated URL must not be able to use it up
   * itself. Undefined: unreserved (for accounts whose concurrency quota is too low to reserve).
   */
  readonly reservedConcurrency?: number;
}

/**
 * Twilio's fallback URL: a separate tiny Lambda function with inline code behind its own Function
 * URL. It shares no code, bundle, role, secret, table or API with the support-line functions, so a
 * bad deploy, a crashing handler, a DynamoDB or Secrets Manager problem or an API Gateway
 * misconfiguration leaves it answering. See docs/deploy.md for why not an API Gateway MOCK.
 */
export class TwilioFallback extends Construct {
  readonly lambda: LambdaFunction;
  readonly url: FunctionUrl;

  constructor(scope: Construct, id: string, props: TwilioFallbackProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: props.logRemovalPolicy });
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Execution role of the Twilio fallback TwiML function (logs only)',
    });
    logGroup.grantWrite(role);
    this.lambda = new LambdaFunction(this, 'Function', {
      description: 'Twilio fallback URL: constant apology TwiML, independent of the support-line functions',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: Code.fromInline(FALLBACK_HANDLER_SOURCE),
      memorySize: 128,
      timeout: Duration.seconds(3),
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      ...(props.reservedConcurrency !== undefined && { reservedConcurrentExecutions: props.reservedConcurrency }),
    });
    this.url = this.lambda.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });

    Validations.of(this).acknowledge({
      id: 'Serverless-LambdaTracing',
      reason:
        'The fallback returns a constant string without calling any service; a trace would show nothing but its own duration, which CloudWatch already records. Leaving X-Ray out also keeps the role free of any "*" permission.',
    });
  }
}
