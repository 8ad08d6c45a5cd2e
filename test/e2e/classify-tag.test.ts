import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runActionBundle, type ActionRun } from '../harness/index.js';
import { tagPushEvent } from '../harness/events.js';
import { startGitHubStandIn, type GitHubStandIn } from '../standins/github/server.js';

let github: GitHubStandIn;
let rc10Commit = '';
const repo = 'octo-org/octo-repo';

beforeAll(async () => {
  github = await startGitHubStandIn({ validateResponses: true });
  const rc9 = github.state.createCommit({ repo, message: 'rc 9' });
  const rc10 = github.state.createCommit({ repo, message: 'rc 10' });
  rc10Commit = rc10.sha;
  github.state.createTag({ repo, tag: 'v1.8.0-rc.9', sha: rc9.sha });
  github.state.createTag({ repo, tag: 'v1.8.0-rc.10', sha: rc10.sha, annotated: true });
  github.state.createTag({ repo, tag: 'v1.8.0', sha: rc10.sha, annotated: true });
  github.state.createTag({ repo, tag: 'v1.8.01-rc.99' });
  github.state.createTag({ repo, tag: 'v2.0.0', sha: rc9.sha });
  github.state.createTag({ repo, tag: 'v2.0.0-rc.1', sha: rc10.sha });
});

afterAll(async () => {
  expect(github.violations).toEqual([]);
  await github.close();
});

function classify(inputs: Record<string, string>, ref?: string): Promise<ActionRun> {
  const tag = ref ?? inputs.tag ?? '';
  return runActionBundle({
    action: 'classify-tag',
    inputs,
    event: tagPushEvent(tag, '0123456789abcdef0123456789abcdef01234567'),
    ref: `refs/tags/${tag}`,
    env: { GITHUB_API_URL: github.url, GITHUB_GRAPHQL_URL: github.graphqlUrl },
  });
}

function expectOneCleanError(run: ActionRun, pattern: RegExp): void {
  expect(run.exitCode).toBe(1);
  const errors = run.annotations.filter((a) => a.level === 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]!.message).toMatch(pattern);
  expect(errors[0]!.message).not.toContain('\n');
  expect(run.stdout + run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(run.outputs).toEqual({});
}

describe('classify-tag (bundled, as the runner runs it)', () => {
  it('classifies v1.8.0-rc.3 from the pushed ref without calling the API', async () => {
    const before = github.requests.count();
    const run = await classify({}, 'v1.8.0-rc.3');
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      kind: 'rc',
      base: 'v1.8.0',
      rc: '3',
      'env-tag': 'test',
      'is-rc': 'true',
      version: '1.8.0-rc.3',
    });
    expect(github.requests.count()).toBe(before);
    expect(run.summary).toContain('| kind | rc |');
  });

  it('finds the newest RC of a release through the API, rc.10 over rc.9, dereferencing annotated tags', async () => {
    const run = await classify({ 'require-same-commit': 'true' }, 'v1.8.0');
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      kind: 'release',
      'env-tag': 'prod',
      'latest-rc': 'v1.8.0-rc.10',
      'is-release': 'true',
    });
    // v1.8.0-rc.10 is annotated: the output is the commit it points at, not the tag object.
    expect(run.outputs['latest-rc-sha']).toBe(rc10Commit);
    expect(run.masks).toContain('ghs_harnessToken000000000000000000000000');
  });

  it('fails require-same-commit when the release points elsewhere', async () => {
    const run = await classify({ 'require-same-commit': 'true' }, 'v2.0.0');
    expectOneCleanError(
      run,
      /^classify-tag failed: Release v2\.0\.0 points at [0-9a-f]{12}, but its newest RC v2\.0\.0-rc\.1 points at [0-9a-f]{12}/,
    );
  });

  it('fails a release without RC, saying how to fix it', async () => {
    const run = await classify({}, 'v3.0.0');
    expectOneCleanError(
      run,
      /^classify-tag failed: Release v3\.0\.0 has no release candidate: push v3\.0\.0-rc\.1 first, or set require-rc: false$/,
    );
  });

  it.each([
    ['a shell metacharacter', 'v1.2.3;id'],
    ['a 100 KB tag', `v1.2.3${'a'.repeat(100 * 1024)}`],
    ['a leading zero', 'v01.2.3'],
    ['a trailing space', 'v1.2.3 '],
    ['a workflow command', 'v1.2.3\n::set-output name=kind::release'],
  ])('rejects %s with one line and no stack', async (_what, tag) => {
    const run = await classify({ tag });
    expectOneCleanError(
      run,
      /^classify-tag failed: Unsupported tag format: '.*'(… \(\d+ characters\))?\. Expected vX\.Y\.Z or vX\.Y\.Z-rc\.N/,
    );
    expect(run.commands.filter((c) => c.command === 'set-output')).toEqual([]);
    const message = run.annotations[0]!.message;
    expect(message.length).toBeLessThan(300);
  });

  it('rejects an empty tag, saying where the tag comes from', async () => {
    const run = await classify({ tag: '' });
    expectOneCleanError(run, /^classify-tag failed: The tag is empty: run on a tag push, or set the 'tag' input/);
  });

  it('rejects bad inputs before any API call', async () => {
    const before = github.requests.count();
    const run = await classify({ tag: 'v1.0.0', 'require-rc': 'yes', 'env-tags': 'rc=test,beta=x' });
    expectOneCleanError(
      run,
      /Input 'env-tags' has unknown key 'beta': allowed keys are rc, release, snapshot; Input 'require-rc' is 'yes', expected true or false$/,
    );
    expect(github.requests.count()).toBe(before);
  });
});
