import { ConfigurationError } from '../action/errors.js';
import { quoteValue } from '../action/quote.js';
import { compareTags, hasSameBase } from './compare-tags.js';
import {
  formatBase,
  formatTag,
  formatVersion,
  parseTag,
  tryParseTag,
  type TagKind,
  type VersionTag,
} from './parse-tag.js';

/** A tag as the repository holds it, dereferenced to the commit it points at. */
export interface GitTag {
  name: string;
  /** The sha of the tag object for annotated tags, of the commit for lightweight ones. */
  objectSha: string;
  objectType: 'commit' | 'tag';
}

/** Where tags come from: the GitHub API in an action, a list in tests. */
export interface TagSource {
  /** Every tag whose name starts with `prefix`. */
  listTags(prefix: string): Promise<GitTag[]>;
  /** The commit an annotated tag object points at. */
  resolveTagObject(sha: string): Promise<string>;
}

export interface ClassifyTagRequest {
  tag: string;
  prefix: string;
  envTags: ReadonlyMap<string, string>;
  requireRc: boolean;
  requireSameCommit: boolean;
}

export interface TagClassification {
  kind: TagKind;
  tag: string;
  version: string;
  base: string;
  major: number;
  minor: number;
  patch: number;
  rc: number | null;
  envTag: string;
  latestRc: string;
  latestRcSha: string;
}

/** The keys of the `env-tags` map. */
export const ENV_TAG_KEYS = ['rc', 'release', 'snapshot'] as const;
const DOCKER_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Checks the environment-tag map: known kinds only, values that are valid image tags. */
export function validateEnvTags(envTags: ReadonlyMap<string, string>): void {
  for (const [kind, value] of envTags) {
    if (!DOCKER_TAG.test(value)) {
      throw new ConfigurationError(
        `Input 'env-tags' maps ${kind} to ${quoteValue(value)}, which is not a valid image tag: use letters, digits, '_', '.' or '-'`,
      );
    }
  }
}

async function dereference(source: TagSource, tag: GitTag): Promise<string> {
  return tag.objectType === 'tag' ? source.resolveTagObject(tag.objectSha) : tag.objectSha;
}

/** Finds the newest release candidate of a release among the repository's tags. */
async function findLatestRc(parsed: VersionTag, source: TagSource) {
  const base = formatBase(parsed);
  const tags = await source.listTags(base);
  let latest: { tag: GitTag; parsed: VersionTag } | undefined;
  let self: GitTag | undefined;
  for (const tag of tags) {
    const candidate = tryParseTag(tag.name, parsed.prefix);
    if (!candidate || !hasSameBase(candidate, parsed)) continue;
    if (candidate.kind === 'release') self = tag;
    if (candidate.kind === 'rc' && (!latest || compareTags(candidate, latest.parsed) > 0)) {
      latest = { tag, parsed: candidate };
    }
  }
  return { latest, self };
}

/**
 * Decides what a pushed tag means. For a release it also
 * finds the newest RC of the same version, which the release promotes.
 * @throws ConfigurationError for an unsupported tag or an unmet RC requirement.
 */
export async function classifyTag(request: ClassifyTagRequest, source: TagSource): Promise<TagClassification> {
  validateEnvTags(request.envTags);
  const parsed = parseTag(request.tag, request.prefix);
  const result: TagClassification = {
    kind: parsed.kind,
    tag: formatTag(parsed),
    version: formatVersion(parsed),
    base: formatBase(parsed),
    major: parsed.major,
    minor: parsed.minor,
    patch: parsed.patch,
    rc: parsed.kind === 'rc' ? parsed.pre : null,
    envTag: request.envTags.get(parsed.kind) ?? '',
    latestRc: '',
    latestRcSha: '',
  };
  if (parsed.kind !== 'release') return result;

  const { latest, self } = await findLatestRc(parsed, source);
  if (!latest) {
    if (request.requireRc) {
      throw new ConfigurationError(
        `Release ${result.tag} has no release candidate: push ${result.base}-rc.1 first, or set require-rc: false`,
      );
    }
    return result;
  }
  result.latestRc = formatTag(latest.parsed);
  result.latestRcSha = await dereference(source, latest.tag);
  if (request.requireSameCommit) {
    if (!self) {
      throw new ConfigurationError(`Tag ${result.tag} does not exist in the repository: push it before classifying it`);
    }
    const releaseSha = await dereference(source, self);
    if (releaseSha !== result.latestRcSha) {
      throw new ConfigurationError(
        `Release ${result.tag} points at ${releaseSha.slice(0, 12)}, but its newest RC ${latest.tag.name} points at ${result.latestRcSha.slice(0, 12)}: tag the RC's commit, or set require-same-commit: false`,
      );
    }
  }
  return result;
}
