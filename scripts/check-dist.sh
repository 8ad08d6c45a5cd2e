#!/usr/bin/env bash
# Rebuilds every action and fails when the committed dist/ differs from what the sources produce.
set -euo pipefail
cd "$(dirname "$0")/.."
# Without ncc's cache: a stale cache entry must not make a stale dist look current.
if ! node scripts/bundle-actions.mjs --no-cache >/dev/null; then
  echo "check-dist: rebuilding the actions failed (above), so dist/ could not be compared" >&2
  exit 1
fi
stale=$(git status --porcelain --untracked-files=all | grep -E '^.. actions/[^/]+/dist/' || true)
if [ -n "$stale" ]; then
  echo "check-dist: the committed dist/ is stale; run 'pnpm build' and commit actions/*/dist:" >&2
  echo "$stale" >&2
  exit 1
fi
echo "check-dist: every actions/*/dist matches its sources"
