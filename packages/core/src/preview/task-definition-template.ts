import { ConfigurationError } from '../action/errors.js';
import { listPlaceholders } from './substitute-placeholders.js';

/** A base task definition from the consumer repository, placeholders not yet filled in. */
export type TaskDefinitionTemplate = Record<string, unknown>;

/** Placeholders a template may use; `ECR_REPO` is an alias of `IMAGE_REPOSITORY`. */
export const TEMPLATE_PLACEHOLDERS = [
  'PR_NUMBER',
  'SERVICE',
  'IMAGE',
  'ENVIRONMENT',
  'AWS_REGION',
  'IMAGE_REPOSITORY',
  'ECR_REPO',
] as const;

/** Fields of DescribeTaskDefinition output that RegisterTaskDefinition refuses; pasted templates often carry them. */
const READ_ONLY_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'deleteRequested',
] as const;

const KNOWN = new Set<string>(TEMPLATE_PLACEHOLDERS);

/**
 * Parses a task-definition template (JSON, or a DescribeTaskDefinition output with its
 * `taskDefinition` wrapper) and checks its placeholders, so a typo fails before any AWS call.
 * @throws ConfigurationError saying what to fix in the template file.
 */
export function parseTaskDefinitionTemplate(text: string, source: string): TaskDefinitionTemplate {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(
      `${source} is not valid JSON (${(error as Error).message}); JSON allows no comments or trailing commas`,
    );
  }
  if (data !== null && typeof data === 'object' && !Array.isArray(data) && 'taskDefinition' in data) {
    data = (data as { taskDefinition: unknown }).taskDefinition;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigurationError(`${source} must hold one JSON object shaped like RegisterTaskDefinition input`);
  }
  const template = { ...(data as Record<string, unknown>) };
  for (const field of READ_ONLY_FIELDS) delete template[field];
  const containers = template.containerDefinitions;
  if (
    containers !== undefined &&
    (!Array.isArray(containers) || containers.some((c) => c === null || typeof c !== 'object'))
  ) {
    throw new ConfigurationError(`${source}: containerDefinitions must be a list of objects`);
  }
  const unknown = listPlaceholders(template).filter((p) => !KNOWN.has(p.name));
  if (unknown.length) {
    const where = unknown.map((p) => `\${${p.name}} at ${p.at}`).join(', ');
    throw new ConfigurationError(
      `${source} uses unknown placeholders ${where}; use ${TEMPLATE_PLACEHOLDERS.map((n) => `\${${n}}`).join(', ')}`,
    );
  }
  return template;
}
