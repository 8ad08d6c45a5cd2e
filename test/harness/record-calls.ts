import { appendFileSync, mkdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { startFaultProxy, type FaultProxyTarget } from '../sandbox/fault-proxy/server.js';
import { repoRoot } from './paths.js';

/** The test-process variable naming the folder where each action's calls are appended as JSON lines. */
export const RECORD_CALLS_VARIABLE = 'PREVIEW_ACTIONS_RECORD_CALLS';

/** One line of `<dir>/<action>.jsonl`: the operations one run of the action made, per backend. */
export interface RecordedRun {
  action: string;
  recordedAt: string;
  exitCode: number | null;
  /** `service:Operation`, e.g. `ecs:CreateService`. */
  aws: string[];
  /** REST route templates (`POST /repos/{owner}/{repo}/deployments`) and `POST /graphql`. */
  github: string[];
}

/** A recording in progress: the child's environment rewritten through the proxy, and how to finish. */
export interface CallRecording {
  env: Record<string, string>;
  /** Appends the run's operations to the action's file and stops the proxy. */
  finish(exitCode: number | null): Promise<void>;
  /** Stops the proxy without writing (the run never finished). */
  abandon(): Promise<void>;
}

const LOOPBACK = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/;

/**
 * When PREVIEW_ACTIONS_RECORD_CALLS is set, puts a private counting proxy between one action run and its AWS
 * and GitHub endpoints (loopback ones only) so the permission check can compare real calls with the documented
 * policies; answers undefined otherwise, leaving the run untouched.
 */
export async function startCallRecording(
  action: string,
  env: Record<string, string>,
  recordDir: string | undefined = process.env[RECORD_CALLS_VARIABLE],
): Promise<CallRecording | undefined> {
  if (!recordDir) return undefined;
  const targets: Record<string, FaultProxyTarget> = {};
  if (env.AWS_ENDPOINT_URL && LOOPBACK.test(env.AWS_ENDPOINT_URL))
    targets.aws = { kind: 'aws', url: env.AWS_ENDPOINT_URL };
  if (env.GITHUB_API_URL && LOOPBACK.test(env.GITHUB_API_URL)) {
    targets.github = { kind: 'github', url: env.GITHUB_API_URL };
  }
  if (Object.keys(targets).length === 0) return undefined;
  const proxy = await startFaultProxy({ targets });
  const proxied = { ...env };
  if (proxy.urls.aws) proxied.AWS_ENDPOINT_URL = proxy.urls.aws;
  if (proxy.urls.github) {
    proxied.GITHUB_API_URL = proxy.urls.github;
    proxied.GITHUB_GRAPHQL_URL = `${proxy.urls.github}/graphql`;
  }
  const dir = isAbsolute(recordDir) ? recordDir : join(repoRoot, recordDir);
  return {
    env: proxied,
    finish: async (exitCode) => {
      try {
        const counters = await fetchCounters(proxy.adminUrl);
        const line: RecordedRun = {
          action,
          recordedAt: new Date().toISOString(),
          exitCode,
          aws: Object.keys(counters.aws ?? {}).sort(),
          github: Object.keys(counters.github ?? {}).sort(),
        };
        mkdirSync(dir, { recursive: true });
        appendFileSync(join(dir, `${action}.jsonl`), `${JSON.stringify(line)}\n`);
      } finally {
        await proxy.close();
      }
    },
    abandon: () => proxy.close(),
  };
}

async function fetchCounters(adminUrl: string): Promise<Record<string, Record<string, unknown>>> {
  const response = await fetch(`${adminUrl}/counters`, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`recording proxy counters answered ${response.status}`);
  return (await response.json()) as Record<string, Record<string, unknown>>;
}
