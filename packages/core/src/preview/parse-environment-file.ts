import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { parseDocument } from 'yaml';
import { quoteValue } from '../action/quote.js';
import {
  RESERVED_ENVIRONMENT_NAMES,
  type LaunchType,
  type NetworkMode,
  type PlacementConstraintConfig,
  type PlacementStrategyConfig,
  type PreviewEnvironmentConfig,
  type PreviewServiceConfig,
} from './environment-config.js';
import { EnvironmentFileError } from './environment-file-error.js';
import { ENVIRONMENT_FILE_SCHEMA } from './environment-schema.js';
import { formatSchemaErrors } from './format-schema-errors.js';

const MAX_FILE_BYTES = 256 * 1024;
const DEFAULT_IMAGE = '{repository}:pr-{pr}';
const IMAGE_PLACEHOLDERS = new Set(['repository', 'pr', 'service']);
const PRIORITY_LIMIT = 50000;

/** The file as the schema describes it, before defaults. */
interface RawService {
  name: string;
  image?: string;
  command?: string[];
  port?: number;
  paths?: string[];
  'health-check-path'?: string;
  'health-check-command'?: string;
  cpu?: number;
  memory?: number;
  'desired-count'?: number;
  environment?: Record<string, string | number | boolean>;
  secrets?: Record<string, string>;
  placement?: { constraints?: PlacementConstraintConfig[]; strategy?: PlacementStrategyConfig[] };
  'launch-type'?: LaunchType;
  'network-mode'?: NetworkMode;
}

interface RawEnvironment {
  domain: string;
  cluster: string;
  'listener-arn': string;
  'vpc-id': string;
  'priority-range'?: string;
  'name-prefix'?: string;
  'ttl-hours'?: number;
  'image-repository'?: string;
  'task-definition-template'?: string;
  'execution-role-arn'?: string;
  'task-role-arn'?: string;
  subnets?: string[];
  'security-groups'?: string[];
  'launch-type'?: LaunchType;
  services: RawService[];
}

let validator: ValidateFunction | undefined;

/** ajv-formats is CommonJS: under Node its default import is the plugin, under some loaders the module. */
function readFormatsPlugin(): (ajv: Ajv) => void {
  const loaded: unknown = addFormatsPlugin;
  if (typeof loaded === 'function') return loaded as (ajv: Ajv) => void;
  return (loaded as { default: (ajv: Ajv) => void }).default;
}

function readValidator(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    ajv.addKeyword({ keyword: 'hint', schemaType: 'string' });
    ajv.addKeyword({ keyword: 'defaultText', schemaType: 'string' });
    readFormatsPlugin()(ajv);
    validator = ajv.compile(ENVIRONMENT_FILE_SCHEMA);
  }
  return validator;
}

function parsePriorityRange(text: string | undefined, problems: string[]): { min: number; max: number } {
  if (text === undefined) return { min: 1000, max: 1999 };
  const [min, max] = text.split('-').map(Number) as [number, number];
  if (min < 1 || max > PRIORITY_LIMIT || min > max) {
    problems.push(
      `priority-range: ${quoteValue(text)} must be low-high with 1 <= low <= high <= ${PRIORITY_LIMIT}, e.g. 1000-1999`,
    );
  }
  return { min, max };
}

function checkImage(service: RawService, index: number, raw: RawEnvironment, problems: string[]): void {
  const image = service.image ?? DEFAULT_IMAGE;
  for (const match of image.matchAll(/\{([^}]*)\}/g)) {
    const name = match[1] as string;
    if (!IMAGE_PLACEHOLDERS.has(name)) {
      problems.push(`services[${index}].image: unknown placeholder {${name}}; use {repository}, {pr} or {service}`);
    }
  }
  if (image.includes('{repository}') && raw['image-repository'] === undefined) {
    const why =
      service.image === undefined ? 'the default image {repository}:pr-{pr} needs it' : 'its image uses {repository}';
    problems.push(
      `image-repository: is required because services[${index}] (${service.name}) ${why}; set it or give the service an image`,
    );
  }
}

/** A service's own launch type, else the file's, else EC2. */
function readLaunchType(service: RawService, raw: RawEnvironment): LaunchType {
  return service['launch-type'] ?? raw['launch-type'] ?? 'EC2';
}

function checkNetworking(service: RawService, index: number, raw: RawEnvironment, problems: string[]): void {
  const at = `services[${index}]`;
  const launchType = readLaunchType(service, raw);
  const networkMode = service['network-mode'] ?? (launchType === 'FARGATE' ? 'awsvpc' : 'bridge');
  if (launchType === 'FARGATE' && networkMode !== 'awsvpc') {
    problems.push(`${at}.network-mode: FARGATE needs awsvpc; remove network-mode or set it to awsvpc`);
  }
  if (launchType === 'FARGATE' && service.placement?.constraints?.length) {
    problems.push(`${at}.placement.constraints: FARGATE does not take placement constraints; remove them`);
  }
  if (networkMode === 'awsvpc' && !raw.subnets?.length) {
    problems.push(
      `subnets: is required because ${at} (${service.name}) uses awsvpc networking; list the subnets its tasks run in`,
    );
  }
  if (launchType === 'FARGATE' && raw['execution-role-arn'] === undefined) {
    problems.push(
      `execution-role-arn: is required because ${at} (${service.name}) runs on FARGATE (image pulls and logs need it)`,
    );
  }
  if (networkMode === 'host' && service.paths?.length) {
    problems.push(
      `${at}.network-mode: host networking cannot share a port between previews; use bridge or awsvpc for routed services`,
    );
  }
}

function checkRouting(service: RawService, index: number, problems: string[]): void {
  const at = `services[${index}]`;
  if (service.paths?.length && service.port === undefined) {
    problems.push(`${at}.port: is required because the service has paths; set the port the container listens on`);
  }
  if (service['health-check-path'] !== undefined && !service.paths?.length) {
    problems.push(
      `${at}.health-check-path: only routed services (with paths) are health-checked by the load balancer; add paths or remove it`,
    );
  }
}

function checkVariables(service: RawService, index: number, raw: RawEnvironment, problems: string[]): void {
  const names = [...Object.keys(service.environment ?? {}), ...Object.keys(service.secrets ?? {})];
  for (const reserved of RESERVED_ENVIRONMENT_NAMES) {
    if (names.includes(reserved)) {
      problems.push(
        `services[${index}].${reserved in (service.secrets ?? {}) ? 'secrets' : 'environment'}.${reserved}: is set by preview-actions for every service; remove it`,
      );
    }
  }
  for (const name of Object.keys(service.secrets ?? {})) {
    if (name in (service.environment ?? {})) {
      problems.push(`services[${index}].secrets.${name}: is also in environment; keep one of them`);
    }
  }
  if (Object.keys(service.secrets ?? {}).length && raw['execution-role-arn'] === undefined) {
    problems.push(
      `execution-role-arn: is required because services[${index}] (${service.name}) has secrets; ECS reads them with that role`,
    );
  }
}

function checkAcrossServices(services: RawService[], problems: string[]): void {
  const names = new Map<string, number>();
  const paths = new Map<string, number>();
  services.forEach((service, index) => {
    const first = names.get(service.name);
    if (first !== undefined)
      problems.push(
        `services[${index}].name: ${quoteValue(service.name)} is already used by services[${first}]; give each service its own name`,
      );
    else names.set(service.name, index);
    for (const path of service.paths ?? []) {
      const owner = paths.get(path);
      if (owner !== undefined && owner !== index) {
        problems.push(
          `services[${index}].paths: ${quoteValue(path)} is already routed to services[${owner}]; route each path to one service`,
        );
      } else paths.set(path, index);
    }
  });
}

function toStringMap(map: Record<string, string | number | boolean> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(map ?? {}).map(([k, v]) => [k, String(v)]));
}

function normalizeService(raw: RawService, file: RawEnvironment): PreviewServiceConfig {
  const launchType = readLaunchType(raw, file);
  const paths = raw.paths ?? [];
  const service: PreviewServiceConfig = {
    name: raw.name,
    image: raw.image ?? DEFAULT_IMAGE,
    paths,
    cpu: raw.cpu ?? 256,
    memory: raw.memory ?? 512,
    desiredCount: raw['desired-count'] ?? 1,
    environment: toStringMap(raw.environment),
    secrets: { ...raw.secrets },
    placementConstraints: raw.placement?.constraints ?? [],
    placementStrategy: raw.placement?.strategy ?? [],
    launchType,
    networkMode: raw['network-mode'] ?? (launchType === 'FARGATE' ? 'awsvpc' : 'bridge'),
  };
  if (raw.command) service.command = raw.command;
  if (raw.port !== undefined) service.port = raw.port;
  if (paths.length) service.healthCheckPath = raw['health-check-path'] ?? '/';
  if (raw['health-check-command'] !== undefined) service.healthCheckCommand = raw['health-check-command'];
  return service;
}

function normalizeEnvironment(
  raw: RawEnvironment,
  priorityRange: { min: number; max: number },
): PreviewEnvironmentConfig {
  const config: PreviewEnvironmentConfig = {
    domain: raw.domain.toLowerCase(),
    cluster: raw.cluster,
    listenerArn: raw['listener-arn'],
    vpcId: raw['vpc-id'],
    priorityRange,
    subnets: raw.subnets ?? [],
    securityGroups: raw['security-groups'] ?? [],
    services: raw.services.map((service) => normalizeService(service, raw)),
  };
  if (raw['name-prefix'] !== undefined) config.namePrefix = raw['name-prefix'];
  if (raw['ttl-hours'] !== undefined) config.ttlHours = raw['ttl-hours'];
  if (raw['image-repository'] !== undefined) config.imageRepository = raw['image-repository'];
  if (raw['task-definition-template'] !== undefined) config.taskDefinitionTemplate = raw['task-definition-template'];
  if (raw['execution-role-arn'] !== undefined) config.executionRoleArn = raw['execution-role-arn'];
  if (raw['task-role-arn'] !== undefined) config.taskRoleArn = raw['task-role-arn'];
  return config;
}

/**
 * Parses and validates a preview environment file (YAML) and fills in defaults. Nothing here
 * touches AWS, so a broken file fails before anything is created.
 * @param source how the file is named in messages, e.g. `.github/preview.yml`.
 * @throws EnvironmentFileError (a ConfigurationError) listing every problem as `field: how to fix`.
 */
export function parseEnvironmentFile(text: string, source: string): PreviewEnvironmentConfig {
  if (Buffer.byteLength(text, 'utf8') > MAX_FILE_BYTES) {
    throw new EnvironmentFileError(source, [
      `the file is larger than ${MAX_FILE_BYTES / 1024} KiB; keep only the environment settings in it`,
    ]);
  }
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length) {
    throw new EnvironmentFileError(
      source,
      document.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`),
    );
  }
  const data: unknown = document.toJS({ maxAliasCount: 50 });
  const validate = readValidator();
  if (!validate(data)) throw new EnvironmentFileError(source, formatSchemaErrors(validate.errors ?? []));
  const raw = data as RawEnvironment;
  const problems: string[] = [];
  const priorityRange = parsePriorityRange(raw['priority-range'], problems);
  raw.services.forEach((service, index) => {
    checkImage(service, index, raw, problems);
    checkNetworking(service, index, raw, problems);
    checkRouting(service, index, problems);
    checkVariables(service, index, raw, problems);
  });
  checkAcrossServices(raw.services, problems);
  if (problems.length) throw new EnvironmentFileError(source, [...new Set(problems)]);
  return normalizeEnvironment(raw, priorityRange);
}
