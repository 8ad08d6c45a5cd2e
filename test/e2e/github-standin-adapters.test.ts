import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import {
  GITHUB_ACTIONS_LOGIN,
  createGitHubTagSource,
  createPreviewDeployment,
  deleteEnvironment,
  readCommitsAfter,
  readTokenLogin,
  setDeploymentStatus,
  upsertStickyComment,
} from '@preview-actions/core/github';
import type { Logger } from '@preview-actions/core/action';
import { startGitHubStandIn, type GitHubStandIn } from '../standins/github/server.js';

/**
 * The core GitHub adapters on paths that need the stand-in's own features (workflow tokens,
 * minimizeComment, force pushes, annotated tags); test/e2e/github-adapters.test.ts covers the rest.
 */

type Octokit = ReturnType<typeof getOctokit>;

const repo = { owner: 'octo-org', repo: 'octo-repo' };
const repoName = 'octo-org/octo-repo';
let clock = Date.parse('2030-03-01T12:00:00Z');
let standIn: GitHubStandIn;
let admin: Octokit;
let workflow: Octokit;
const warnings: string[] = [];
const log: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warning: (message) => void warnings.push(message),
  error: () => undefined,
  group: (_name, work) => work(),
};

function advance(seconds: number): void {
  clock += seconds * 1000;
}

beforeAll(async () => {
  standIn = await startGitHubStandIn({
    token: 'ghp_admin',
    login: 'octo-admin',
    validateResponses: true,
    now: () => new Date(clock),
  });
  standIn.admin.addCollaborator({ repo: repoName, login: 'octo-admin', role: 'admin' });
  standIn.admin.addToken({ token: 'ghs_workflow', login: GITHUB_ACTIONS_LOGIN, workflow: true });
  admin = getOctokit('ghp_admin', { baseUrl: standIn.url, request: { retries: 0 } });
  workflow = getOctokit('ghs_workflow', { baseUrl: standIn.url, request: { retries: 0 } });
});

afterAll(async () => {
  await standIn?.close();
});

describe('core GitHub adapters on the stand-in’s own features', () => {
  it('reads the login of a personal token, and falls back for a workflow token', async () => {
    expect(await readTokenLogin({ octokit: admin })).toBe('octo-admin');
    expect(await readTokenLogin({ octokit: workflow })).toBe(GITHUB_ACTIONS_LOGIN);
    const viaGraphQL = await fetch(standIn.graphqlUrl, {
      method: 'POST',
      headers: { authorization: 'bearer ghs_workflow' },
      body: JSON.stringify({ query: '{ viewer { login } }' }),
    });
    expect(await viaGraphQL.json()).toMatchObject({ errors: [{ type: 'FORBIDDEN' }] });
  });

  it('keeps one sticky comment per header, leaves look-alikes alone, hides and deletes it', async () => {
    const pull = standIn.admin.createPullRequest({ repo: repoName });
    const request = { octokit: workflow, repo, issueNumber: pull.number, header: 'preview', log };
    standIn.admin.createComment({
      repo: repoName,
      issueNumber: pull.number,
      body: '<!-- preview-actions:preview -->\nfake',
      author: 'mallory',
    });
    const created = await upsertStickyComment({ ...request, runId: '10', runAttempt: '1', body: 'deploying' });
    expect(created.action).toBe('created');
    expect((await upsertStickyComment({ ...request, runId: '11', runAttempt: '1', body: 'ready' })).action).toBe(
      'updated',
    );
    expect((await upsertStickyComment({ ...request, runId: '11', runAttempt: '1', body: 'ready' })).action).toBe(
      'unchanged',
    );
    expect((await upsertStickyComment({ ...request, runId: '9', runAttempt: '1', body: 'old' })).action).toBe('stale');
    expect((await upsertStickyComment({ ...request, runId: '12', runAttempt: '1', mode: 'hide' })).action).toBe(
      'hidden',
    );
    const comments = standIn.state.data.comments.filter((c) => c.issueNumber === pull.number);
    expect(comments.map((c) => [c.author, c.minimizedReason])).toEqual([
      ['mallory', undefined],
      [GITHUB_ACTIONS_LOGIN, 'outdated'],
    ]);
    expect(comments[0]?.body).toContain('fake');
    expect((await upsertStickyComment({ ...request, runId: '12', runAttempt: '1', mode: 'delete' })).action).toBe(
      'deleted',
    );
    expect(standIn.state.data.comments.filter((c) => c.issueNumber === pull.number).map((c) => c.author)).toEqual([
      'mallory',
    ]);
  });

  it('sees commits and force pushes that reached a pull request after a comment', async () => {
    const pull = standIn.admin.createPullRequest({ repo: repoName });
    advance(60);
    const comment = standIn.admin.createComment({
      repo: repoName,
      issueNumber: pull.number,
      body: '/deploy',
      author: 'writer',
    });
    const since = new Date(comment.createdAt);
    const read = () => readCommitsAfter({ octokit: workflow, repo, issueNumber: pull.number, since });
    expect(await read()).toEqual({ reached: false, reason: 'no commits after the comment' });
    advance(60);
    standIn.admin.pushCommits({ repo: repoName, number: pull.number, date: '2001-01-01T00:00:00Z' });
    expect((await read()).reached).toBe(false);
    standIn.admin.pushCommits({ repo: repoName, number: pull.number, force: true, date: '2001-01-01T00:00:00Z' });
    expect(await read()).toMatchObject({ reached: true, reason: expect.stringMatching(/force-pushed/) });
    const other = standIn.admin.createPullRequest({ repo: repoName });
    standIn.admin.pushCommits({ repo: repoName, number: other.number });
    const later = await readCommitsAfter({
      octokit: workflow,
      repo,
      issueNumber: other.number,
      since: new Date(clock - 1000),
    });
    expect(later).toMatchObject({ reached: true, reason: expect.stringMatching(/was committed at/) });
  });

  it('refuses a workflow token environment administration, as GitHub does', async () => {
    const pull = standIn.admin.createPullRequest({ repo: repoName });
    const id = await createPreviewDeployment({ octokit: workflow, repo, pr: pull.number, ref: pull.head.sha });
    await setDeploymentStatus({
      octokit: workflow,
      repo,
      deploymentId: id,
      state: 'success',
      environmentUrl: 'https://pr.example.test',
    });
    const environment = `pr-${pull.number}`;
    expect(await deleteEnvironment({ octokit: workflow, repo, name: environment, log })).toBe('forbidden');
    expect(warnings.at(-1)).toMatch(/Administration/);
    expect(await deleteEnvironment({ octokit: admin, repo, name: environment, log })).toBe('deleted');
  });

  it('lists tags and peels annotated ones', async () => {
    const lightweight = standIn.admin.createTag({ repo: repoName, tag: 'v2.0.0-rc.1' });
    const annotated = standIn.admin.createTag({ repo: repoName, tag: 'v2.0.0-rc.2', annotated: true });
    const source = createGitHubTagSource(async () => workflow, repo);
    const tags = await source.listTags('v2.0.0-rc.');
    expect(tags).toEqual([
      { name: 'v2.0.0-rc.1', objectSha: lightweight.sha, objectType: 'commit' },
      { name: 'v2.0.0-rc.2', objectSha: annotated.sha, objectType: 'tag' },
    ]);
    expect(await source.resolveTagObject(annotated.sha)).toBe(annotated.commitSha);
  });

  it('answered every call with a body that matches GitHub’s OpenAPI description', () => {
    expect(standIn.violations).toEqual([]);
  });
});
