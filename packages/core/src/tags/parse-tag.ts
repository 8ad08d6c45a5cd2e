import { ConfigurationError } from '../action/errors.js';
import { quoteValue } from '../action/quote.js';

/** What a version tag means for a release. */
export type TagKind = 'release' | 'rc' | 'snapshot';

/** A parsed version tag. `pre` is the rc or snapshot number, null for a release. */
export interface VersionTag {
  kind: TagKind;
  prefix: string;
  major: number;
  minor: number;
  patch: number;
  pre: number | null;
  /** How the snapshot separator was written, so a tag can be formatted back as given. */
  snapshotSeparator?: '-' | '.';
}

/** Tags longer than this are refused before any pattern runs. */
export const MAX_TAG_LENGTH = 128;

const NUMBER = '(0|[1-9][0-9]{0,14})';
// Each alternative is anchored and unambiguous, so matching is linear in the tag length.
const BODY = new RegExp(
  `^${NUMBER}\\.${NUMBER}\\.${NUMBER}(?:(-rc\\.|-RC\\.|-rc|-RC)${NUMBER}|([-.])snap\\.${NUMBER})?$`,
);

/** Refuses a prefix that could not stand at the start of a git tag. */
export function validatePrefix(prefix: string): void {
  if (!/^[A-Za-z0-9._/-]{0,32}$/.test(prefix)) {
    throw new ConfigurationError(
      `Input 'prefix' is ${quoteValue(prefix)}: use up to 32 letters, digits, '.', '_', '/' or '-' (default 'v')`,
    );
  }
}

/** Parses a tag, or returns null when it is not one of the accepted forms. */
export function tryParseTag(tag: string, prefix = 'v'): VersionTag | null {
  if (tag.length > MAX_TAG_LENGTH || !tag.startsWith(prefix)) return null;
  const m = BODY.exec(tag.slice(prefix.length));
  if (!m) return null;
  const [, major, minor, patch, rcMark, rc, snapSep, snap] = m;
  const base = { prefix, major: Number(major), minor: Number(minor), patch: Number(patch) };
  if (rcMark !== undefined) return { ...base, kind: 'rc', pre: Number(rc) };
  if (snapSep !== undefined) {
    return { ...base, kind: 'snapshot', pre: Number(snap), snapshotSeparator: snapSep as '-' | '.' };
  }
  return { ...base, kind: 'release', pre: null };
}

/**
 * Parses a version tag: `vX.Y.Z`, `vX.Y.Z-rc.N` (also `-RC.N`, `-rcN`, `-RCN`),
 * `vX.Y.Z.snap.N` or `vX.Y.Z-snap.N`; numbers have no leading zeros.
 * @throws ConfigurationError naming the tag (escaped, cut to 80 characters) and the forms accepted.
 */
export function parseTag(tag: string, prefix = 'v'): VersionTag {
  if (tag === '') {
    throw new ConfigurationError(`The tag is empty: run on a tag push, or set the 'tag' input to e.g. ${prefix}1.2.3`);
  }
  const parsed = tryParseTag(tag, prefix);
  if (!parsed) {
    throw new ConfigurationError(
      `Unsupported tag format: ${quoteValue(tag)}. Expected ${prefix}X.Y.Z or ${prefix}X.Y.Z-rc.N (numbers without leading zeros)`,
    );
  }
  return parsed;
}

/** The version without prefix, normalized: `1.2.3`, `1.2.3-rc.4`, `1.2.3-snap.5`. */
export function formatVersion(tag: VersionTag): string {
  const core = `${tag.major}.${tag.minor}.${tag.patch}`;
  if (tag.kind === 'rc') return `${core}-rc.${tag.pre}`;
  if (tag.kind === 'snapshot') return `${core}-snap.${tag.pre}`;
  return core;
}

/** The tag as it would be written canonically: rc as `-rc.N`, snapshots with their own separator. */
export function formatTag(tag: VersionTag): string {
  if (tag.kind === 'snapshot' && tag.snapshotSeparator === '.') {
    return `${tag.prefix}${tag.major}.${tag.minor}.${tag.patch}.snap.${tag.pre}`;
  }
  return `${tag.prefix}${formatVersion(tag)}`;
}

/** The release this tag belongs to, e.g. `v1.2.3` for `v1.2.3-rc.4`. */
export function formatBase(tag: VersionTag): string {
  return `${tag.prefix}${tag.major}.${tag.minor}.${tag.patch}`;
}
