import { ConfigurationError } from '../action/errors.js';

function checkPr(pr: number): void {
  if (!Number.isSafeInteger(pr) || pr < 1)
    throw new ConfigurationError(`Pull request number ${pr} must be a positive whole number`);
}

/** `pr-{N}`: the name of a pull request's preview environment and its log stream prefix. */
export function createEnvironmentName(pr: number): string {
  checkPr(pr);
  return `pr-${pr}`;
}

/** `pr-{N}-{service}`: the ECS service and task-definition family of one service of a preview. */
export function createServiceName(pr: number, service: string): string {
  return `${createEnvironmentName(pr)}-${service}`;
}

/** `pr-{N}.{domain}`: the host a preview is served on. */
export function createPreviewHost(pr: number, domain: string): string {
  return `${createEnvironmentName(pr)}.${domain.toLowerCase().replace(/\.$/, '')}`;
}
