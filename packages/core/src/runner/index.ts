import * as core from '@actions/core';
import { systemClock } from '../action/clock.js';
import type { ActionContext, Octokit } from '../action/context.js';
import { readRunContext } from '../action/event.js';
import type { ActionIO } from '../action/io.js';
import { createLogger } from '../action/logger.js';
import { retryGitHubRequests } from './retry-github-requests.js';

/** The {@link ActionIO} of a real runner, over @actions/core. */
export function createRunnerIO(): ActionIO {
  return {
    getInput: (name) => core.getInput(name, { trimWhitespace: false }),
    setOutput: (name, value) => core.setOutput(name, value),
    setSecret: (value) => {
      if (value) core.setSecret(value);
    },
    appendSummary: async (markdown) => {
      if (!process.env.GITHUB_STEP_SUMMARY) return;
      await core.summary.addRaw(markdown, true).write();
    },
    debug: (m) => core.debug(m),
    info: (m) => core.info(m),
    warning: (m) => core.warning(m),
    error: (m) => core.error(m),
    isDebug: () => core.isDebug(),
    startGroup: (name) => core.startGroup(name),
    endGroup: () => core.endGroup(),
    saveState: (name, value) => core.saveState(name, value),
    getState: (name) => core.getState(name),
  };
}

/**
 * Creates Octokit clients that honour GITHUB_API_URL and retry what is safe to retry: 5xx, 429 and resets on
 * reads and idempotent writes (twice, after 1 s then 4 s), rate limits after GitHub's retry-after, never a REST
 * POST whose answer was lost ({@link retryGitHubRequests}).
 */
export function createOctokitFactory(env: NodeJS.ProcessEnv): (token: string) => Promise<Octokit> {
  return async (token) => {
    if (!token) throw new Error('No GitHub token: pass github-token (default ${{ github.token }})');
    const [{ getOctokit }, { retry }] = await Promise.all([import('@actions/github'), import('@octokit/plugin-retry')]);
    return getOctokit(
      token,
      { baseUrl: env.GITHUB_API_URL || 'https://api.github.com', retry: { retries: 2 } },
      retryGitHubRequests as never,
      retry,
    );
  };
}

/** Builds the real context once, in an action's entrypoint; `services` adds outside clients. */
export function createActionContext<S extends object = object>(
  services?: (env: NodeJS.ProcessEnv) => S,
): ActionContext<S> {
  const env = process.env;
  const io = createRunnerIO();
  const base = {
    io,
    log: createLogger(io),
    clock: systemClock,
    env,
    run: readRunContext(env),
    github: createOctokitFactory(env),
  };
  return { ...base, ...(services ? services(env) : ({} as S)) };
}
