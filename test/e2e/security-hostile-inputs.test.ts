import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeMarkdown as escapeForCheck } from '@preview-actions/core/action';
import { mapConcurrent } from '@preview-actions/core/util';
import {
  issueCommentEvent,
  pullRequestEvent,
  runActionBundle,
  type ActionRun,
  type RunActionOptions,
  type WorkflowCommand,
} from '../harness/index.js';
import { connectBasicRegistry } from '../sandbox/basic-registry.js';
import { pushBehaviourImage } from '../sandbox/behaviour-image.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import { createFaultProxyClient } from '../sandbox/fault-proxy/client.js';
import { startFaultProxy, type FaultProxy } from '../sandbox/fault-proxy/server.js';
import { startGitHubStandIn, type GitHubStandIn } from '../standins/github/server.js';
import { CORPUS, findUnsafeMarkup, inspectRun } from './hostile-corpus.js';

const UNREACHABLE = 'http://127.0.0.1:9';

interface Case {
  input: string;
  run: (value: string) => Promise<{ run: ActionRun; extraText?: string[]; awsCalls?: number }>;
  /** The value must stop the action before any AWS call. */
  rejectBeforeAws?: boolean;
}

async function feedCorpus(c: Case): Promise<string[]> {
  const found = await mapConcurrent(Object.entries(CORPUS), 5, async ([label, value]) => {
    const { run, extraText, awsCalls } = await c.run(value);
    const problems = inspectRun(run, extraText);
    if (c.rejectBeforeAws && awsCalls) problems.push(`${awsCalls} AWS call(s) before rejecting`);
    return problems.map((p) => `${c.input} ← ${label}: ${p}`);
  });
  return found.flat();
}

let workspace: string;
let noTools: string;
let awsProxy: FaultProxy;

const offline = (extra: Record<string, string> = {}): RunActionOptions['env'] => ({
  GITHUB_API_URL: UNREACHABLE,
  AWS_ENDPOINT_URL: UNREACHABLE,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIAHOSTILE',
  AWS_SECRET_ACCESS_KEY: 'hostile-secret',
  AWS_MAX_ATTEMPTS: '1',
  CLOUDFLARE_BASE_URL: UNREACHABLE,
  ...extra,
});

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'security-inputs-'));
  noTools = join(workspace, 'no-tools');
  mkdirSync(noTools);
  mkdirSync(join(workspace, '.github'));
  // AWS calls are counted, then fail: the upstream is a closed loopback port, so nothing is ever created.
  awsProxy = await startFaultProxy({ targets: { aws: { url: UNREACHABLE, kind: 'aws' } } });
}, 600_000);

afterAll(async () => {
  await awsProxy?.close();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

describe('the inspection', () => {
  it('flags injected commands, multi-line errors and live markup', () => {
    const fake = (stdout: string, summary: string): ActionRun => {
      const all: WorkflowCommand[] = [
        { command: 'set-output', properties: { name: 'PWNED' }, message: '1' },
        { command: 'error', properties: {}, message: 'bad\nvalue' },
      ];
      const commands = all.filter((c) => stdout.includes(`::${c.command}`));
      return {
        exitCode: 1,
        signal: null,
        outputs: {},
        exported: {},
        state: {},
        summary,
        stdout,
        stderr: '',
        commands,
        annotations: commands.filter((c) => c.command === 'error').map((c) => ({ level: 'error' as const, ...c })),
        masks: [],
        durationMs: 1,
      };
    };
    const problems = inspectRun(
      fake('::set-output name=PWNED::1\n::error::bad%0Avalue', '| a | PWNED | b |\n<img src=x>'),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'injected ::set-output::',
        'multi-line error',
        'summary: raw HTML tag',
        'summary: unescaped table pipe',
      ]),
    );
    expect(inspectRun(fake('', escapeForCheck('<img src=x> | PWNED | @PWNEDuser')))).toEqual([]);
  });
});

describe('classify-tag fed hostile inputs', () => {
  const base = { tag: 'v1.2.0-rc.1', 'require-same-commit': 'false' };
  for (const input of ['tag', 'prefix', 'env-tags']) {
    it(`${input}: rejected or inert`, async () => {
      const problems = await feedCorpus({
        input,
        run: async (value) => ({
          run: await runActionBundle({ action: 'classify-tag', inputs: { ...base, [input]: value }, env: offline() }),
        }),
      });
      expect(problems).toEqual([]);
    }, 120_000);
  }
});

describe('retag-promote fed hostile inputs', () => {
  const base = {
    services: 'api',
    registry: '127.0.0.1:9',
    'registry-type': 'oci',
    'source-tag': 'v1.2.0-rc.1',
    'target-tags': 'v1.2.0',
    'wait-timeout': '30',
  };
  for (const input of ['services', 'source-tag', 'target-tags', 'image', 'registry', 'cluster', 'ecs-services']) {
    it(`${input}: rejected or inert`, async () => {
      const problems = await feedCorpus({
        input,
        run: async (value) => ({
          run: await runActionBundle({ action: 'retag-promote', inputs: { ...base, [input]: value }, env: offline() }),
        }),
      });
      expect(problems).toEqual([]);
    }, 180_000);
  }
});

describe('build-double-tag fed hostile inputs (no builder on PATH, so nothing is built)', () => {
  const base = { services: 'api', registry: '127.0.0.1:9', 'version-tag': 'v1.2.0', builder: 'docker', push: 'false' };
  for (const input of [
    'services',
    'image',
    'version-tag',
    'env-tag',
    'extra-tags',
    'dockerfile',
    'build-args',
    'platforms',
  ]) {
    it(`${input}: rejected or inert`, async () => {
      const problems = await feedCorpus({
        input,
        run: async (value) => ({
          run: await runActionBundle({
            action: 'build-double-tag',
            inputs: { ...base, [input]: value },
            env: offline({ PATH: noTools }),
          }),
        }),
      });
      expect(problems).toEqual([]);
    }, 180_000);
  }
});

describe('deploy-pr-env fed hostile inputs and environment-file values', () => {
  // A real image in the sandbox registry, healthy: the deploy takes its default path (both waits) up to AWS.
  const image = { repository: '', digest: '' };
  beforeAll(async () => {
    const sandbox = await ensureSandbox();
    const { basic } = sandbox.registries;
    const pushed = await pushBehaviourImage(connectBasicRegistry(sandbox), 'hostile-inputs/app', 'pr-4242', 'healthy');
    image.repository = `${basic.host}/hostile-inputs/app`;
    image.digest = pushed.digest;
  }, 300_000);

  function environmentFile(field: string, value: string): string {
    const quoted = JSON.stringify(value);
    const values: Record<string, string> = {
      domain: 'previews.example.test',
      cluster: 'previews',
      name: 'api',
      command: './run_api.sh',
      env: 'plain',
      path: '/api/*',
      health: '/api/health',
      [field]: value,
    };
    const q = (key: string) => (key === field ? quoted : JSON.stringify(values[key]));
    return `domain: ${q('domain')}
cluster: ${q('cluster')}
listener-arn: arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/previews/abc/def
vpc-id: vpc-12345678
priority-range: 1000-1999
image-repository: ${image.repository}
services:
  - name: ${q('name')}
    command: [${q('command')}]
    port: 8000
    paths: [${q('path')}]
    health-check-path: ${q('health')}
    environment:
      SETTING: ${q('env')}
`;
  }

  async function deploy(inputs: Record<string, string>, file: string) {
    const name = `env-${randomBytes(6).toString('hex')}.yml`;
    writeFileSync(join(workspace, '.github', name), file);
    return runActionBundle({
      action: 'deploy-pr-env',
      workspace,
      event: pullRequestEvent('opened', { number: 4242 }),
      inputs: {
        'environment-file': `.github/${name}`,
        'dns-mode': 'none',
        'github-deployment': 'false',
        'wait-timeout': '30',
        images: JSON.stringify({ api: { digest: image.digest } }),
        ...inputs,
      },
      env: offline({ AWS_ENDPOINT_URL: awsProxy.urls.aws! }),
      timeoutMs: 120_000,
    });
  }

  it('the harmless base file passes validation and reaches AWS (the cases below test what they claim)', async () => {
    const counters = createFaultProxyClient(awsProxy.adminUrl);
    await counters.reset();
    const run = await deploy({}, environmentFile('env', 'plain'));
    const calls = Object.values((await counters.counters()).aws ?? {}).reduce((sum, c) => sum + c.calls, 0);
    expect({ exit: run.exitCode, reachedAws: calls > 0 }).toEqual({ exit: 1, reachedAws: true });
  }, 120_000);

  const identifiers = ['domain', 'cluster', 'name', 'path', 'health'];
  for (const field of [...identifiers, 'command', 'env']) {
    it(`environment file ${field}: rejected or inert${identifiers.includes(field) ? ', before any AWS call' : ''}`, async () => {
      const problems: string[] = [];
      // One at a time: the AWS call count of each run must be its own.
      for (const [label, value] of Object.entries(CORPUS)) {
        const counters = createFaultProxyClient(awsProxy.adminUrl);
        await counters.reset();
        const run = await deploy({}, environmentFile(field, value));
        const calls = Object.values((await counters.counters()).aws ?? {}).reduce((sum, c) => sum + c.calls, 0);
        problems.push(...inspectRun(run).map((p) => `${field} ← ${label}: ${p}`));
        if (identifiers.includes(field) && calls > 0)
          problems.push(`${field} ← ${label}: ${calls} AWS call(s) before rejecting`);
      }
      expect(problems).toEqual([]);
    }, 600_000);
  }

  for (const input of ['pr-number', 'images', 'basic-auth-secret', 'alb-dns-name', 'cloudflare-zone-id']) {
    it(`input ${input}: rejected or inert`, async () => {
      const extra: Record<string, string> = input === 'basic-auth-secret' ? { 'basic-auth': 'true' } : {};
      const problems: string[] = [];
      for (const [label, value] of Object.entries(CORPUS)) {
        const run = await deploy({ ...extra, [input]: value }, environmentFile('env', 'plain'));
        problems.push(...inspectRun(run).map((p) => `${input} ← ${label}: ${p}`));
      }
      expect(problems).toEqual([]);
    }, 600_000);
  }
});

describe('post-pr-comment fed hostile inputs', () => {
  const repo = 'octo-org/hostile';
  let github: GitHubStandIn;
  let pr = 0;

  beforeAll(async () => {
    github = await startGitHubStandIn({ repositories: [repo], log: () => undefined });
    pr = github.admin.createPullRequest({ repo, author: 'octocat' }).number;
  }, 60_000);

  afterAll(async () => {
    await github?.close();
  });

  const readCommentBodies = () =>
    github.admin
      .snapshot()
      .comments.filter((c) => c.repo === repo)
      .map((c) => c.body);

  it('a harmless run posts a comment (the cases below reach the rendering)', async () => {
    const run = await runActionBundle({
      action: 'post-pr-comment',
      repository: repo,
      event: pullRequestEvent('synchronize', { repository: repo, number: pr }),
      inputs: { status: 'deployed', header: 'harmless', urls: '{"api":"https://pr.example.com/api"}' },
      env: { GITHUB_API_URL: github.url, GITHUB_GRAPHQL_URL: github.graphqlUrl },
    });
    expect(run.exitCode).toBe(0);
    expect(readCommentBodies().some((body) => body.includes('preview-actions:harmless'))).toBe(true);
  }, 60_000);

  for (const input of ['header', 'message', 'title', 'branch', 'sha', 'urls', 'expires-at', 'logs-url']) {
    it(`${input}: rejected or inert in the summary and the comment`, async () => {
      const found = await mapConcurrent(Object.entries(CORPUS), 5, async ([label, value]) => {
        const header = input === 'header' ? value : `h-${input}-${randomBytes(4).toString('hex')}`;
        const run = await runActionBundle({
          action: 'post-pr-comment',
          repository: repo,
          event: pullRequestEvent('synchronize', { repository: repo, number: pr }),
          inputs: { status: 'deployed', urls: '{"api":"https://pr.example.com/api"}', header, [input]: value },
          env: { GITHUB_API_URL: github.url, GITHUB_GRAPHQL_URL: github.graphqlUrl },
        });
        // A hostile header has no clean marker to find its comment by; header runs first, so all comments so far
        // are the harmless one and the header cases'.
        const mine = readCommentBodies().filter((body) => input === 'header' || body.includes(header));
        return [...inspectRun(run), ...mine.flatMap((body) => findUnsafeMarkup(body).map((p) => `comment: ${p}`))].map(
          (p) => `${input} ← ${label}: ${p}`,
        );
      });
      expect(found.flat()).toEqual([]);
    }, 300_000);
  }
});

describe('pr-command fed hostile comments and inputs', () => {
  const repo = 'octo-org/hostile-commands';
  const maintainer = 'hostile-admin';
  let github: GitHubStandIn;
  let pr = 0;

  beforeAll(async () => {
    github = await startGitHubStandIn({ repositories: [repo], log: () => undefined });
    github.admin.addCollaborator({ repo, login: maintainer, role: 'admin' });
    pr = github.admin.createPullRequest({ repo, author: 'octocat' }).number;
  }, 60_000);

  afterAll(async () => {
    await github?.close();
  });

  /** Runs pr-command on a new comment by the maintainer; returns the run and every comment the run posted. */
  async function command(body: string, inputs: Record<string, string> = {}) {
    const before = new Set(github.admin.snapshot().comments.map((c) => c.id));
    const record = github.admin.createComment({ repo, issueNumber: pr, body, author: maintainer });
    const event = issueCommentEvent('created', {
      repository: repo,
      number: pr,
      body,
      author: maintainer,
      commentId: record.id,
    });
    (event.payload.comment as { created_at: string }).created_at = record.createdAt;
    const run = await runActionBundle({
      action: 'pr-command',
      repository: repo,
      event,
      inputs,
      env: { GITHUB_API_URL: github.url, GITHUB_GRAPHQL_URL: github.graphqlUrl },
    });
    const posted = github.admin
      .snapshot()
      .comments.filter((c) => c.repo === repo && !before.has(c.id) && c.id !== record.id)
      .map((c) => c.body);
    return { run, posted };
  }

  it('a harmless /help from a maintainer is answered (the cases below reach the reply)', async () => {
    const { run, posted } = await command('/help');
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ command: 'help', allowed: 'true' });
    expect(posted).toEqual([expect.stringContaining('/deploy')]);
  }, 60_000);

  const bodies: [string, (value: string) => string][] = [
    ['/deploy <value>', (value) => `/deploy ${value}`],
    ['/<value>', (value) => `/${value}`],
    ['/extend <value>', (value) => `/extend ${value}`],
    ['<value> alone', (value) => value],
  ];
  for (const [shape, render] of bodies) {
    it(`comment ${shape} from a maintainer: never allowed, rendered inert in the reply, outputs and summary`, async () => {
      // One at a time: each run's posted comments must be its own.
      const problems: string[] = [];
      for (const [label, value] of Object.entries(CORPUS)) {
        const { run, posted } = await command(render(value));
        const found = inspectRun(run, [...posted, run.outputs.reason ?? '']);
        if (run.exitCode !== 0) found.push(`exit ${run.exitCode}`);
        if (run.outputs.allowed === 'true') found.push(`allowed as ${run.outputs.command} ${run.outputs.args}`);
        problems.push(...found.map((p) => `${shape} ← ${label}: ${p}`));
      }
      expect(problems).toEqual([]);
    }, 300_000);
  }

  for (const input of ['command-prefix', 'commands', 'check-name', 'allowed-permissions', 'max-extend']) {
    it(`input ${input}: rejected or inert`, async () => {
      const problems: string[] = [];
      for (const [label, value] of Object.entries(CORPUS)) {
        const { run, posted } = await command('/help', { [input]: value });
        problems.push(...inspectRun(run, posted).map((p) => `${input} ← ${label}: ${p}`));
      }
      expect(problems).toEqual([]);
    }, 300_000);
  }
});
