/**
 * The live board on AWS (issue 16): a Cognito user pool with `supervisors` and `agents` groups, a second
 * HTTP API that serves the board's `/api/*` routes (functions/routes.ts: `board: true` and the ticket reads)
 * to the same functions with the pool's JWTs, and the page as static files in a private S3 bucket behind
 * CloudFront with origin access control. Programs keep the IAM-authorised API of the voice stack.
 *
 * Why a second API instead of a second authorizer: an API Gateway route has exactly one authorizer, and
 * programs must keep IAM on the same paths. The page calls this API cross-origin (CORS limited to the
 * distribution); putting the API behind the same distribution would make a dependency cycle (the app
 * client's callback URL names the distribution, the authorizer names the app client).
 */
import { CfnOutput, Duration, Names, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CorsHttpMethod, HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  Distribution,
  Function as CfFunction,
  FunctionCode,
  FunctionEventType,
  HttpVersion,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { AccountRecovery, FeaturePlan, Mfa, OAuthScope, UserPool, UserPoolGroup } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BOARD_READS_OF_TICKETS_API, ROUTES, type FunctionId } from '../../functions/routes.js';

export const BOARD_GROUPS = ['supervisors', 'agents'] as const;

/** The routes the board's API serves: every route marked `board` plus the ticket API's reads. */
export const BOARD_ROUTES = ROUTES.filter((r) => r.board || BOARD_READS_OF_TICKETS_API.includes(`${r.method} ${r.path}`));

export interface BoardProps {
  readonly stage: string;
  readonly functions: Readonly<Record<FunctionId, IFunction>>;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

export class Board extends Construct {
  readonly userPool: UserPool;
  readonly api: HttpApi;
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly url: string;

  constructor(scope: Construct, id: string, props: BoardProps) {
    super(scope, id);
    const prod = props.stage === 'prod';

    // --- The page: a private bucket, read only by CloudFront through origin access control.
    this.bucket = new Bucket(this, 'PageBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds only the public, rebuildable page files (HTML, CSS, JavaScript) and is read only by CloudFront; no data of callers or tickets is ever stored in it, so object-level access logs would record nothing worth keeping.',
    });
    // `/board` and `/board/` are the page itself.
    const rewrite = new CfFunction(this, 'PagePath', {
      code: FunctionCode.fromInline(
        "function handler(event) { var r = event.request; if (r.uri === '/board' || r.uri === '/board/' || r.uri === '/') r.uri = '/board/index.html'; return r; }",
      ),
      comment: 'Serve /board as the board page',
    });
    this.distribution = new Distribution(this, 'PageDistribution', {
      comment: `Support line (${props.stage}) live board`,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
        functionAssociations: [{ function: rewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'Supervisors and agents work from any country the support line serves; the Cognito sign-in with MFA is what keeps others out of the data, not geography.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'The distribution serves three static files; every data request goes to the board API, which authorizes each one with a Cognito JWT and is throttled at its stage.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'The page files are public and identical for everyone; who read which data is in the board API access log, which names the route, status and caller.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The default *.cloudfront.net certificate is used (no custom domain in this stack); CloudFront then negotiates TLS 1.2+ for modern browsers and the minimum protocol cannot be pinned without a custom certificate.',
      },
    );
    this.url = `https://${this.distribution.distributionDomainName}/board`;

    // --- Who may sign in: people an administrator creates, in the supervisors or agents group.
    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: `support-line-${props.stage}-board`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Threat protection (the Plus plan) is priced per active user; accounts here are created by an administrator only (no self sign-up), need MFA, and see only ticket metadata. Enable it for a large agent team.',
    });
    for (const group of BOARD_GROUPS)
      new UserPoolGroup(this, `${group}Group`, { userPool: this.userPool, groupName: group, description: `The live board's ${group}` });
    const domain = this.userPool.addDomain('SignIn', {
      cognitoDomain: {
        domainPrefix: `support-board-${props.stage}-${Names.uniqueId(this)
          .toLowerCase()
          .replace(/[^a-z0-9]/g, '')
          .slice(-8)}`,
      },
    });
    const client = this.userPool.addClient('Page', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [this.url],
        logoutUrls: [this.url],
      },
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      preventUserExistenceErrors: true,
    });

    // --- The board's API: the same functions, with the pool's JWTs; CORS only for the page's origin.
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: props.logRetention, removalPolicy: props.removalPolicy });
    this.api = new HttpApi(this, 'Api', {
      apiName: `support-line-${props.stage}-board`,
      description: "The live board's reads and ticket actions, for Cognito-authenticated supervisors and agents",
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [`https://${this.distribution.distributionDomainName}`],
        allowHeaders: ['authorization', 'content-type'],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST],
        maxAge: Duration.hours(1),
      },
    });
    new HttpStage(this, 'ApiStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: prod ? { rateLimit: 20, burstLimit: 40 } : { rateLimit: 5, burstLimit: 10 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            user: '$context.authorizer.claims.sub',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    const authorizer = new HttpUserPoolAuthorizer('BoardAuthorizer', this.userPool, { userPoolClients: [client] });
    const integrations = new Map<FunctionId, HttpLambdaIntegration>();
    for (const route of BOARD_ROUTES) {
      let integration = integrations.get(route.fn);
      if (!integration)
        integrations.set(
          route.fn,
          (integration = new HttpLambdaIntegration(`Board${route.fn.replace(/(^|-)(.)/g, (_m, _d, c: string) => c.toUpperCase())}`, props.functions[route.fn])),
        );
      this.api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration, authorizer });
    }

    // --- The page's files: built from board/src (`npm run build:board`) and copied with `aws s3 sync`
    // (docs/board.md). No deploy-time copy function: the stack keeps exactly one Lambda function per route handler.
    new CfnOutput(this, 'BoardPageBucket', { value: this.bucket.bucketName, description: 'aws s3 sync board/dist s3://<this>/ (after npm run build:board)' });
    new CfnOutput(this, 'BoardConfigJson', {
      value: Stack.of(this).toJsonString({
        auth: 'cognito',
        domain: `${domain.domainName}.auth.${Stack.of(this).region}.amazoncognito.com`,
        clientId: client.userPoolClientId,
        apiBase: this.api.apiEndpoint,
      }),
      description: 'Save as board/dist/board/config.json before the sync',
    });
    new CfnOutput(this, 'BoardUrl', { value: this.url, description: 'The live board (sign in with a user of the board user pool)' });
    new CfnOutput(this, 'BoardUserPoolId', { value: this.userPool.userPoolId, description: 'Add supervisors and agents here (groups supervisors, agents)' });
    new CfnOutput(this, 'BoardApiUrl', { value: this.api.apiEndpoint, description: "The board's API (Cognito JWT)" });
  }
}
