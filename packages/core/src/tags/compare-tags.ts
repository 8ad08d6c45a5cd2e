import type { VersionTag } from './parse-tag.js';

// SemVer precedence of our prerelease identifiers: "rc" sorts before "snap" (ASCII),
// and any prerelease sorts before the release itself.
const KIND_RANK = { rc: 0, snapshot: 1, release: 2 } as const;

/** Orders two tags by SemVer precedence; rc.10 comes after rc.9. */
export function compareTags(a: VersionTag, b: VersionTag): number {
  return (
    a.major - b.major ||
    a.minor - b.minor ||
    a.patch - b.patch ||
    KIND_RANK[a.kind] - KIND_RANK[b.kind] ||
    (a.pre ?? 0) - (b.pre ?? 0)
  );
}

/** True when both tags share major, minor and patch. */
export function hasSameBase(a: VersionTag, b: VersionTag): boolean {
  return a.major === b.major && a.minor === b.minor && a.patch === b.patch;
}
