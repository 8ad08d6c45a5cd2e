/**
 * Tag keys that mark a resource as made by preview-actions. Every adapter (ECS, ELBv2, DNS)
 * writes the same facts, so discovery and sweeping can trust one vocabulary.
 */
export const OWNERSHIP_TAG_KEYS = {
  managed: 'preview-actions:managed',
  repo: 'preview-actions:repo',
  pr: 'preview-actions:pr',
  service: 'preview-actions:service',
  deployedAt: 'preview-actions:deployed-at',
  expiresAt: 'preview-actions:expires-at',
  ttlHours: 'preview-actions:ttl-hours',
  hibernatedAt: 'preview-actions:hibernated-at',
} as const;

/** What the ownership tags say about a resource. */
export interface OwnershipFacts {
  /** `owner/name` of the repository whose pull request made the resource. */
  repo: string;
  pr: number;
  service?: string;
  deployedAt?: Date;
  expiresAt?: Date;
  /**
   * The environment file's ttl-hours at the last deploy. Set, expires-at is a real expiry (hibernated once it
   * passes, whatever the activity); unset, expires-at only keeps an idle environment (`/extend`).
   */
  ttlHours?: number;
  hibernatedAt?: Date;
}

/** Who a caller is looking for: one repository, optionally one pull request of it. */
export interface OwnerFilter {
  repo: string;
  pr?: number;
}

/** Renders ownership facts as a plain key/value map; adapters convert it to their own tag shape. */
export function createOwnershipTags(facts: OwnershipFacts): Record<string, string> {
  const tags: Record<string, string> = {
    [OWNERSHIP_TAG_KEYS.managed]: 'true',
    [OWNERSHIP_TAG_KEYS.repo]: facts.repo,
    [OWNERSHIP_TAG_KEYS.pr]: String(facts.pr),
  };
  if (facts.service !== undefined) tags[OWNERSHIP_TAG_KEYS.service] = facts.service;
  if (facts.deployedAt) tags[OWNERSHIP_TAG_KEYS.deployedAt] = facts.deployedAt.toISOString();
  if (facts.expiresAt) tags[OWNERSHIP_TAG_KEYS.expiresAt] = facts.expiresAt.toISOString();
  if (facts.ttlHours !== undefined) tags[OWNERSHIP_TAG_KEYS.ttlHours] = String(facts.ttlHours);
  if (facts.hibernatedAt) tags[OWNERSHIP_TAG_KEYS.hibernatedAt] = facts.hibernatedAt.toISOString();
  return tags;
}

function parseDate(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * Reads ownership facts back from tags. Returns undefined unless the resource is marked
 * managed and names a repository and a positive whole PR number, so a hand-made resource
 * with a stray tag is never mistaken for ours. Unreadable dates are left out.
 */
export function readOwnershipTags(tags: Readonly<Record<string, string>>): OwnershipFacts | undefined {
  if (tags[OWNERSHIP_TAG_KEYS.managed] !== 'true') return undefined;
  const repo = tags[OWNERSHIP_TAG_KEYS.repo];
  const prText = tags[OWNERSHIP_TAG_KEYS.pr];
  if (!repo || !prText || !/^[1-9]\d*$/.test(prText)) return undefined;
  const facts: OwnershipFacts = { repo, pr: Number(prText) };
  const service = tags[OWNERSHIP_TAG_KEYS.service];
  if (service !== undefined) facts.service = service;
  const deployedAt = parseDate(tags[OWNERSHIP_TAG_KEYS.deployedAt]);
  if (deployedAt) facts.deployedAt = deployedAt;
  const expiresAt = parseDate(tags[OWNERSHIP_TAG_KEYS.expiresAt]);
  if (expiresAt) facts.expiresAt = expiresAt;
  const ttl = tags[OWNERSHIP_TAG_KEYS.ttlHours];
  if (ttl !== undefined && /^[1-9]\d{0,4}$/.test(ttl)) facts.ttlHours = Number(ttl);
  const hibernatedAt = parseDate(tags[OWNERSHIP_TAG_KEYS.hibernatedAt]);
  if (hibernatedAt) facts.hibernatedAt = hibernatedAt;
  return facts;
}

/** True when the tags mark the resource as ours for this repository (and PR, when given). GitHub names are case-insensitive. */
export function isOwnedBy(tags: Readonly<Record<string, string>>, owner: OwnerFilter): boolean {
  const facts = readOwnershipTags(tags);
  if (!facts) return false;
  if (facts.repo.toLowerCase() !== owner.repo.toLowerCase()) return false;
  return owner.pr === undefined || facts.pr === owner.pr;
}
