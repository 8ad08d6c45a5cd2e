import { createFaultProxyClient, type FaultProxyClient } from '../sandbox/fault-proxy/client.js';
import { startFaultProxy, type FaultProxy } from '../sandbox/fault-proxy/server.js';
import { defaultStandInLogin, startGitHubStandIn, type GitHubStandIn } from '../standins/github/server.js';

/** A private GitHub stand-in behind a private fault proxy, so scripted faults hit only this file's runs. */
export interface GitHubBehindFaults {
  standIn: GitHubStandIn;
  proxy: FaultProxy;
  faults: FaultProxyClient;
  /** The login the harness's default token writes as. */
  botLogin: string;
  /** GITHUB_API_URL and GITHUB_GRAPHQL_URL pointing at the proxy. */
  env: { GITHUB_API_URL: string; GITHUB_GRAPHQL_URL: string };
  /**
   * Spends the bot's primary (hourly) REST budget: GitHub then answers 403 with x-ratelimit-remaining 0
   * until the window resets. The proxy cannot fake this; the stand-in keeps the real counters.
   */
  exhaustPrimaryRateLimit(): void;
  restorePrimaryRateLimit(): void;
  close(): Promise<void>;
}

/** Starts both on loopback; `repositories` are created empty. */
export async function startGitHubBehindFaults(repositories: string[]): Promise<GitHubBehindFaults> {
  const standIn = await startGitHubStandIn({ repositories, validateResponses: true });
  let proxy: FaultProxy;
  try {
    proxy = await startFaultProxy({ targets: { github: { url: standIn.url, kind: 'github' } } });
  } catch (error) {
    await standIn.close();
    throw error;
  }
  const api = proxy.urls.github!;
  return {
    standIn,
    proxy,
    faults: createFaultProxyClient(proxy.adminUrl),
    botLogin: defaultStandInLogin,
    env: { GITHUB_API_URL: api, GITHUB_GRAPHQL_URL: `${api}/graphql` },
    exhaustPrimaryRateLimit: () => {
      standIn.rateLimits.set({ login: defaultStandInLogin, resource: 'core', remaining: 0, resetInSeconds: 3600 });
    },
    restorePrimaryRateLimit: () => {
      standIn.rateLimits.set({ login: defaultStandInLogin, resource: 'core', limit: 5000, remaining: 5000 });
    },
    close: async () => {
      await proxy.close();
      await standIn.close();
    },
  };
}
