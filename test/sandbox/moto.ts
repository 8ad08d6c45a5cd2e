import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../harness/paths.js';
import { machineCacheDir } from './paths.js';

/** The Debian suite whose python3-moto (5.1) the sandbox runs; bookworm's own moto is too old. */
const motoSuite = 'trixie';
const motoCacheDir = join(machineCacheDir, 'moto');

export interface MotoInstall {
  /** Goes on PYTHONPATH for /usr/bin/python3 running moto. */
  pythonPath: string;
  version: string;
}

function readCachedMoto(): MotoInstall | undefined {
  const versionFile = join(motoCacheDir, 'VERSION');
  const pythonPath = join(motoCacheDir, 'usr/lib/python3/dist-packages');
  if (!existsSync(versionFile) || !existsSync(join(pythonPath, 'moto/server.py'))) return undefined;
  return { pythonPath, version: readFileSync(versionFile, 'utf8').trim() };
}

/**
 * Downloads trixie's python3-moto with apt (a private sources list and state, so the machine's apt setup is
 * untouched) and unpacks it into the machine cache. Later calls return the cached copy at once.
 */
export function ensureMoto(log: (line: string) => void = console.error): MotoInstall {
  const cached = readCachedMoto();
  if (cached) return cached;
  log(`sandbox: fetching python3-moto from Debian ${motoSuite} (first run on this machine)`);
  mkdirSync(machineCacheDir, { recursive: true });
  const work = mkdtempSync(join(machineCacheDir, 'moto-download-'));
  try {
    const sourcesList = join(work, 'sources.list');
    writeFileSync(sourcesList, `deb http://deb.debian.org/debian ${motoSuite} main\n`);
    for (const dir of ['lists/partial', 'cache/archives/partial']) mkdirSync(join(work, dir), { recursive: true });
    const aptOptions = [
      `-o`,
      `Dir::Etc::SourceList=${sourcesList}`,
      `-o`,
      `Dir::Etc::SourceParts=/dev/null`,
      `-o`,
      `Dir::State::Lists=${join(work, 'lists')}`,
      `-o`,
      `Dir::Cache=${join(work, 'cache')}`,
      `-o`,
      `APT::Sandbox::User=root`,
    ];
    const run = (args: string[]) =>
      execFileSync('apt-get', [...aptOptions, ...args], {
        cwd: work,
        stdio: ['ignore', 'ignore', 'pipe'],
        timeout: 300_000,
      });
    run(['-qq', 'update']);
    run(['-qq', 'download', 'python3-moto']);
    const deb = readdirSync(work).find((name) => name.startsWith('python3-moto_') && name.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download python3-moto from ${motoSuite} produced no .deb`);
    const version = deb.split('_')[1] ?? 'unknown';
    if (!version.startsWith('5.')) throw new Error(`expected moto 5.x from Debian ${motoSuite}, got ${version}`);
    const unpacked = join(work, 'unpacked');
    execFileSync('dpkg', ['-x', join(work, deb), unpacked]);
    writeFileSync(join(unpacked, 'VERSION'), `${version}\n`);
    rmSync(motoCacheDir, { recursive: true, force: true });
    renameSync(unpacked, motoCacheDir);
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim() ?? '';
    const hint = stderr.includes('NO_PUBKEY')
      ? `; apt lacks ${motoSuite}'s archive keys: run apt-get update && apt-get install -y debian-archive-keyring`
      : '';
    throw new Error(`could not fetch python3-moto from Debian ${motoSuite}${stderr ? `: ${stderr}` : ''}${hint}`, {
      cause: error,
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const installed = readCachedMoto();
  if (!installed) throw new Error(`python3-moto unpacked into ${motoCacheDir} but moto/server.py is missing`);
  return installed;
}

/** The sandbox's moto server: moto with the ECS deployment life cycle patched in (test/sandbox/moto-ecs). */
export const motoServerScript = join(repoRoot, 'test/sandbox/moto-ecs/serve.py');

export interface MotoServerOptions {
  /** .sandbox/endpoints.json (or a file of that shape): the registries ECS resolves image tags against. */
  endpointsFile?: string;
}

/**
 * The command, arguments and environment that start the sandbox's moto on `port`. Always Debian's python3 (a
 * pyenv python3 on PATH lacks moto's dependencies). Bytecode writing stays on even where the caller's
 * environment turns it off: the unpacked moto has no compiled files, and compiling its imports again on every
 * start costs seconds.
 */
export function motoServerCommand(moto: MotoInstall, port: number, options: MotoServerOptions = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONPATH: moto.pythonPath };
  delete env.PYTHONDONTWRITEBYTECODE;
  delete env.MOTO_ECS_SERVICE_RUNNING;
  if (options.endpointsFile) env.SANDBOX_ENDPOINTS_FILE = options.endpointsFile;
  return {
    command: '/usr/bin/python3',
    args: [motoServerScript, '-H', '127.0.0.1', '-p', String(port)],
    env,
    marker: 'moto-ecs/serve.py',
  };
}
