import { queryList, type AwsRequest } from './aws-request.js';

/** One authorization AWS makes for a call: an IAM action on one resource, with request condition keys. */
export interface IamCheck {
  action: string;
  resource: string;
  context?: Record<string, string>;
}

/** Where a call runs: the role's account unless the request names another (ECR's `registryId`). */
interface Scope {
  region: string;
  account: string;
}

type Deriver = (params: Record<string, unknown>, scope: Scope) => IamCheck[];

const ECS_TASK_SERVICE = 'ecs-tasks.amazonaws.com';

/**
 * The authorizations AWS makes for each operation our actions call, after the Service Authorization
 * Reference: the resource type each action requires, `*` where it lists none (List*, most Describe*,
 * DeregisterTaskDefinition, GetAuthorizationToken), and the extra checks some calls carry (tags on create
 * need TagResource / AddTags; a task definition with roles needs iam:PassRole to ecs-tasks). Keyed by
 * `service:Operation`. An operation missing here is unknown and the proxy denies it.
 */
const DERIVERS: Record<string, Deriver> = {
  // ECS (JSON protocol)
  'ecs:ListServices': () => [star('ecs:ListServices')],
  'ecs:ListTaskDefinitions': () => [star('ecs:ListTaskDefinitions')],
  'ecs:ListTaskDefinitionFamilies': () => [star('ecs:ListTaskDefinitionFamilies')],
  'ecs:DescribeTaskDefinition': () => [star('ecs:DescribeTaskDefinition')],
  'ecs:DeregisterTaskDefinition': () => [star('ecs:DeregisterTaskDefinition')],
  'ecs:ListTasks': (p, s) => [
    { action: 'ecs:ListTasks', resource: ecsArn(s, `container-instance/${clusterName(p)}/*`) },
  ],
  'ecs:DescribeClusters': (p, s) =>
    strings(p.clusters, ['default']).map((c) => ({ action: 'ecs:DescribeClusters', resource: clusterArn(s, c) })),
  'ecs:DescribeServices': (p, s) =>
    strings(p.services).map((svc) => ({ action: 'ecs:DescribeServices', resource: serviceArn(s, p, svc) })),
  'ecs:DescribeTasks': (p, s) =>
    strings(p.tasks).map((t) => ({
      action: 'ecs:DescribeTasks',
      resource: t.startsWith('arn:') ? t : ecsArn(s, `task/${clusterName(p)}/${t}`),
    })),
  'ecs:CreateService': (p, s) => {
    const resource = serviceArn(s, p, String(p.serviceName));
    return [{ action: 'ecs:CreateService', resource }, ...tagging('ecs:TagResource', resource, p.tags)];
  },
  'ecs:UpdateService': (p, s) => [{ action: 'ecs:UpdateService', resource: serviceArn(s, p, String(p.service)) }],
  // ECS's deployment records (ECS API reference, service authorization): the list is authorized on the service,
  // the describes and the stop on each service-deployment / service-revision ARN the request names.
  'ecs:ListServiceDeployments': (p, s) => [
    { action: 'ecs:ListServiceDeployments', resource: serviceArn(s, p, String(p.service)) },
  ],
  'ecs:DescribeServiceDeployments': (p) =>
    strings(p.serviceDeploymentArns).map((arn) => ({ action: 'ecs:DescribeServiceDeployments', resource: arn })),
  'ecs:DescribeServiceRevisions': (p) =>
    strings(p.serviceRevisionArns).map((arn) => ({ action: 'ecs:DescribeServiceRevisions', resource: arn })),
  'ecs:StopServiceDeployment': (p) => [
    { action: 'ecs:StopServiceDeployment', resource: String(p.serviceDeploymentArn) },
  ],
  'ecs:DeleteService': (p, s) => [{ action: 'ecs:DeleteService', resource: serviceArn(s, p, String(p.service)) }],
  'ecs:TagResource': (p) => [{ action: 'ecs:TagResource', resource: String(p.resourceArn) }],
  'ecs:UntagResource': (p) => [{ action: 'ecs:UntagResource', resource: String(p.resourceArn) }],
  'ecs:RegisterTaskDefinition': (p, s) => {
    const resource = ecsArn(s, `task-definition/${String(p.family)}:*`);
    const roles = [p.taskRoleArn, p.executionRoleArn].filter((r): r is string => typeof r === 'string' && r !== '');
    return [
      { action: 'ecs:RegisterTaskDefinition', resource },
      ...tagging('ecs:TagResource', resource, p.tags),
      ...roles.map((role) => ({
        action: 'iam:PassRole',
        resource: role,
        context: { 'iam:PassedToService': ECS_TASK_SERVICE },
      })),
    ];
  },
  'ecs:DeleteTaskDefinitions': (p, s) =>
    strings(p.taskDefinitions).map((td) => ({
      action: 'ecs:DeleteTaskDefinitions',
      resource: td.startsWith('arn:') ? td : ecsArn(s, `task-definition/${td}`),
    })),

  // ELBv2 (query protocol)
  'elasticloadbalancing:DescribeAccountLimits': () => [star('elasticloadbalancing:DescribeAccountLimits')],
  'elasticloadbalancing:DescribeListeners': () => [star('elasticloadbalancing:DescribeListeners')],
  'elasticloadbalancing:DescribeLoadBalancers': () => [star('elasticloadbalancing:DescribeLoadBalancers')],
  'elasticloadbalancing:DescribeRules': () => [star('elasticloadbalancing:DescribeRules')],
  'elasticloadbalancing:DescribeTags': () => [star('elasticloadbalancing:DescribeTags')],
  'elasticloadbalancing:DescribeTargetGroups': () => [star('elasticloadbalancing:DescribeTargetGroups')],
  'elasticloadbalancing:DescribeTargetGroupAttributes': () => [
    star('elasticloadbalancing:DescribeTargetGroupAttributes'),
  ],
  'elasticloadbalancing:DescribeTargetHealth': () => [star('elasticloadbalancing:DescribeTargetHealth')],
  'elasticloadbalancing:CreateTargetGroup': (p, s) => {
    // the id is AWS's to choose: the request is authorized against the name with any id
    const resource = elbArn(s, `targetgroup/${String(p.Name)}/*`);
    return [{ action: 'elasticloadbalancing:CreateTargetGroup', resource }, ...queryTagging(resource, p)];
  },
  'elasticloadbalancing:ModifyTargetGroup': (p) => [
    { action: 'elasticloadbalancing:ModifyTargetGroup', resource: String(p.TargetGroupArn) },
  ],
  'elasticloadbalancing:ModifyTargetGroupAttributes': (p) => [
    { action: 'elasticloadbalancing:ModifyTargetGroupAttributes', resource: String(p.TargetGroupArn) },
  ],
  'elasticloadbalancing:DeleteTargetGroup': (p) => [
    { action: 'elasticloadbalancing:DeleteTargetGroup', resource: String(p.TargetGroupArn) },
  ],
  'elasticloadbalancing:RegisterTargets': (p) => [
    { action: 'elasticloadbalancing:RegisterTargets', resource: String(p.TargetGroupArn) },
  ],
  'elasticloadbalancing:DeregisterTargets': (p) => [
    { action: 'elasticloadbalancing:DeregisterTargets', resource: String(p.TargetGroupArn) },
  ],
  'elasticloadbalancing:CreateRule': (p) => {
    const listener = String(p.ListenerArn);
    const rules = `${listener.replace(':listener/', ':listener-rule/')}/*`;
    return [{ action: 'elasticloadbalancing:CreateRule', resource: listener }, ...queryTagging(rules, p)];
  },
  'elasticloadbalancing:ModifyRule': (p) => [
    { action: 'elasticloadbalancing:ModifyRule', resource: String(p.RuleArn) },
  ],
  'elasticloadbalancing:DeleteRule': (p) => [
    { action: 'elasticloadbalancing:DeleteRule', resource: String(p.RuleArn) },
  ],
  'elasticloadbalancing:SetRulePriorities': (p) =>
    rulePriorityArns(p).map((arn) => ({ action: 'elasticloadbalancing:SetRulePriorities', resource: arn })),
  'elasticloadbalancing:AddTags': (p) =>
    queryList(p, 'ResourceArns').map((arn) => ({ action: 'elasticloadbalancing:AddTags', resource: arn })),
  'elasticloadbalancing:RemoveTags': (p) =>
    queryList(p, 'ResourceArns').map((arn) => ({ action: 'elasticloadbalancing:RemoveTags', resource: arn })),

  // ECR (JSON protocol)
  'ecr:GetAuthorizationToken': () => [star('ecr:GetAuthorizationToken')],
  'ecr:DescribeRepositories': (p, s) =>
    strings(p.repositoryNames, ['*']).map((name) => ({
      action: 'ecr:DescribeRepositories',
      resource: repositoryArn(s, p, name),
    })),
  ...Object.fromEntries(
    [
      'BatchCheckLayerAvailability',
      'BatchGetImage',
      'BatchDeleteImage',
      'CompleteLayerUpload',
      'DescribeImages',
      'GetDownloadUrlForLayer',
      'InitiateLayerUpload',
      'ListImages',
      'PutImage',
      'UploadLayerPart',
    ].map((op): [string, Deriver] => [
      `ecr:${op}`,
      (p, s) => [{ action: `ecr:${op}`, resource: repositoryArn(s, p, String(p.repositoryName)) }],
    ]),
  ),

  // CloudWatch Logs (JSON protocol)
  'logs:DescribeLogStreams': (p, s) => [{ action: 'logs:DescribeLogStreams', resource: logGroupArn(s, p) }],
  'logs:FilterLogEvents': (p, s) => [{ action: 'logs:FilterLogEvents', resource: logGroupArn(s, p) }],
  'logs:GetLogEvents': (p, s) => [
    { action: 'logs:GetLogEvents', resource: `${logGroupArn(s, p)}:log-stream:${String(p.logStreamName)}` },
  ],
  'logs:DeleteLogStream': (p, s) => [
    { action: 'logs:DeleteLogStream', resource: `${logGroupArn(s, p)}:log-stream:${String(p.logStreamName)}` },
  ],
};

/** STS calls every caller may make whatever its policies say (GetCallerIdentity needs no permission). */
const ALWAYS_ALLOWED = new Set(['sts:GetCallerIdentity']);

/** True for an operation AWS authorizes for every authenticated caller. */
export function isAlwaysAllowed(request: Pick<AwsRequest, 'service' | 'operation'>): boolean {
  return ALWAYS_ALLOWED.has(`${request.service}:${request.operation}`);
}

/**
 * The checks AWS makes for one call, or undefined when the operation is not in the table: the proxy
 * then denies it, so a new call can never pass unevaluated.
 */
export function deriveIamChecks(request: AwsRequest, account: string): IamCheck[] | undefined {
  const derive = DERIVERS[`${request.service}:${request.operation}`];
  if (!derive) return undefined;
  return derive(request.params, { region: request.region, account });
}

/** Every `service:Operation` the proxy can evaluate (for reports and tests). */
export function knownOperations(): string[] {
  return Object.keys(DERIVERS).sort();
}

function star(action: string): IamCheck {
  return { action, resource: '*' };
}

function strings(value: unknown, fallback: string[] = []): string[] {
  if (!Array.isArray(value) || value.length === 0) return fallback;
  return value.map(String);
}

function ecsArn(s: Scope, rest: string): string {
  return `arn:aws:ecs:${s.region}:${s.account}:${rest}`;
}

function elbArn(s: Scope, rest: string): string {
  return `arn:aws:elasticloadbalancing:${s.region}:${s.account}:${rest}`;
}

/** ECS takes a cluster as a name or an ARN, `default` when absent. */
function clusterName(p: Record<string, unknown>): string {
  const cluster = typeof p.cluster === 'string' && p.cluster !== '' ? p.cluster : 'default';
  return cluster.startsWith('arn:') ? cluster.slice(cluster.indexOf(':cluster/') + ':cluster/'.length) : cluster;
}

function clusterArn(s: Scope, cluster: string): string {
  return cluster.startsWith('arn:') ? cluster : ecsArn(s, `cluster/${cluster}`);
}

/** A service as a name (in the request's cluster) or as a full `service/CLUSTER/NAME` ARN. */
function serviceArn(s: Scope, p: Record<string, unknown>, service: string): string {
  return service.startsWith('arn:') ? service : ecsArn(s, `service/${clusterName(p)}/${service}`);
}

function tagging(action: string, resource: string, tags: unknown): IamCheck[] {
  return Array.isArray(tags) && tags.length > 0 ? [{ action, resource }] : [];
}

function queryTagging(resource: string, p: Record<string, unknown>): IamCheck[] {
  return typeof p['Tags.member.1.Key'] === 'string' ? [{ action: 'elasticloadbalancing:AddTags', resource }] : [];
}

function rulePriorityArns(p: Record<string, unknown>): string[] {
  const arns: string[] = [];
  for (let i = 1; typeof p[`RulePriorities.member.${i}.RuleArn`] === 'string'; i += 1) {
    arns.push(p[`RulePriorities.member.${i}.RuleArn`] as string);
  }
  return arns;
}

function repositoryArn(s: Scope, p: Record<string, unknown>, name: string): string {
  const account = typeof p.registryId === 'string' && p.registryId !== '' ? p.registryId : s.account;
  return `arn:aws:ecr:${s.region}:${account}:repository/${name}`;
}

/** CloudWatch Logs takes `logGroupName` or `logGroupIdentifier` (a name or an ARN). */
function logGroupArn(s: Scope, p: Record<string, unknown>): string {
  const id = String(p.logGroupIdentifier ?? p.logGroupName);
  if (id.startsWith('arn:')) return id.replace(/:\*$/, '');
  return `arn:aws:logs:${s.region}:${s.account}:log-group:${id}`;
}
