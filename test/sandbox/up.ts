import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../harness/paths.js';
import { assembleSandboxEndpoints } from './assemble-endpoints.js';
import { createSecret, createSelfSignedCertificate, writeHtpasswd } from './credentials.js';
import type { DaemonConfig, DaemonReady } from './daemon-protocol.js';
import { stopSandboxPieces } from './down.js';
import type { SandboxEndpoints } from './endpoints.js';
import { renderEnvFile } from './env-file.js';
import { findFreePorts } from './free-port.js';
import { ensureDebianPackages } from './install.js';
import { acquireLock } from './lock.js';
import { ensureMoto, motoServerCommand } from './moto.js';
import { warmMotoBackends } from './moto-warm-up.js';
import { sandboxDir, sandboxFiles } from './paths.js';
import { writeSandboxPids, type SandboxPids } from './pid-file.js';
import { probeHttp, probeRedis } from './probes.js';
import { readLogTail, spawnPiece, type SpawnPieceOptions } from './processes.js';
import { writeRegistryConfig } from './registry-config.js';
import { registryTokenIssuer, registryTokenService, sandboxZoneName } from './sandbox-constants.js';
import { readSandboxStatus } from './status.js';
import { waitUntil } from './wait.js';

export interface StartSandboxResult {
  endpoints: SandboxEndpoints;
  alreadyRunning: boolean;
  elapsedMs: number;
  /** Milliseconds from the start of `up` to the end of each phase (for the benchmark). */
  phases: Record<string, number>;
}

type Log = (line: string) => void;

const readyTimeoutMs = 60_000;

function clearSandboxDir() {
  mkdirSync(sandboxDir, { recursive: true });
  for (const entry of readdirSync(sandboxDir)) {
    const path = join(sandboxDir, entry);
    if (path !== sandboxFiles.lock) rmSync(path, { recursive: true, force: true });
  }
  mkdirSync(sandboxFiles.logs, { recursive: true });
}

async function prepareSecrets() {
  const dir = join(sandboxDir, 'secrets');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tokenIssuer = { keyPath: join(dir, 'token-issuer.key'), certPath: join(dir, 'token-issuer.crt') };
  const alb = { keyPath: join(dir, 'alb.key'), certPath: join(dir, 'alb.crt') };
  const basic = { username: 'sandbox-basic', password: createSecret(), htpasswdPath: join(dir, 'htpasswd') };
  const token = { username: 'sandbox-token', password: createSecret() };
  await Promise.all([
    writeHtpasswd(basic.htpasswdPath, basic.username, basic.password),
    createSelfSignedCertificate(tokenIssuer, { subject: '/CN=preview-actions sandbox token issuer', keyType: 'rsa' }),
    createSelfSignedCertificate(alb, {
      subject: `/CN=*.${sandboxZoneName}`,
      subjectAltNames: [`DNS:*.${sandboxZoneName}`, `DNS:${sandboxZoneName}`],
      keyType: 'ec',
    }),
  ]);
  return { tokenIssuer, alb, basic, token };
}

/** Starts pieces and remembers them in .sandbox/pids.json at once, so a failed `up` can still be cleaned up. */
function createPieceStarter() {
  const pids: SandboxPids = {};
  const exits: Record<string, () => boolean> = {};
  const start = (name: string, command: string, args: string[], options: SpawnPieceOptions) => {
    const { piece, exited } = spawnPiece(name, command, args, options);
    pids[name] = piece;
    exits[name] = exited;
    writeSandboxPids(pids);
  };
  const waitFor = (name: string, check: () => Promise<boolean>) =>
    waitUntil(`sandbox piece ${name} did not start`, check, {
      timeoutMs: readyTimeoutMs,
      giveUpIf: () => (exits[name]?.() ? `it exited; its log (${name}.log) ends:\n${readLogTail(name)}` : undefined),
    });
  return { start, waitFor };
}

async function launchSandbox(log: Log, mark: (phase: string) => void): Promise<SandboxEndpoints> {
  ensureDebianPackages(undefined, log);
  const moto = ensureMoto(log);
  clearSandboxDir();
  mark('installed');
  const [motoPort, redisPort, basicPort, tokenRegistryPort, tokenServerPort] = (await findFreePorts(5)) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const motoUrl = `http://127.0.0.1:${motoPort}`;
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  const basicUrl = `http://127.0.0.1:${basicPort}`;
  const tokenRegistryUrl = `http://127.0.0.1:${tokenRegistryPort}`;
  const { start, waitFor } = createPieceStarter();

  // moto is the slowest to start and to seed, so it starts before anything else is prepared.
  // It reads endpoints.json (written at the end of `up`) when a deployment resolves an image tag.
  const motoServer = motoServerCommand(moto, motoPort, { endpointsFile: sandboxFiles.endpoints });
  start('moto', motoServer.command, motoServer.args, { env: motoServer.env, marker: motoServer.marker });
  start(
    'redis',
    'redis-server',
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(redisPort),
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      sandboxDir,
      '--daemonize',
      'no',
    ],
    { marker: 'redis-server' },
  );
  const secretsMade = prepareSecrets();
  const motoWarm = waitFor('moto', async () => (await probeHttp(`${motoUrl}/moto-api/`)) === 200).then(async () => {
    mark('moto answers');
    await warmMotoBackends(motoUrl);
    mark('moto warm');
  });
  // Loading the AWS SDK takes a second or more; it happens while moto boots and warms up.
  const seeding = Promise.all([import('./seed-sandbox-aws.js'), secretsMade, motoWarm]).then(
    async ([seeder, secrets]) => {
      const seeded = await seeder.seedSandboxAws(motoUrl, secrets.alb);
      mark('moto seeded');
      return seeded;
    },
  );
  // Awaited below with the other pieces; this only keeps an early failure from counting as unhandled.
  seeding.catch(() => undefined);
  const secrets = await secretsMade;
  mark('secrets made');

  const daemonConfig: DaemonConfig = {
    tokenServer: {
      port: tokenServerPort,
      privateKeyPath: secrets.tokenIssuer.keyPath,
      issuer: registryTokenIssuer,
      service: registryTokenService,
      username: secrets.token.username,
      password: secrets.token.password,
    },
    github: { token: `ghs_sandbox${createSecret(12)}` },
    cloudflare: { token: `sandbox-cf-${createSecret(12)}`, zoneName: sandboxZoneName },
    proxyTargets: {
      aws: { url: motoUrl, kind: 'aws' },
      registryBasic: { url: basicUrl, kind: 'registry' },
      registryToken: { url: tokenRegistryUrl, kind: 'registry' },
    },
    readyFile: sandboxFiles.daemonReady,
  };
  writeFileSync(sandboxFiles.daemonConfig, JSON.stringify(daemonConfig, null, 2), { mode: 0o600 });
  start('daemon', process.execPath, ['--import', 'tsx', 'test/sandbox/daemon.ts', sandboxFiles.daemonConfig], {
    cwd: repoRoot,
    marker: 'test/sandbox/daemon.ts',
  });
  const basicConfig = writeRegistryConfig({
    dir: join(sandboxDir, 'registry-basic'),
    port: basicPort,
    auth: { kind: 'htpasswd', htpasswdPath: secrets.basic.htpasswdPath },
  });
  const tokenConfig = writeRegistryConfig({
    dir: join(sandboxDir, 'registry-token'),
    port: tokenRegistryPort,
    auth: {
      kind: 'token',
      realm: `http://127.0.0.1:${tokenServerPort}/token`,
      service: registryTokenService,
      issuer: registryTokenIssuer,
      rootCertBundlePath: secrets.tokenIssuer.certPath,
    },
  });
  start('registry-basic', 'docker-registry', ['serve', basicConfig], { marker: basicConfig });
  start('registry-token', 'docker-registry', ['serve', tokenConfig], { marker: tokenConfig });

  const [seeded] = await Promise.all([
    seeding,
    waitFor('redis', () => probeRedis(redisUrl)),
    waitFor('registry-basic', async () => (await probeHttp(`${basicUrl}/v2/`)) === 401),
    waitFor('registry-token', async () => (await probeHttp(`${tokenRegistryUrl}/v2/`)) === 401),
    waitFor('daemon', async () => existsSync(sandboxFiles.daemonReady)).then(() => mark('daemon ready')),
  ]);
  const endpoints = assembleSandboxEndpoints({
    motoUrl,
    redisUrl,
    registryBasic: { url: basicUrl, username: secrets.basic.username, password: secrets.basic.password },
    registryToken: { url: tokenRegistryUrl, username: secrets.token.username, password: secrets.token.password },
    githubToken: daemonConfig.github.token,
    cloudflareToken: daemonConfig.cloudflare.token,
    daemon: JSON.parse(readFileSync(sandboxFiles.daemonReady, 'utf8')) as DaemonReady,
    seeded,
  });
  writeFileSync(sandboxFiles.env, renderEnvFile(endpoints.env), { mode: 0o600 });
  writeFileSync(sandboxFiles.endpoints, JSON.stringify(endpoints, null, 2), { mode: 0o600 });
  return endpoints;
}

/**
 * Starts every piece of the sandbox, seeds moto and writes .sandbox/endpoints.json and .sandbox/env.
 * A sandbox that is already up and healthy is left as it is. On failure everything started is stopped again.
 */
export async function startSandbox(log: Log = console.error): Promise<StartSandboxResult> {
  const startedAt = Date.now();
  const phases: Record<string, number> = {};
  const mark = (phase: string) => (phases[phase] = Date.now() - startedAt);
  mkdirSync(sandboxDir, { recursive: true });
  const release = await acquireLock(sandboxFiles.lock, 15 * 60_000);
  try {
    const status = await readSandboxStatus();
    if (status.healthy && status.endpoints) {
      return { endpoints: status.endpoints, alreadyRunning: true, elapsedMs: Date.now() - startedAt, phases };
    }
    await stopSandboxPieces();
    try {
      const endpoints = await launchSandbox(log, mark);
      return { endpoints, alreadyRunning: false, elapsedMs: Date.now() - startedAt, phases };
    } catch (error) {
      await stopSandboxPieces();
      throw error;
    }
  } finally {
    release();
  }
}
