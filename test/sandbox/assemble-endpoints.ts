import type { DaemonReady } from './daemon-protocol.js';
import type { SandboxEndpoints, SeededAws } from './endpoints.js';
import { createSandboxEnv } from './env-file.js';
import {
  registryTokenIssuer,
  registryTokenService,
  sandboxAwsCredentials,
  sandboxAwsRegion,
  sandboxZoneName,
} from './sandbox-constants.js';

export interface LaunchedPieces {
  motoUrl: string;
  redisUrl: string;
  registryBasic: { url: string; username: string; password: string };
  registryToken: { url: string; username: string; password: string };
  githubToken: string;
  cloudflareToken: string;
  daemon: DaemonReady;
  seeded: SeededAws;
}

/** Rewrites a direct URL to go through the fault proxy listener for `target`, keeping path and query. */
function throughProxy(url: string, proxyUrls: Record<string, string>, target: string): string {
  const proxyUrl = proxyUrls[target];
  if (!proxyUrl) throw new Error(`the fault proxy reported no listener for target ${target}`);
  const direct = new URL(url);
  return `${new URL(proxyUrl).origin}${direct.pathname === '/' ? '' : direct.pathname}${direct.search}`;
}

/** Builds the endpoints file's content from what `up` started; service URLs go through the fault proxy. */
export function assembleSandboxEndpoints(pieces: LaunchedPieces): SandboxEndpoints {
  const { daemon } = pieces;
  const proxied = daemon.faultProxy.urls;
  const hostThroughProxy = (url: string, target: string) => new URL(throughProxy(url, proxied, target)).host;
  const withoutEnv: Omit<SandboxEndpoints, 'env'> = {
    startedAt: new Date().toISOString(),
    aws: {
      url: throughProxy(pieces.motoUrl, proxied, 'aws'),
      directUrl: pieces.motoUrl,
      region: sandboxAwsRegion,
      ...sandboxAwsCredentials,
    },
    github: {
      apiUrl: throughProxy(daemon.github.url, proxied, 'github'),
      graphqlUrl: throughProxy(daemon.github.graphqlUrl, proxied, 'github'),
      directApiUrl: daemon.github.url,
      adminUrl: daemon.github.adminUrl,
      token: pieces.githubToken,
    },
    cloudflare: {
      baseUrl: throughProxy(daemon.cloudflare.url, proxied, 'cloudflare'),
      directBaseUrl: daemon.cloudflare.url,
      adminUrl: daemon.cloudflare.adminUrl,
      apiToken: pieces.cloudflareToken,
      zoneId: daemon.cloudflare.zoneId,
      zoneName: sandboxZoneName,
    },
    registries: {
      basic: {
        host: hostThroughProxy(pieces.registryBasic.url, 'registryBasic'),
        directHost: new URL(pieces.registryBasic.url).host,
        username: pieces.registryBasic.username,
        password: pieces.registryBasic.password,
      },
      token: {
        host: hostThroughProxy(pieces.registryToken.url, 'registryToken'),
        directHost: new URL(pieces.registryToken.url).host,
        username: pieces.registryToken.username,
        password: pieces.registryToken.password,
        realm: daemon.tokenRealm,
        service: registryTokenService,
        issuer: registryTokenIssuer,
      },
    },
    redis: { url: pieces.redisUrl },
    faultProxy: daemon.faultProxy,
    seeded: pieces.seeded,
  };
  return { ...withoutEnv, env: createSandboxEnv(withoutEnv) };
}
