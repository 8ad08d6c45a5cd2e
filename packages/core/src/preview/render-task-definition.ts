import type {
  ContainerDefinition,
  KeyValuePair,
  RegisterTaskDefinitionCommandInput,
  Secret,
} from '@aws-sdk/client-ecs';
import type { PreviewEnvironmentConfig, PreviewServiceConfig } from './environment-config.js';
import { createEnvironmentName, createServiceName } from './naming.js';
import { resolveServiceImage } from './resolve-service-image.js';
import { substitutePlaceholders } from './substitute-placeholders.js';
import type { TaskDefinitionTemplate } from './task-definition-template.js';

/** The log group every preview's containers log to (stream prefix `pr-{N}`). */
export const PREVIEW_LOG_GROUP = '/ecs/pr-environments';

/** What {@link renderTaskDefinition} needs; everything is data, so rendering is pure. */
export interface RenderTaskDefinitionInput {
  pr: number;
  service: PreviewServiceConfig;
  environment: Pick<PreviewEnvironmentConfig, 'imageRepository' | 'executionRoleArn' | 'taskRoleArn' | 'namePrefix'>;
  region: string;
  /** `sha256:…` of the image built for this PR; pins the image so a re-push of the tag cannot change it. */
  digest?: string;
  template?: TaskDefinitionTemplate;
  /** Default {@link PREVIEW_LOG_GROUP}. */
  logGroup?: string;
}

function mergeByName<T extends { name?: string | undefined }>(...lists: (readonly T[] | undefined)[]): T[] {
  const merged = new Map<string, T>();
  for (const item of lists.flat()) if (item?.name !== undefined) merged.set(item.name, item);
  return [...merged.values()].sort((a, b) => (a.name as string).localeCompare(b.name as string));
}

function pickMainContainer(containers: ContainerDefinition[], service: string): number {
  const named = containers.findIndex((c) => c.name === service);
  return named >= 0 ? named : containers.length ? 0 : -1;
}

function renderMainContainer(
  input: RenderTaskDefinitionInput,
  base: ContainerDefinition,
  image: string,
): ContainerDefinition {
  const { pr, service } = input;
  const environmentName = createEnvironmentName(pr, input.environment.namePrefix);
  const reserved: KeyValuePair[] = [
    { name: 'PR_NUMBER', value: String(pr) },
    { name: 'SERVICE_TYPE', value: service.name },
    { name: 'REDIS_PREFIX', value: environmentName },
  ];
  const userEnvironment = Object.entries(service.environment).map(([name, value]) => ({ name, value }));
  const userSecrets: Secret[] = Object.entries(service.secrets).map(([name, valueFrom]) => ({ name, valueFrom }));
  const container: ContainerDefinition = {
    ...base,
    name: service.name,
    image,
    essential: true,
    environment: mergeByName(base.environment, userEnvironment, reserved),
    logConfiguration: {
      logDriver: 'awslogs',
      options: {
        'awslogs-group': input.logGroup ?? PREVIEW_LOG_GROUP,
        'awslogs-region': input.region,
        'awslogs-stream-prefix': environmentName,
      },
    },
  };
  const secrets = mergeByName(base.secrets, userSecrets);
  if (secrets.length) container.secrets = secrets;
  if (service.command) container.command = service.command;
  if (service.port !== undefined) {
    const hostPort = service.networkMode === 'bridge' ? 0 : service.port;
    container.portMappings = [{ containerPort: service.port, hostPort, protocol: 'tcp' }];
  }
  if (service.healthCheckCommand !== undefined) {
    container.healthCheck = {
      command: ['CMD-SHELL', service.healthCheckCommand],
      interval: 30,
      timeout: 5,
      retries: 3,
      startPeriod: 60,
    };
  }
  return container;
}

/**
 * Renders the RegisterTaskDefinition input of one preview service: family `pr-{N}-{service}`,
 * the image (digest-pinned when known), PR_NUMBER / SERVICE_TYPE / REDIS_PREFIX (always ours,
 * overriding the template), the user's variables and secrets (`valueFrom`), awslogs to the shared
 * group with stream prefix `pr-{N}`, port mapping (dynamic host port under bridge) and health check.
 * A template is the base: its placeholders are filled in parsed string values, its other fields and
 * sidecar containers are kept, and the environment file's settings win where both speak.
 * Tags are left to the caller (see registerTaskDefinitionWithTags in ecs/).
 */
export function renderTaskDefinition(input: RenderTaskDefinitionInput): RegisterTaskDefinitionCommandInput {
  const { pr, service, environment } = input;
  const image = resolveServiceImage(service, pr, environment.imageRepository, input.digest);
  const imageRepository = environment.imageRepository ?? '';
  const base = (
    input.template
      ? substitutePlaceholders(input.template, {
          PR_NUMBER: String(pr),
          SERVICE: service.name,
          IMAGE: image,
          ENVIRONMENT: createEnvironmentName(pr, input.environment.namePrefix),
          AWS_REGION: input.region,
          IMAGE_REPOSITORY: imageRepository,
          ECR_REPO: imageRepository,
        })
      : {}
  ) as Partial<RegisterTaskDefinitionCommandInput>;
  const containers = [...(base.containerDefinitions ?? [])];
  const main = pickMainContainer(containers, service.name);
  const rendered = renderMainContainer(input, main >= 0 ? (containers[main] as ContainerDefinition) : {}, image);
  if (main >= 0) containers[main] = rendered;
  else containers.push(rendered);
  const output: RegisterTaskDefinitionCommandInput = {
    ...base,
    family: createServiceName(pr, service.name, input.environment.namePrefix),
    networkMode: service.networkMode,
    requiresCompatibilities: [service.launchType],
    cpu: String(service.cpu),
    memory: String(service.memory),
    containerDefinitions: containers,
  };
  if (environment.executionRoleArn) output.executionRoleArn = environment.executionRoleArn;
  if (environment.taskRoleArn) output.taskRoleArn = environment.taskRoleArn;
  delete (output as { tags?: unknown }).tags;
  return output;
}
