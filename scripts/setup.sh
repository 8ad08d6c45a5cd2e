#!/usr/bin/env bash
# Installs what the repository needs on a fresh machine: pnpm, then the locked dependencies.
# The sandbox installs its own Debian packages when it first starts (pnpm sandbox up).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v pnpm >/dev/null 2>&1; then
  echo "setup: installing pnpm with npm (corepack's signature check fails on this kind of machine)"
  npm install --global --silent pnpm@12 >/dev/null
fi
pnpm install --frozen-lockfile --reporter=silent
echo "setup: dependencies installed (pnpm $(pnpm --version), node $(node --version))"
