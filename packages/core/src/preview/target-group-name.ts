import { createHash } from 'node:crypto';
import { createServiceName } from './naming.js';

/** ELBv2's limit on target-group names. */
export const TARGET_GROUP_NAME_LIMIT = 32;
const HASH_LENGTH = 6;
const VALID = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

/**
 * Fits any name to ELBv2's target-group rules: at most 32 of [A-Za-z0-9-], no hyphen at either end.
 * A name that already fits is kept; any other is cut and suffixed with `-` and the first 6 hex of the
 * sha256 of the whole original, so the result is stable across runs and two different long names
 * still differ.
 */
export function fitTargetGroupName(name: string): string {
  if (name.length <= TARGET_GROUP_NAME_LIMIT && VALID.test(name) && !name.startsWith('internal-')) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, HASH_LENGTH);
  const room = TARGET_GROUP_NAME_LIMIT - HASH_LENGTH - 1;
  const stem = name
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/^internal-/, 'int-')
    .slice(0, room)
    .replace(/^-+|-+$/g, '');
  return stem ? `${stem}-${hash}` : `tg-${hash}`;
}

/** The target-group name of a routed preview service: its service name, fitted to 32 characters. */
export function createTargetGroupName(pr: number, service: string, prefix = ''): string {
  return fitTargetGroupName(createServiceName(pr, service, prefix));
}
