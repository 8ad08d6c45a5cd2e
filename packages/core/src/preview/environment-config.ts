/** How a task's containers are networked; `awsvpc` gives each task its own ENI. */
export type NetworkMode = 'bridge' | 'awsvpc' | 'host';

/** Where ECS runs the tasks. */
export type LaunchType = 'EC2' | 'FARGATE' | 'EXTERNAL';

/** A placement constraint as ECS takes it. */
export interface PlacementConstraintConfig {
  type: 'memberOf' | 'distinctInstance';
  expression?: string;
}

/** A placement strategy step as ECS takes it. */
export interface PlacementStrategyConfig {
  type: 'random' | 'spread' | 'binpack';
  field?: string;
}

/** One service of a preview environment, defaults filled in. */
export interface PreviewServiceConfig {
  /** DNS-label-safe name, e.g. `api`; resources are named `pr-{N}-{name}`. */
  name: string;
  /**
   * Image pattern. `{repository}` becomes the environment's `image-repository`, `{pr}` the PR number,
   * `{service}` the service name. Default `{repository}:pr-{pr}`.
   */
  image: string;
  command?: string[];
  /** Container port; required when `paths` route traffic to the service. */
  port?: number;
  /** ALB path patterns; a service without paths gets no target group and no listener rule. */
  paths: string[];
  /** Target-group health-check path; default `/` for routed services. */
  healthCheckPath?: string;
  /** Container health check (CMD-SHELL); none unless given, since not every image has curl. */
  healthCheckCommand?: string;
  /** CPU units (1024 = 1 vCPU). Default 256. */
  cpu: number;
  /** MiB. Default 512. */
  memory: number;
  /** Default 1. */
  desiredCount: number;
  /** Plain variables; PR_NUMBER, SERVICE_TYPE and REDIS_PREFIX are reserved. */
  environment: Record<string, string>;
  /** Variable name → Secrets Manager or SSM parameter ARN, passed as `valueFrom`. */
  secrets: Record<string, string>;
  placementConstraints: PlacementConstraintConfig[];
  placementStrategy: PlacementStrategyConfig[];
  /** The service's `launch-type`, else the file's top-level one, else EC2. */
  launchType: LaunchType;
  /** Default bridge for EC2 and awsvpc for FARGATE. */
  networkMode: NetworkMode;
}

/** The whole environment file, validated, defaults filled in. */
export interface PreviewEnvironmentConfig {
  /** Previews are served at `pr-{N}.{domain}`. */
  domain: string;
  cluster: string;
  listenerArn: string;
  vpcId: string;
  /** Listener-rule priorities this repository may use, inclusive. Default 1000-1999. */
  priorityRange: { min: number; max: number };
  /**
   * Starts every name of this repository's previews (`{prefix}-pr-{N}-{service}`, host `{prefix}-pr-{N}.{domain}`,
   * REDIS_PREFIX and log streams `{prefix}-pr-{N}`), so repositories sharing a cluster, log group and Redis
   * never meet. Default none: `pr-{N}`.
   */
  namePrefix?: string;
  /** Hours until a real expiry, counted from each deploy; unset, the preview never expires by time (idle rule only). */
  ttlHours?: number;
  /** Fills `{repository}` in service images; required when any image uses it. */
  imageRepository?: string;
  /** Repository-relative path of a base task-definition JSON with `${…}` placeholders. */
  taskDefinitionTemplate?: string;
  executionRoleArn?: string;
  taskRoleArn?: string;
  /** For awsvpc services. */
  subnets: string[];
  securityGroups: string[];
  services: PreviewServiceConfig[];
}

/** Where the environment file lives in the consumer repository unless an input says otherwise. */
export const DEFAULT_ENVIRONMENT_FILE = '.github/preview.yml';

/** Environment variables the task definition always sets; the environment file may not set them. */
export const RESERVED_ENVIRONMENT_NAMES = ['PR_NUMBER', 'SERVICE_TYPE', 'REDIS_PREFIX'] as const;
