import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeServicesCommand, ECSClient, ListServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DeleteRuleCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { explainFailure } from '../../../packages/core/src/action/explain-failure.js';
import type { AwsRequest } from '../../runner/iam/aws-request.js';
import { deriveIamChecks } from '../../runner/iam/derive-resources.js';
import { IamProxy } from '../../runner/iam/iam-proxy.js';
import { findRoleBinding, loadRole, sandboxPlaceholders, SANDBOX_ACCOUNT_ID } from '../../runner/iam/sandbox-roles.js';

const A = SANDBOX_ACCOUNT_ID;
const R = 'us-east-1';
const PREVIEW_ROLE = `arn:aws:iam::${A}:role/preview-actions-preview`;
const RC_ROLE = `arn:aws:iam::${A}:role/preview-actions-release-candidate`;
const PRODUCTION_ROLE = `arn:aws:iam::${A}:role/preview-actions-production`;
const LISTENER = `arn:aws:elasticloadbalancing:${R}:${A}:listener/app/preview-actions/50dc6c495c0c9188/f2f7dc8efc522ab2`;
const RULE = `arn:aws:elasticloadbalancing:${R}:${A}:listener-rule/app/preview-actions/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee`;
const TG = `arn:aws:elasticloadbalancing:${R}:${A}:targetgroup/pr-7-api/73e2d6bc24d8a067`;

function call(
  service: string,
  operation: string,
  params: Record<string, unknown>,
  protocol: 'json' | 'query' = 'json',
): AwsRequest {
  return { service, operation, params, protocol, region: R, accessKeyId: 'ASIATEST' };
}

function checks(request: AwsRequest): [string, string][] | undefined {
  return deriveIamChecks(request, A)?.map((c) => [c.action, c.resource]);
}

// One case per operation docs/iam/*.json grants (what our actions call), plus the extra checks AWS makes.
describe('the resources the proxy authorizes each operation on', () => {
  const ecs = (op: string, p: Record<string, unknown>) => checks(call('ecs', op, p));
  const elb = (op: string, p: Record<string, unknown>) => checks(call('elasticloadbalancing', op, p, 'query'));

  it('ECS', () => {
    expect(ecs('ListServices', { cluster: 'pr-environments' })).toEqual([['ecs:ListServices', '*']]);
    expect(ecs('ListTaskDefinitions', {})).toEqual([['ecs:ListTaskDefinitions', '*']]);
    expect(ecs('DescribeTaskDefinition', { taskDefinition: 'pr-7-api:1' })).toEqual([
      ['ecs:DescribeTaskDefinition', '*'],
    ]);
    expect(ecs('DeregisterTaskDefinition', { taskDefinition: 'pr-7-api:1' })).toEqual([
      ['ecs:DeregisterTaskDefinition', '*'],
    ]);
    expect(ecs('ListTasks', { cluster: 'pr-environments', serviceName: 'pr-7-api' })).toEqual([
      ['ecs:ListTasks', `arn:aws:ecs:${R}:${A}:container-instance/pr-environments/*`],
    ]);
    expect(
      ecs('DescribeServices', {
        cluster: 'pr-environments',
        services: ['pr-7-api', `arn:aws:ecs:${R}:${A}:service/x/y`],
      }),
    ).toEqual([
      ['ecs:DescribeServices', `arn:aws:ecs:${R}:${A}:service/pr-environments/pr-7-api`],
      ['ecs:DescribeServices', `arn:aws:ecs:${R}:${A}:service/x/y`],
    ]);
    expect(ecs('DescribeTasks', { cluster: `arn:aws:ecs:${R}:${A}:cluster/pr-environments`, tasks: ['abc'] })).toEqual([
      ['ecs:DescribeTasks', `arn:aws:ecs:${R}:${A}:task/pr-environments/abc`],
    ]);
    expect(
      ecs('CreateService', { cluster: 'pr-environments', serviceName: 'pr-7-api', tags: [{ key: 'k', value: 'v' }] }),
    ).toEqual([
      ['ecs:CreateService', `arn:aws:ecs:${R}:${A}:service/pr-environments/pr-7-api`],
      ['ecs:TagResource', `arn:aws:ecs:${R}:${A}:service/pr-environments/pr-7-api`],
    ]);
    const deployment = `arn:aws:ecs:${R}:${A}:service-deployment/services-prod/api-prod/d1`;
    const revision = `arn:aws:ecs:${R}:${A}:service-revision/services-prod/api-prod/r1`;
    expect(ecs('ListServiceDeployments', { cluster: 'services-prod', service: 'api-prod' })).toEqual([
      ['ecs:ListServiceDeployments', `arn:aws:ecs:${R}:${A}:service/services-prod/api-prod`],
    ]);
    expect(ecs('DescribeServiceDeployments', { serviceDeploymentArns: [deployment] })).toEqual([
      ['ecs:DescribeServiceDeployments', deployment],
    ]);
    expect(ecs('DescribeServiceRevisions', { serviceRevisionArns: [revision] })).toEqual([
      ['ecs:DescribeServiceRevisions', revision],
    ]);
    expect(ecs('StopServiceDeployment', { serviceDeploymentArn: deployment })).toEqual([
      ['ecs:StopServiceDeployment', deployment],
    ]);
    expect(ecs('UpdateService', { cluster: 'services-prod', service: 'api-prod' })).toEqual([
      ['ecs:UpdateService', `arn:aws:ecs:${R}:${A}:service/services-prod/api-prod`],
    ]);
    expect(ecs('DeleteService', { cluster: 'pr-environments', service: 'pr-7-api', force: true })).toEqual([
      ['ecs:DeleteService', `arn:aws:ecs:${R}:${A}:service/pr-environments/pr-7-api`],
    ]);
    expect(
      ecs('TagResource', { resourceArn: `arn:aws:ecs:${R}:${A}:service/pr-environments/pr-7-api`, tags: [] }),
    ).toEqual([['ecs:TagResource', `arn:aws:ecs:${R}:${A}:service/pr-environments/pr-7-api`]]);
    expect(
      ecs('UntagResource', { resourceArn: `arn:aws:ecs:${R}:${A}:service/pr-environments/pr-7-api`, tagKeys: ['k'] }),
    ).toEqual([['ecs:UntagResource', `arn:aws:ecs:${R}:${A}:service/pr-environments/pr-7-api`]]);
    expect(
      ecs('RegisterTaskDefinition', {
        family: 'pr-7-api',
        taskRoleArn: `arn:aws:iam::${A}:role/preview-task`,
        executionRoleArn: `arn:aws:iam::${A}:role/preview-execution`,
        tags: [{ key: 'k', value: 'v' }],
      }),
    ).toEqual([
      ['ecs:RegisterTaskDefinition', `arn:aws:ecs:${R}:${A}:task-definition/pr-7-api:*`],
      ['ecs:TagResource', `arn:aws:ecs:${R}:${A}:task-definition/pr-7-api:*`],
      ['iam:PassRole', `arn:aws:iam::${A}:role/preview-task`],
      ['iam:PassRole', `arn:aws:iam::${A}:role/preview-execution`],
    ]);
    expect(ecs('DeleteTaskDefinitions', { taskDefinitions: ['pr-7-api:1'] })).toEqual([
      ['ecs:DeleteTaskDefinitions', `arn:aws:ecs:${R}:${A}:task-definition/pr-7-api:1`],
    ]);
  });

  it('ELBv2', () => {
    for (const op of [
      'DescribeAccountLimits',
      'DescribeListeners',
      'DescribeLoadBalancers',
      'DescribeRules',
      'DescribeTags',
      'DescribeTargetGroups',
      'DescribeTargetHealth',
    ]) {
      expect(elb(op, {})).toEqual([[`elasticloadbalancing:${op}`, '*']]);
    }
    expect(elb('CreateTargetGroup', { Name: 'pr-7-api', 'Tags.member.1.Key': 'k' })).toEqual([
      ['elasticloadbalancing:CreateTargetGroup', `arn:aws:elasticloadbalancing:${R}:${A}:targetgroup/pr-7-api/*`],
      ['elasticloadbalancing:AddTags', `arn:aws:elasticloadbalancing:${R}:${A}:targetgroup/pr-7-api/*`],
    ]);
    expect(elb('ModifyTargetGroup', { TargetGroupArn: TG })).toEqual([['elasticloadbalancing:ModifyTargetGroup', TG]]);
    expect(elb('DeleteTargetGroup', { TargetGroupArn: TG })).toEqual([['elasticloadbalancing:DeleteTargetGroup', TG]]);
    expect(elb('CreateRule', { ListenerArn: LISTENER, 'Tags.member.1.Key': 'k' })).toEqual([
      ['elasticloadbalancing:CreateRule', LISTENER],
      ['elasticloadbalancing:AddTags', `${LISTENER.replace(':listener/', ':listener-rule/')}/*`],
    ]);
    expect(elb('ModifyRule', { RuleArn: RULE })).toEqual([['elasticloadbalancing:ModifyRule', RULE]]);
    expect(elb('DeleteRule', { RuleArn: RULE })).toEqual([['elasticloadbalancing:DeleteRule', RULE]]);
    expect(elb('AddTags', { 'ResourceArns.member.1': TG, 'ResourceArns.member.2': RULE })).toEqual([
      ['elasticloadbalancing:AddTags', TG],
      ['elasticloadbalancing:AddTags', RULE],
    ]);
  });

  it('ECR and CloudWatch Logs', () => {
    const repo = `arn:aws:ecr:${R}:${A}:repository/api`;
    expect(checks(call('ecr', 'GetAuthorizationToken', {}))).toEqual([['ecr:GetAuthorizationToken', '*']]);
    expect(checks(call('ecr', 'DescribeRepositories', {}))).toEqual([
      ['ecr:DescribeRepositories', `arn:aws:ecr:${R}:${A}:repository/*`],
    ]);
    expect(checks(call('ecr', 'DescribeRepositories', { repositoryNames: ['api'] }))).toEqual([
      ['ecr:DescribeRepositories', repo],
    ]);
    for (const op of [
      'BatchCheckLayerAvailability',
      'InitiateLayerUpload',
      'UploadLayerPart',
      'CompleteLayerUpload',
      'PutImage',
      'BatchGetImage',
      'GetDownloadUrlForLayer',
      'DescribeImages',
    ]) {
      expect(checks(call('ecr', op, { repositoryName: 'api' }))).toEqual([[`ecr:${op}`, repo]]);
    }
    expect(checks(call('ecr', 'PutImage', { repositoryName: 'api', registryId: '210987654321' }))).toEqual([
      ['ecr:PutImage', `arn:aws:ecr:${R}:210987654321:repository/api`],
    ]);
    expect(checks(call('logs', 'DescribeLogStreams', { logGroupName: '/ecs/pr-environments' }))).toEqual([
      ['logs:DescribeLogStreams', `arn:aws:logs:${R}:${A}:log-group:/ecs/pr-environments`],
    ]);
    expect(
      checks(call('logs', 'DeleteLogStream', { logGroupName: '/ecs/pr-environments', logStreamName: 'pr-7/api/abc' })),
    ).toEqual([
      ['logs:DeleteLogStream', `arn:aws:logs:${R}:${A}:log-group:/ecs/pr-environments:log-stream:pr-7/api/abc`],
    ]);
  });

  it('has no mapping for an operation it does not know', () => {
    expect(checks(call('ecs', 'DeleteCluster', { cluster: 'pr-environments' }))).toBeUndefined();
  });
});

describe('the proxy evaluating the shipped permission policies', () => {
  const placeholders = sandboxPlaceholders('octo-org/shop');
  const preview = () =>
    new IamProxy(loadRole(findRoleBinding(PREVIEW_ROLE)!, placeholders), new URL('http://127.0.0.1:1'), () => {});

  it('allows a preview service update and denies the production one, at resource level', () => {
    const proxy = preview();
    expect(
      proxy.authorize(call('ecs', 'UpdateService', { cluster: 'pr-environments', service: 'pr-7-api' }), 's').allowed,
    ).toBe(true);
    const denied = proxy.authorize(
      call('ecs', 'UpdateService', { cluster: 'services-prod', service: 'api-prod' }),
      's',
    );
    expect(denied.allowed).toBe(false);
    expect(proxy.decisions.map((d) => [d.operation, d.resource, d.allowed])).toEqual([
      ['ecs:UpdateService', `arn:aws:ecs:${R}:${A}:service/pr-environments/pr-7-api`, true],
      ['ecs:UpdateService', `arn:aws:ecs:${R}:${A}:service/services-prod/api-prod`, false],
    ]);
  });

  it('lets the release-candidate role redeploy a test service and not a production one', () => {
    const proxy = new IamProxy(
      loadRole(findRoleBinding(RC_ROLE)!, placeholders),
      new URL('http://127.0.0.1:1'),
      () => {},
    );
    const update = (cluster: string, service: string) =>
      proxy.authorize(call('ecs', 'UpdateService', { cluster, service }), 's').allowed;
    expect(update('services-test', 'api-test')).toBe(true);
    expect(update('services-prod', 'api-prod')).toBe(false);
  });

  it('passes only the preview task roles, and only to ecs-tasks', () => {
    const proxy = preview();
    const register = (role: string) =>
      proxy.authorize(
        call('ecs', 'RegisterTaskDefinition', { family: 'pr-7-api', taskRoleArn: `arn:aws:iam::${A}:role/${role}` }),
        's',
      );
    expect(register('preview-task').allowed).toBe(true);
    expect(register('admin').denied).toMatchObject({
      action: 'iam:PassRole',
      resource: `arn:aws:iam::${A}:role/admin`,
    });
  });

  it('denies an unknown operation and says which', () => {
    const lines: string[] = [];
    const proxy = new IamProxy(
      loadRole(findRoleBinding(PREVIEW_ROLE)!, placeholders),
      new URL('http://127.0.0.1:1'),
      (l) => lines.push(l),
    );
    expect(proxy.authorize(call('ecs', 'DeleteCluster', {}), 's')).toMatchObject({
      allowed: false,
      denied: { result: 'UnknownOperation' },
    });
    expect(lines).toEqual([expect.stringContaining('DENIED ecs:DeleteCluster: no resource mapping')]);
  });
});

describe('the proxy on the wire', () => {
  let upstream: Server;
  let upstreamUrl: string;
  const seen: string[] = [];
  let proxy: IamProxy;

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      seen.push(String(req.headers['x-amz-target'] ?? 'query'));
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ serviceArns: [] }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    proxy = new IamProxy(
      loadRole(findRoleBinding(PRODUCTION_ROLE)!, sandboxPlaceholders('octo-org/shop')),
      new URL(upstreamUrl),
      () => {},
    );
    await proxy.listen();
    proxy.addSession({ accessKeyId: 'ASIAPROMOTION', sessionName: 'GitHubActions' });
  });

  afterAll(async () => {
    await proxy.close();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });

  const credentials = { accessKeyId: 'ASIAPROMOTION', secretAccessKey: 'x', sessionToken: 'y' };

  it('forwards an allowed call and answers a denied one as AWS does, in a way our core explains', async () => {
    const ecs = new ECSClient({ region: R, endpoint: proxy.url, credentials, maxAttempts: 1 });
    await expect(
      ecs.send(new DescribeServicesCommand({ cluster: 'services-prod', services: ['api-prod'] })),
    ).resolves.toBeDefined();
    const error = await ecs
      .send(new UpdateServiceCommand({ cluster: 'pr-environments', service: 'pr-7-api' }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'AccessDeniedException',
      message:
        `User: arn:aws:sts::${A}:assumed-role/preview-actions-production/GitHubActions is not authorized to perform: ` +
        `ecs:UpdateService on resource: arn:aws:ecs:${R}:${A}:service/pr-environments/pr-7-api because no ` +
        'identity-based policy allows the ecs:UpdateService action',
      $metadata: { httpStatusCode: 400 },
    });
    expect(explainFailure(error)?.message).toMatch(/^AWS denied the call \(AccessDeniedException: User: .*docs\/iam\//);
    expect(seen).toEqual(['AmazonEC2ContainerServiceV20141113.DescribeServices']);
  });

  it('answers ELBv2 with the query protocol AccessDenied', async () => {
    const elb = new ElasticLoadBalancingV2Client({ region: R, endpoint: proxy.url, credentials, maxAttempts: 1 });
    const error = await elb.send(new DeleteRuleCommand({ RuleArn: RULE })).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining(`elasticloadbalancing:DeleteRule on resource: ${RULE}`),
    });
    expect(explainFailure(error)?.usersToFix).toBe(true);
  });

  /** A ListServices through the proxy signed with `accessKeyId`. */
  const listWith = (accessKeyId: string) =>
    new ECSClient({
      region: R,
      endpoint: proxy.url,
      credentials: { ...credentials, accessKeyId },
      maxAttempts: 1,
    }).send(new ListServicesCommand({}));

  it('refuses a session past its expiry as AWS does', async () => {
    proxy.addSession({ accessKeyId: 'ASIAEXPIRED', sessionName: 'old', expiresAt: new Date(Date.now() - 1000) });
    await expect(listWith('ASIAEXPIRED')).rejects.toMatchObject({ name: 'ExpiredTokenException' });
  });

  it('rejects credentials it did not issue', async () => {
    await expect(listWith('AKIAOTHER')).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
  });
});
