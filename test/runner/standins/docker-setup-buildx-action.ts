/**
 * Stands in for docker/setup-buildx-action (v3): a no-op that answers as a freshly created builder would.
 * The build itself is docker/build-push-action's stand-in's, with buildah; nothing here runs.
 *
 * Inputs (the real action.yml's names): name, driver, platforms (as reported). Every other input is refused.
 * Outputs: name, driver, platforms, nodes, endpoint, status, flags.
 */
import type { Standin } from '../standin-api.js';
import { refuseUnimplementedInputs } from './standin-result.js';

const IMPLEMENTED = ['name', 'driver', 'platforms'] as const;

/** See the header. */
export const setupBuildx: Standin = async (step) => {
  const refused = refuseUnimplementedInputs(step, 'docker/setup-buildx-action', IMPLEMENTED);
  if (refused) return refused;
  const name = step.inputs.name || `builder-${step.job.runId}-${step.job.jobId}`;
  const driver = step.inputs.driver || 'docker-container';
  const platforms = step.inputs.platforms || 'linux/amd64';
  const endpoint = `buildx_buildkit_${name}0`;
  step.log(`stand-in: builder ${name} (${driver}) reported; builds run with buildah`);
  return {
    outcome: 'success',
    outputs: {
      name,
      driver,
      platforms,
      nodes: JSON.stringify([{ name: `${name}0`, endpoint, status: 'running', 'buildkitd-flags': '', platforms }]),
      endpoint,
      status: 'running',
      flags: '',
    },
  };
};
