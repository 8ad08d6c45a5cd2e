import type { OwnershipFacts } from '../preview/ownership-tags.js';

/** One ECS service of a preview environment, as discovery found it. */
export interface EnvironmentService {
  name: string;
  arn: string;
  desiredCount: number;
  taskDefinition?: string;
  tags: Record<string, string>;
  facts: OwnershipFacts;
}

/** Everything discovery found for one pull request's preview, grouped by its ownership tags. */
export interface PreviewEnvironment {
  pr: number;
  services: EnvironmentService[];
  /** Listener rules, then target groups (teardown order). */
  ruleArns: string[];
  targetGroupArns: string[];
  /** Revisions (ARNs) of task-definition families `pr-{N}-*`, ACTIVE and INACTIVE. */
  taskDefinitionArns: string[];
  dnsRecords: { id: string; name: string }[];
  logStreams: { name: string; lastEventAt?: Date }[];
  /** Latest deployed-at tag of any resource. */
  deployedAt?: Date;
  /** Latest expires-at tag (set by a deploy with ttl-hours, moved by /extend). */
  expiresAt?: Date;
  /** The ttl-hours tag: set, expires-at is a real expiry; unset, it only keeps the environment from the idle sweep. */
  ttlHours?: number;
  /** Set when every service carries hibernated-at: the earliest of them. */
  hibernatedAt?: Date;
  /** Latest log event of the environment's streams, when discovery read them. */
  lastLogEventAt?: Date;
}

/** A resource that looks like a preview's by name but lacks our ownership tags: reported, never touched. */
export interface OrphanResource {
  kind: 'ecs-service' | 'target-group' | 'task-definition';
  name: string;
  arn?: string;
}

/** Where an environment's resources live; everything but the cluster is optional. */
export interface LifecycleScope {
  /** `owner/name` whose previews these are (the ownership tags' repo). */
  repo: string;
  cluster: string;
  /** The shared HTTPS listener whose rules route previews; no rules are looked for without it. */
  listenerArn?: string;
  /** The log group whose `pr-{N}/` streams belong to previews. */
  logGroup?: string;
  /** The environment file's name-prefix: log streams, task-definition families and Redis keys start `{prefix}-pr-{N}`. */
  namePrefix?: string;
}

/** Creates an empty environment for `pr`. */
export function createEmptyEnvironment(pr: number): PreviewEnvironment {
  return {
    pr,
    services: [],
    ruleArns: [],
    targetGroupArns: [],
    taskDefinitionArns: [],
    dnsRecords: [],
    logStreams: [],
  };
}

export { readPreviewNumber } from '../preview/naming.js';
