import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../action/clock.js';
import { MemoryIO } from '../action/io.js';
import { createLogger } from '../action/logger.js';
import type { CommandRunner } from '../build/command-runner.js';
import { deployCompose } from './deploy-compose.js';

// docker compose needs a Docker engine, which this machine has not: the runner records the argv
// it would run, and the env-file pinning and ordering around it are real.
function recordingRunner(failOn?: string): CommandRunner & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    async run(command, args) {
      calls.push([command, ...args]);
      const failed = failOn !== undefined && args.includes(failOn);
      return {
        exitCode: failed ? 1 : 0,
        stdout: '',
        stderr: failed ? 'Error response from daemon: pull access denied' : '',
      };
    },
  };
}

function request(dir: string) {
  return {
    composeFile: 'compose.yml',
    envFile: join(dir, '.env'),
    variable: 'IMAGE_TAG',
    version: 'v1.2.3',
    projectDirectory: dir,
    healthUrl: '',
    healthTimeoutMs: 1000,
  };
}

describe('deployCompose', () => {
  it('pins the version, then pulls and starts detached with the same env file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-'));
    writeFileSync(join(dir, '.env'), 'IMAGE_TAG=v1.2.2\nDB=pg\n');
    const runner = recordingRunner();
    const result = await deployCompose(request(dir), {
      runner,
      clock: new ManualClock(),
      log: createLogger(new MemoryIO()),
    });
    expect(result).toEqual({ previousVersion: 'v1.2.2', healthy: true });
    expect(readFileSync(join(dir, '.env'), 'utf8')).toBe('IMAGE_TAG=v1.2.3\nDB=pg\n');
    const base = [
      'docker',
      'compose',
      '--project-directory',
      dir,
      '--env-file',
      join(dir, '.env'),
      '--file',
      'compose.yml',
    ];
    expect(runner.calls).toEqual([
      [...base, 'pull'],
      [...base, 'up', '--detach', '--remove-orphans'],
    ]);
  });

  it('stops at a failed pull with its last error line, before up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-'));
    const runner = recordingRunner('pull');
    await expect(
      deployCompose(request(dir), { runner, clock: new ManualClock(), log: createLogger(new MemoryIO()) }),
    ).rejects.toThrow('docker compose pull failed: Error response from daemon: pull access denied');
    expect(runner.calls).toHaveLength(1);
  });

  it('refuses a version that is not an image tag before touching anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-'));
    const runner = recordingRunner();
    await expect(
      deployCompose(
        { ...request(dir), version: 'v1;rm -rf /' },
        { runner, clock: new ManualClock(), log: createLogger(new MemoryIO()) },
      ),
    ).rejects.toThrow("Input 'version' is 'v1;rm -rf /'");
    expect(runner.calls).toEqual([]);
  });
});
