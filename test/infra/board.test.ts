/**
 * The live board on AWS (lib/constructs/board.ts): a Cognito pool with the supervisors and agents groups,
 * the board's routes on their own API with the pool's JWTs while the same routes keep IAM on the main API,
 * and the page in a private bucket read by CloudFront through origin access control. Expectations are
 * derived from functions/routes.ts. cdk-nag runs in the fixture's synthesis, so a finding fails it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BOARD_GROUPS, BOARD_ROUTES } from '../../lib/constructs/board.js';
import { ROUTES } from '../../functions/routes.js';
import { DEV_CONTEXT, synthesized, type Built, type Resource } from './fixture.js';

let dev: Built;
beforeAll(() => {
  dev = synthesized(DEV_CONTEXT);
}, 240_000);

const resources = (type: string): Array<[string, Resource]> => Object.entries(dev.json.Resources).filter(([, r]) => r.Type === type);

describe('the board on AWS', () => {
  it('has a user pool without self sign-up, MFA required, and exactly the supervisors and agents groups', () => {
    const [[, pool]] = resources('AWS::Cognito::UserPool') as [[string, Resource]];
    expect(pool.Properties!.AdminCreateUserConfig).toMatchObject({ AllowAdminCreateUserOnly: true });
    expect(pool.Properties!.MfaConfiguration).toBe('ON');
    expect(
      resources('AWS::Cognito::UserPoolGroup')
        .map(([, g]) => g.Properties!.GroupName)
        .sort(),
    ).toEqual([...BOARD_GROUPS].sort());
    const [[, client]] = resources('AWS::Cognito::UserPoolClient') as [[string, Resource]];
    expect(client.Properties!.AllowedOAuthFlows).toEqual(['code']);
    expect(client.Properties!.GenerateSecret).toBe(false);
  });

  it("serves the board's routes on its own API with the pool's JWTs, and they keep IAM on the main API", () => {
    const apis = resources('AWS::ApiGatewayV2::Api');
    expect(apis).toHaveLength(2);
    const boardApi = apis.find(([, a]) => String(a.Properties!.Name).endsWith('-board'))![0];
    const routes = resources('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties!);
    const onBoard = routes.filter((r) => r.ApiId.Ref === boardApi);
    expect(onBoard.map((r) => r.RouteKey).sort()).toEqual(BOARD_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    expect(BOARD_ROUTES.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['POST /api/tickets/{number}/close', 'GET /api/queues', 'GET /api/tickets']),
    );
    for (const r of onBoard) expect(r.AuthorizationType, r.RouteKey).toBe('JWT');
    const [[, authorizer]] = resources('AWS::ApiGatewayV2::Authorizer') as [[string, Resource]];
    expect(authorizer.Properties!.AuthorizerType).toBe('JWT');
    const main = routes.filter((r) => r.ApiId.Ref !== boardApi);
    for (const route of ROUTES.filter((r) => r.path.startsWith('/api/'))) {
      const r = main.find((m) => m.RouteKey === `${route.method} ${route.path}`)!;
      expect(r.AuthorizationType ?? 'NONE', r.RouteKey).toBe(route.auth === 'public' ? 'NONE' : 'AWS_IAM');
    }
  });

  it('keeps the page in a private bucket that only CloudFront reads, through origin access control', () => {
    const [[bucketId, bucket]] = resources('AWS::S3::Bucket').filter(([id]) => id.startsWith('BoardPageBucket')) as [[string, Resource]];
    expect(bucket.Properties!.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const [[, dist]] = resources('AWS::CloudFront::Distribution') as [[string, Resource]];
    const origin = dist.Properties!.DistributionConfig.Origins[0];
    expect(origin.OriginAccessControlId).toBeDefined();
    expect(dist.Properties!.DistributionConfig.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(resources('AWS::CloudFront::OriginAccessControl')).toHaveLength(1);
    const policy = resources('AWS::S3::BucketPolicy').find(([, p]) => p.Properties!.Bucket.Ref === bucketId)![1];
    const read = policy.Properties!.PolicyDocument.Statement.find((s: { Action: unknown }) => s.Action === 's3:GetObject');
    expect(read.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
  });

  it("lets the board's function read the calls table (agents) but write tickets only with PutItem", () => {
    const fnId = Object.entries(dev.json.Resources).find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('BoardApi'))![0];
    const env = dev.json.Resources[fnId]!.Properties!.Environment.Variables;
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['TABLE_DIRECTORY', 'TABLE_CALLS', 'TABLE_TICKETS', 'API_AUTH']));
    expect(env.API_TOKEN).toBeUndefined();
  });
});
