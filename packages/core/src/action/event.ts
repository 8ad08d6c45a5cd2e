import { readFileSync } from 'node:fs';

/** What the runner tells an action about the run that started it. */
export interface RunContext {
  eventName: string;
  payload: Record<string, unknown>;
  repo: { owner: string; repo: string };
  sha: string;
  ref: string;
  actor: string;
  runId: string;
  runAttempt: string;
  serverUrl: string;
  apiUrl: string;
  graphqlUrl: string;
}

/** Reads the run context from the runner's environment variables and event file. */
export function readRunContext(env: NodeJS.ProcessEnv): RunContext {
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/');
  let payload: Record<string, unknown> = {};
  const eventPath = env.GITHUB_EVENT_PATH;
  if (eventPath) {
    try {
      payload = JSON.parse(readFileSync(eventPath, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new Error(`Could not read the event file ${eventPath}: ${(error as Error).message}`, { cause: error });
    }
  }
  const apiUrl = env.GITHUB_API_URL || 'https://api.github.com';
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    payload,
    repo: { owner, repo },
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    actor: env.GITHUB_ACTOR ?? '',
    runId: env.GITHUB_RUN_ID ?? '0',
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '1',
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    apiUrl,
    graphqlUrl: env.GITHUB_GRAPHQL_URL || `${apiUrl.replace(/\/$/, '')}/graphql`,
  };
}
