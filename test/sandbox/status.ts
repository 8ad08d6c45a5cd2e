import { existsSync } from 'node:fs';
import { readSandboxEndpoints, type SandboxEndpoints } from './endpoints.js';
import { sandboxFiles } from './paths.js';
import { readSandboxPids } from './pid-file.js';
import { probeHttp, probeRedis, probeTcp } from './probes.js';
import { isPieceAlive } from './processes.js';

export interface PieceStatus {
  name: string;
  address: string;
  answers: boolean;
  /** What was seen, e.g. "HTTP 401" or "no answer". */
  detail: string;
}

async function checkListening(name: string, url: string): Promise<PieceStatus> {
  const answers = await probeTcp(Number(new URL(url).port));
  return { name, address: url, answers, detail: answers ? 'accepts connections' : 'no answer' };
}

async function checkHttp(name: string, url: string, expected?: number): Promise<PieceStatus> {
  const status = await probeHttp(url);
  const answers = status !== undefined && (expected === undefined || status === expected);
  return { name, address: url, answers, detail: status === undefined ? 'no answer' : `HTTP ${status}` };
}

/**
 * Probes every piece of a sandbox described by `endpoints`: ours over HTTP (a piece answers when it replies as it
 * should), the stand-ins and the fault proxy by connecting only, so no probe lands in what tests count.
 */
export async function checkSandboxPieces(endpoints: SandboxEndpoints): Promise<PieceStatus[]> {
  const { aws, github, cloudflare, registries, redis, faultProxy } = endpoints;
  const redisAnswers = await probeRedis(redis.url);
  const checks = await Promise.all([
    checkHttp('moto', `${aws.directUrl}/moto-api/`, 200),
    ...Object.entries(faultProxy.urls).map(([target, url]) => checkListening(`fault proxy ${target}`, url)),
    checkHttp('registry basic', `http://${registries.basic.directHost}/v2/`, 401),
    checkHttp('registry token', `http://${registries.token.directHost}/v2/`, 401),
    checkHttp('registry token server', registries.token.realm, 401),
    checkListening('github stand-in', github.directApiUrl),
    checkListening('cloudflare stand-in', cloudflare.directBaseUrl),
    checkListening('fault proxy admin', faultProxy.adminUrl),
  ]);
  return [
    ...checks,
    { name: 'redis', address: redis.url, answers: redisAnswers, detail: redisAnswers ? 'PONG' : 'no answer' },
  ];
}

export interface SandboxStatus {
  /** True when the recorded processes live and every piece answers. */
  healthy: boolean;
  endpoints?: SandboxEndpoints;
  pieces: PieceStatus[];
  deadProcesses: string[];
}

/** The state of the sandbox recorded in .sandbox/, checked against the live processes and ports. */
export async function readSandboxStatus(): Promise<SandboxStatus> {
  const pids = readSandboxPids();
  const deadProcesses = Object.entries(pids)
    .filter(([, piece]) => !isPieceAlive(piece))
    .map(([name]) => name);
  if (!existsSync(sandboxFiles.endpoints)) return { healthy: false, pieces: [], deadProcesses };
  const endpoints = readSandboxEndpoints();
  const pieces = await checkSandboxPieces(endpoints);
  const healthy = deadProcesses.length === 0 && Object.keys(pids).length > 0 && pieces.every((piece) => piece.answers);
  return { healthy, endpoints, pieces, deadProcesses };
}
