#!/usr/bin/env bash
# The test command: unit tests, then end-to-end tests against the local sandbox, which it
# starts (and stops again) when it is not already running.
set -euo pipefail
cd "$(dirname "$0")/.."
# The sandbox's seeding runs the AWS SDK on the machine's Node 20, where the SDK warns that it will need Node >= 22
# (the actions run on node24); test/setup/silence-sdk-node-warning.ts explains. Test processes only.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
started=""
if [ -f test/sandbox/cli.ts ] && ! pnpm --silent sandbox status --quiet >/dev/null 2>&1; then
  pnpm --silent sandbox up
  started=1
fi
cleanup() { if [ -n "$started" ]; then pnpm --silent sandbox down || true; fi; }
trap cleanup EXIT
# Every action run through the harness records the AWS and GitHub operations it made, for pnpm check-permissions;
# a full run starts from an empty record so calls the code no longer makes do not linger. It lives outside
# .sandbox, which `sandbox down` clears.
export PREVIEW_ACTIONS_RECORD_CALLS="${PREVIEW_ACTIONS_RECORD_CALLS:-.test-results/calls}"
# The workflow runner records which jobs and steps of each template ran (test/runner/coverage.ts), the same way.
export PREVIEW_ACTIONS_WORKFLOW_COVERAGE="${PREVIEW_ACTIONS_WORKFLOW_COVERAGE:-.test-results/workflow-coverage}"
if [ "$#" -eq 0 ]; then rm -rf "$PREVIEW_ACTIONS_RECORD_CALLS" "$PREVIEW_ACTIONS_WORKFLOW_COVERAGE"; fi
status=0
node --experimental-vm-modules node_modules/jest/bin/jest.js --maxWorkers=2 "$@" || status=$?
# After a full run: which jobs and steps of each shipped template the scenarios executed.
if [ "$#" -eq 0 ]; then npx tsx scripts/print-workflow-coverage.ts "$PREVIEW_ACTIONS_WORKFLOW_COVERAGE" || true; fi
exit "$status"
