/**
 * The compose host stand-in (test/sandbox/compose-host) without a sandbox: Compose's interpolation and env-file
 * syntax as documented, what the loader refuses, the CLI's refusal of any other form, and what a container
 * process does for each behaviour label. pull and up against the registries run in
 * test/e2e/workflow-deploy-form.test.ts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { findFreePorts } from '../sandbox/free-port.js';
import { interpolateCompose } from '../sandbox/compose-host/interpolate-compose.js';
import { loadComposeProject } from '../sandbox/compose-host/load-compose-project.js';
import { readComposeEnvFile } from '../sandbox/compose-host/read-env-file.js';

const hostDir = join(import.meta.dirname, '..', 'sandbox', 'compose-host');

describe('interpolateCompose', () => {
  const vars = { SET: 'v', EMPTY: '' };
  it.each([
    ['${SET}', 'v'],
    ['$SET/x', 'v/x'],
    ['${EMPTY:-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${UNSET-d}', 'd'],
    ['${SET:+r}', 'r'],
    ['${EMPTY+r}', 'r'],
    ['${UNSET:-${SET:-x}}', 'v'],
    ['$$SET', '$SET'],
    ['a$-b', 'a$-b'],
  ])('%s → %s', (text, expected) => {
    expect(interpolateCompose(text, vars)).toBe(expected);
  });

  it('warns about an unset variable and substitutes the empty string', () => {
    const warned: string[] = [];
    expect(interpolateCompose('x${UNSET}y', vars, (name) => warned.push(name))).toBe('xy');
    expect(warned).toEqual(['UNSET']);
  });

  it('fails on a required variable and on an invalid format', () => {
    expect(() => interpolateCompose('${EMPTY:?set EMPTY}', vars)).toThrow(
      'required variable EMPTY is missing a value: set EMPTY',
    );
    expect(interpolateCompose('${EMPTY?set}', vars)).toBe('');
    expect(() => interpolateCompose('${1X}', vars)).toThrow('invalid interpolation format');
    expect(() => interpolateCompose('${SET/a/b}', vars)).toThrow('invalid interpolation format');
  });
});

function writeFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'compose-host-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('readComposeEnvFile', () => {
  it('reads comments, quotes and inline comments as documented, the shell winning in interpolation', () => {
    const dir = writeFiles({
      '.env': [
        '# comment',
        '',
        'A=plain # comment',
        'B=keep#this',
        'C="quoted # not a comment" # comment',
        "D='${A} literal'",
        'E=${A}-${SHELL_ONLY}',
        'export F="tab\\there"',
      ].join('\n'),
    });
    expect(readComposeEnvFile(join(dir, '.env'), { SHELL_ONLY: 's', A: 'from-shell' })).toEqual({
      A: 'plain',
      B: 'keep#this',
      C: 'quoted # not a comment',
      D: '${A} literal',
      E: 'from-shell-s',
      F: 'tab\there',
    });
  });
});

describe('loadComposeProject', () => {
  const load = (compose: string, env = '', shell: Record<string, string> = {}) => {
    const dir = writeFiles({ 'compose.yml': compose, '.env': env });
    const warnings: string[] = [];
    const project = loadComposeProject(
      { projectDirectory: '.', envFile: '.env', file: 'compose.yml', cwd: dir },
      shell,
      (line) => warnings.push(line),
    );
    return { project, warnings, dir };
  };

  it('interpolates from the env file, shell first; names the project after the directory; adds :latest', () => {
    const { project, dir } = load(
      [
        'services:',
        '  api:',
        '    image: ${REGISTRY}/api:${TAG}',
        '    ports: ["127.0.0.1:${PORT:-8080}:8080", { target: 81, published: "9000" }]',
        '  db:',
        '    image: 127.0.0.1:5000/db',
      ].join('\n'),
      'REGISTRY=127.0.0.1:5000/ns\nTAG=v1\n',
      { TAG: 'v2' },
    );
    expect(project.name).toBe(
      dir
        .split('/')
        .at(-1)!
        .toLowerCase()
        .replace(/[^a-z0-9_-]/g, ''),
    );
    expect(project.services).toEqual([
      {
        name: 'api',
        image: '127.0.0.1:5000/ns/api:v2',
        ports: [
          { hostIp: '127.0.0.1', published: 8080, target: 8080 },
          { hostIp: '0.0.0.0', published: 9000, target: 81 },
        ],
        environment: {},
      },
      { name: 'db', image: '127.0.0.1:5000/db:latest', ports: [], environment: {} },
    ]);
  });

  it('takes COMPOSE_PROJECT_NAME from the env file over top-level name', () => {
    const { project } = load('name: from-file\nservices: { a: { image: x:1 } }', 'COMPOSE_PROJECT_NAME=from-env');
    expect(project.name).toBe('from-env');
    expect(load('name: from-file\nservices: { a: { image: x:1 } }').project.name).toBe('from-file');
  });

  it('warns about an unset variable, as compose does', () => {
    const { project, warnings } = load('services: { a: { image: "x:${NOPE}1" } }');
    expect(project.services[0]!.image).toBe('x:1');
    expect(warnings).toEqual(['WARN[0000] The "NOPE" variable is not set. Defaulting to a blank string.']);
  });

  it.each([
    ['services: { a: { build: . } }', 'does not implement services.a.build'],
    ['services: { a: { image: x } }\nvolumes: { v: {} }', "does not implement top-level 'volumes'"],
    ['services: { a: { image: x, ports: ["8080"] } }', 'container-only port'],
    ['services: { a: { image: x, ports: ["1-2:3"] } }', 'invalid port'],
    ['services: { a: { ports: ["1:2"] } }', 'neither an image nor a build context'],
    ['name: Bad_Name\nservices: { a: { image: x } }', 'invalid project name "Bad_Name"'],
  ])('refuses %j', (compose, message) => {
    expect(() => load(compose)).toThrow(message);
  });
});

describe('bin/docker', () => {
  it.each([
    ['ps'],
    ['compose', 'up', '-d'],
    ['compose', '--project-directory', '.', '--env-file', '.env', '--file', 'c.yml', 'up', '--detach'],
  ])('refuses docker %s, naming it and the forms it implements', (...args) => {
    const result = spawnSync(join(hostDir, 'bin', 'docker'), args, { encoding: 'utf8' });
    expect(result.status).toBe(125);
    expect(result.stderr).toContain(`"docker ${args.join(' ')}" is not implemented`);
    expect(result.stderr).toContain('docker compose --project-directory D --env-file E --file F pull');
  });
});

describe('container-process.mjs', () => {
  /** Starts a container process; resolves with its first line and the process. */
  function start(behaviour: string, ports: { hostIp: string; published: number }[]) {
    const child = spawn(
      process.execPath,
      [
        join(hostDir, 'container-process.mjs'),
        'unit-api-1',
        JSON.stringify({ image: 'r/api:v1', digest: 'sha256:d', behaviour, ports }),
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const first = new Promise<string>((resolve) => {
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolve(text.split('\n')[0]!);
      });
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { child, first, exited };
  }

  it.each([
    ['healthy', 200],
    ['unhealthy', 500],
  ])('%s: /health answers %d, other paths 404, every answer names the image', async (behaviour, status) => {
    const [port] = await findFreePorts(1);
    const container = start(behaviour, [{ hostIp: '127.0.0.1', published: port! }]);
    try {
      expect(await container.first).toBe('started');
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect([health.status, health.headers.get('x-sandbox-image')]).toEqual([status, 'r/api:v1@sha256:d']);
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
    } finally {
      container.child.kill('SIGTERM');
      expect(await container.exited).toBe(0);
    }
  });

  it('crash: starts, then exits 1 with nothing listening', async () => {
    const [port] = await findFreePorts(1);
    const container = start('crash', [{ hostIp: '127.0.0.1', published: port! }]);
    expect(await container.first).toBe('started');
    expect(await container.exited).toBe(1);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it('a published port already taken fails the start as the daemon words it', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const container = start('healthy', [{ hostIp: '127.0.0.1', published: port }]);
      expect(await container.first).toBe(`error Bind for 127.0.0.1:${port} failed: port is already allocated`);
      expect(await container.exited).toBe(1);
    } finally {
      taken.close();
    }
  });
});
