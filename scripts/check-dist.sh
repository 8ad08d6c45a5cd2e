#!/usr/bin/env bash
# Rebuilds every action and fails when the committed dist/ differs from what the sources produce.
set -euo pipefail
cd "$(dirname "$0")/.."
pnpm run --silent build >/dev/null
stale=$(git status --porcelain --untracked-files=all | grep -E '^.. actions/[^/]+/dist/' || true)
if [ -n "$stale" ]; then
  echo "check-dist: the committed dist/ is stale; run 'pnpm build' and commit actions/*/dist:" >&2
  echo "$stale" >&2
  exit 1
fi
echo "check-dist: every actions/*/dist matches its sources"
