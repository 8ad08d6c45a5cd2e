import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { DaemonConfig, DaemonReady } from './daemon-protocol.js';
import { startTokenServer } from './token-server.js';

// The sandbox daemon: one long-lived node process hosting every TypeScript server of the sandbox, so the
// TypeScript start-up cost is paid once per `up`. Started by up.ts; stopped by SIGTERM from `down`.

const config = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as DaemonConfig;
const closers: Array<() => Promise<void>> = [];

function originOf(url: string): string {
  return new URL(url).origin;
}

async function startServers(): Promise<DaemonReady> {
  const { startGitHubStandIn } = await import('../standins/github/server.js');
  const { startCloudflareStandIn } = await import('../standins/cloudflare/server.js');
  const { startFaultProxy } = await import('./fault-proxy/server.js');

  const tokenServer = await startTokenServer({
    ...config.tokenServer,
    privateKeyPem: readFileSync(config.tokenServer.privateKeyPath, 'utf8'),
  });
  closers.push(tokenServer.close);
  const github = await startGitHubStandIn({ token: config.github.token });
  closers.push(github.close);
  const cloudflare = await startCloudflareStandIn({
    token: config.cloudflare.token,
    zoneName: config.cloudflare.zoneName,
  });
  closers.push(cloudflare.close);
  const targets = {
    ...Object.fromEntries(
      Object.entries(config.proxyTargets).map(([name, target]) => [name, { ...target, url: originOf(target.url) }]),
    ),
    github: { url: originOf(github.url), kind: 'github' as const },
    cloudflare: { url: originOf(cloudflare.url), kind: 'cloudflare' as const },
  };
  const proxy = await startFaultProxy({ targets });
  closers.unshift(proxy.close);
  return {
    pid: process.pid,
    tokenRealm: tokenServer.realm,
    github: { url: github.url, graphqlUrl: github.graphqlUrl, adminUrl: github.adminUrl },
    cloudflare: { url: cloudflare.url, zoneId: cloudflare.zoneId, adminUrl: cloudflare.adminUrl },
    faultProxy: { adminUrl: proxy.adminUrl, urls: proxy.urls },
  };
}

async function shutDown(exitCode: number) {
  const deadline = setTimeout(() => process.exit(exitCode), 2000);
  deadline.unref();
  await Promise.allSettled(closers.map((close) => close()));
  process.exit(exitCode);
}

process.on('SIGTERM', () => void shutDown(0));
process.on('SIGINT', () => void shutDown(0));

try {
  const ready = await startServers();
  // Written then renamed, so `up` never reads half a file.
  writeFileSync(`${config.readyFile}.tmp`, JSON.stringify(ready, null, 2));
  renameSync(`${config.readyFile}.tmp`, config.readyFile);
  console.log(`sandbox daemon ready (pid ${process.pid})`);
} catch (error) {
  console.error('sandbox daemon could not start:', error instanceof Error ? error.stack : error);
  await shutDown(1);
}
