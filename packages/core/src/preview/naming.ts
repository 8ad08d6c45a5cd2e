import { ConfigurationError } from '../action/errors.js';

/**
 * The one place preview names are built and read. Every name of a preview starts with its environment name,
 * `pr-{N}`, or `{prefix}-pr-{N}` when the environment file sets `name-prefix`, so repositories sharing a
 * cluster, a load balancer, a log group and a Redis never meet: services and task-definition families
 * `…-{service}`, the host `….{domain}`, log streams `…/{service}/{task}`, Redis keys `…:…`.
 */

/** A name prefix: lower-case letters, digits and inner hyphens, at most 12, starting with a letter. */
export const NAME_PREFIX = /^[a-z](?:[a-z0-9-]{0,10}[a-z0-9])?$/;

function checkPr(pr: number): void {
  if (!Number.isSafeInteger(pr) || pr < 1)
    throw new ConfigurationError(`Pull request number ${pr} must be a positive whole number`);
}

function checkPrefix(prefix: string): void {
  if (prefix !== '' && !NAME_PREFIX.test(prefix))
    throw new ConfigurationError(
      `name-prefix ${JSON.stringify(prefix)} must be 1-12 lower-case letters, digits or inner hyphens, starting with a letter, e.g. shop`,
    );
}

/** `pr-{N}` or `{prefix}-pr-{N}`: a preview's environment name, log stream prefix and Redis key prefix. */
export function createEnvironmentName(pr: number, prefix = ''): string {
  checkPr(pr);
  checkPrefix(prefix);
  return `${prefix ? `${prefix}-` : ''}pr-${pr}`;
}

/** `{environment}-{service}`: the ECS service and task-definition family of one service of a preview. */
export function createServiceName(pr: number, service: string, prefix = ''): string {
  return `${createEnvironmentName(pr, prefix)}-${service}`;
}

/** `{environment}.{domain}`: the host a preview is served on. */
export function createPreviewHost(pr: number, domain: string, prefix = ''): string {
  return `${createEnvironmentName(pr, prefix)}.${domain.toLowerCase().replace(/\.$/, '')}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Matches the start of every name of the prefix's previews; group 1 is the PR number. */
function previewStart(prefix: string): string {
  checkPrefix(prefix);
  return `^${prefix ? `${escapeRegExp(prefix)}-` : ''}pr-([1-9]\\d{0,9})`;
}

/**
 * The PR number of a service, target-group or task-definition family name `{environment}-…` of this prefix's
 * previews; undefined for anything else (another prefix's names included).
 */
export function readPreviewNumber(name: string, prefix = ''): number | undefined {
  const match = new RegExp(`${previewStart(prefix)}-`).exec(name);
  return match ? Number(match[1]) : undefined;
}

/** The PR number of a log stream `{environment}/{container}/{task}` of this prefix's previews. */
export function readLogStreamPreviewNumber(stream: string, prefix = ''): number | undefined {
  const match = new RegExp(`${previewStart(prefix)}/`).exec(stream);
  return match ? Number(match[1]) : undefined;
}

/** The service part of a service name of this prefix's previews (`pr-12-api` → `api`), or the name itself. */
export function readPreviewServiceSuffix(name: string, prefix = ''): string {
  return name.replace(new RegExp(`${previewStart(prefix)}-`), '');
}

/**
 * Whether a Redis key is in the environment's namespace: the environment name itself, or it followed by a
 * non-digit (`pr-12:` and `pr-12-celery` are PR 12's; `pr-123:` is not).
 */
export function isEnvironmentRedisKey(key: string, pr: number, prefix = ''): boolean {
  return new RegExp(`^${escapeRegExp(createEnvironmentName(pr, prefix))}(?:\\D|$)`).test(key);
}
