import { expect } from '@jest/globals';
import { readPreview, type PrScenario } from './workflow-pr-scenario.js';

// Apart from workflow-pr-scenario.ts because it asserts with Jest's expect, which `pnpm demo` (outside Jest) cannot
// load; the demo imports the scenario module.

/**
 * Asserts the scenario's preview is gone: no service, listener rule, target group, DNS record, log stream or Redis
 * key, and every Deployment of it inactive.
 */
export async function expectPreviewGone(scenario: PrScenario): Promise<void> {
  const preview = await readPreview(scenario);
  expect({ ...preview, deployments: undefined, comments: undefined }).toEqual({
    services: [],
    rules: 0,
    targetGroups: [],
    records: [],
    logStreams: [],
    redisKeys: [],
    deployments: undefined,
    comments: undefined,
  });
  for (const deployment of preview.deployments) expect(deployment.states.at(-1)).toBe('inactive');
}
