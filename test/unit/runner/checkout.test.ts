import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkout, useConsumerRepo } from '../../runner/standins/actions-checkout.js';
import { createConsumerRepo, git } from '../../runner/standins/consumer-repo.js';
import { exampleStep } from '../../runner/standins/example-job.js';

const repo = createConsumerRepo({
  commits: [{ message: 'second' }, { message: 'third', files: { 'services/api/app.txt': 'api v3\n' } }],
  tags: { 'v1.0.0-rc.1': 1, 'v1.0.0': 1 },
  annotated: ['v1.0.0'],
  refs: { 'refs/pull/7/merge': 2 },
});
let workspace: string;

beforeAll(() => useConsumerRepo(repo));
afterAll(() => useConsumerRepo(undefined));
beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'checkout-test-'));
});
afterEach(() => rmSync(workspace, { recursive: true, force: true }));

describe('the consumer repository', () => {
  it('is the fixture plus the asked commits and tags, made once per process', () => {
    expect(repo.commits).toHaveLength(3);
    expect(repo.tags['v1.0.0']).toBe(repo.commits[1]);
    expect(
      createConsumerRepo({
        commits: [{ message: 'second' }, { message: 'third', files: { 'services/api/app.txt': 'api v3\n' } }],
        tags: { 'v1.0.0-rc.1': 1, 'v1.0.0': 1 },
        annotated: ['v1.0.0'],
        refs: { 'refs/pull/7/merge': 2 },
      }),
    ).toBe(repo);
    expect(git(repo.dir, ['cat-file', '-t', 'v1.0.0'])).toBe('tag');
  });

  it('fills the environment file placeholders it is given', () => {
    const filled = createConsumerRepo({ values: { __CLUSTER__: 'pr-environments' } });
    expect(readFileSync(join(filled.dir, '.github/preview.yml'), 'utf8')).toContain('cluster: pr-environments\n');
  });
});

describe('the actions/checkout stand-in', () => {
  it("checks out the event's sha on its branch, one commit deep", async () => {
    writeFileSync(join(workspace, 'stale.txt'), 'left from an earlier step');
    const step = exampleStep(
      'actions/checkout@v4',
      {},
      { workspace, job: { ref: 'refs/heads/main', sha: repo.commits[1]! } },
    );
    expect(await checkout(step)).toEqual({
      outcome: 'success',
      outputs: { ref: 'refs/heads/main', commit: repo.commits[1] },
    });
    expect(git(workspace, ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe('main');
    expect(git(workspace, ['rev-list', '--count', 'HEAD'])).toBe('1');
    expect(readFileSync(join(workspace, 'services/worker/Dockerfile'), 'utf8')).toMatch(/^FROM scratch/);
    expect(() => readFileSync(join(workspace, 'stale.txt'))).toThrow();
  });

  it('checks out a tag push detached at the tag', async () => {
    const step = exampleStep(
      'actions/checkout@v4',
      {},
      { workspace, job: { ref: 'refs/tags/v1.0.0', sha: repo.commits[1]! } },
    );
    const result = await checkout(step);
    expect(result).toMatchObject({ outcome: 'success', outputs: { commit: repo.commits[1] } });
    expect(git(workspace, ['tag', '--points-at', 'HEAD'])).toBe('v1.0.0');
  });

  it('checks out a pull request merge ref at its sha', async () => {
    const step = exampleStep(
      'actions/checkout@v4',
      {},
      { workspace, job: { ref: 'refs/pull/7/merge', sha: repo.commits[2]!, eventName: 'pull_request' } },
    );
    expect(await checkout(step)).toMatchObject({ outcome: 'success', outputs: { commit: repo.commits[2] } });
    expect(readFileSync(join(workspace, 'services/api/app.txt'), 'utf8')).toBe('api v3\n');
  });

  it('honours ref, path and fetch-depth 0 (all history and tags)', async () => {
    const step = exampleStep(
      'actions/checkout@v4',
      { ref: 'v1.0.0-rc.1', path: 'src', 'fetch-depth': '0' },
      { workspace },
    );
    expect(await checkout(step)).toMatchObject({
      outcome: 'success',
      outputs: { ref: 'v1.0.0-rc.1', commit: repo.commits[1] },
    });
    expect(git(join(workspace, 'src'), ['rev-list', '--count', '--all'])).toBe('3');
    expect(git(join(workspace, 'src'), ['tag', '--list']).split('\n').sort()).toEqual(['v1.0.0', 'v1.0.0-rc.1']);
  });

  it('fails on a sha the repository does not have, and on a path outside the workspace', async () => {
    const missing = 'f'.repeat(40);
    expect(await checkout(exampleStep('actions/checkout@v4', {}, { workspace, job: { sha: missing } }))).toMatchObject({
      outcome: 'failure',
      error: expect.stringContaining('is not in the consumer repository'),
    });
    expect(await checkout(exampleStep('actions/checkout@v4', { path: '../elsewhere' }, { workspace }))).toMatchObject({
      outcome: 'failure',
      error: expect.stringContaining('is not under'),
    });
  });

  it('refuses inputs it does not implement, naming them', async () => {
    const result = await checkout(
      exampleStep('actions/checkout@v4', { token: 'x', submodules: 'true' }, { workspace }),
    );
    expect(result).toEqual({
      outcome: 'failure',
      error: expect.stringMatching(/^actions\/checkout stand-in: input 'token', 'submodules' is not implemented/),
    });
  });
});
