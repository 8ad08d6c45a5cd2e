#!/usr/bin/env bash
# scripts/move-major-tags.sh <vX.Y.Z> [--main <ref>] [--remote <name>] [--dry-run]
#
# Points the moving tags vX and vX.Y at the commit of the final release vX.Y.Z, so `uses: …@v1` and `@v1.4`
# follow releases. Refuses (exit 1, one line) when:
#   - the release commit is not on the default branch (<ref>, default origin/main): a tag on a side branch or a
#     fork's commit never becomes what every consumer runs;
#   - a moving tag would go backwards or sideways: it points at a commit the release commit does not descend from.
# A moving tag that belongs to a later release stays where it is (v1 at v1.5.0 when v1.4.2 is published moves
# only v1.4), and says so.
# A pre-release (vX.Y.Z-rc.N) moves nothing. Pushes with a lease on each tag's old commit, so two releases racing
# cannot overwrite each other. --dry-run prints what it would do and pushes nothing.
set -euo pipefail

tag=""
main_ref="origin/main"
remote="origin"
dry_run=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --main) main_ref="$2"; shift 2 ;;
    --remote) remote="$2"; shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    -*) echo "move-major-tags: unknown option $1" >&2; exit 2 ;;
    *) tag="$1"; shift ;;
  esac
done

fail() { echo "move-major-tags: $*" >&2; exit 1; }

[[ -n "$tag" ]] || fail "usage: move-major-tags.sh <vX.Y.Z> [--main <ref>] [--remote <name>] [--dry-run]"
if [[ ! "$tag" =~ ^v([0-9]+)\.([0-9]+)\.([0-9]+)$ ]]; then
  if [[ "$tag" =~ ^v[0-9]+\.[0-9]+\.[0-9]+-[0-9A-Za-z.-]+$ ]]; then
    echo "move-major-tags: $tag is a pre-release; v-tags stay where they are"
    exit 0
  fi
  fail "'$tag' is not a release tag like v1.2.3"
fi
major="v${BASH_REMATCH[1]}"
minor="v${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"

commit=$(git rev-parse --verify --quiet "refs/tags/$tag^{commit}") || fail "tag $tag does not exist"
git rev-parse --verify --quiet "$main_ref^{commit}" >/dev/null || fail "the default branch $main_ref is not known here (fetch it first)"
git merge-base --is-ancestor "$commit" "$main_ref" ||
  fail "$tag ($commit) is not on $main_ref; release only commits of the default branch"

# The highest final release under a moving tag: vX.*.* for vX, vX.Y.* for vX.Y.
highest() {
  git tag --list 'v*' | grep -E '^v[0-9]+\.[0-9]+\.[0-9]+$' | grep -E "^${1//./\\.}\." |
    sort -V | tail -n 1
}

moves=()
for moving in "$major" "$minor"; do
  latest=$(highest "$moving")
  if [[ "$latest" != "$tag" ]]; then
    echo "move-major-tags: $moving stays: $latest is a later release than $tag"
    continue
  fi
  # The tag's own object (an annotated tag's id differs from its commit's): what the push's lease compares.
  old_object=$(git rev-parse --verify --quiet "refs/tags/$moving" || true)
  if [[ -n "$old_object" ]]; then
    old=$(git rev-parse "refs/tags/$moving^{commit}")
    if [[ "$old" == "$commit" ]]; then
      echo "move-major-tags: $moving is already at $tag ($commit)"
      continue
    fi
    git merge-base --is-ancestor "$old" "$commit" ||
      fail "$moving would move backwards or sideways: its commit $old is not an ancestor of $tag ($commit)"
  fi
  moves+=("$moving:$old_object")
done

for move in ${moves[@]+"${moves[@]}"}; do
  moving="${move%%:*}"
  old_object="${move#*:}"
  echo "move-major-tags: $moving -> $tag ($commit)"
  $dry_run && continue
  git tag --force --annotate "$moving" --message "$moving: latest is $tag" "$commit" >/dev/null
  git push --quiet --force-with-lease="refs/tags/$moving:$old_object" "$remote" "refs/tags/$moving:refs/tags/$moving"
done
