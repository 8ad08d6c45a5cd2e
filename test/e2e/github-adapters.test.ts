import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { createLogger, MemoryIO, type Octokit } from '@preview-actions/core/action';
import {
  addReaction,
  createCompletedCheckRun,
  createPreviewDeployment,
  createPromotionDeployment,
  createReplyComment,
  deleteEnvironment,
  markDeploymentsInactive,
  readCommitsAfter,
  readPermission,
  readPullRequestStates,
  readTokenLogin,
  setDeploymentStatus,
  upsertStickyComment,
} from '@preview-actions/core/github';
import { startGitHubStandIn, type GitHubStandIn } from '../standins/github/server.js';

const TOKEN = 'ghs_adapterTest000000000000000000000000';
const BOT = 'preview-actions[bot]';
const FULL = 'octo-org/octo-repo';
const REPO = { owner: 'octo-org', repo: 'octo-repo' };

describe('GitHub adapters against the GitHub stand-in', () => {
  let standIn: GitHubStandIn;
  let octokit: Octokit;

  beforeAll(async () => {
    standIn = await startGitHubStandIn({ token: TOKEN, login: BOT, log: () => undefined, validateResponses: true });
    octokit = getOctokit(TOKEN, { baseUrl: standIn.url, request: { retries: 0 } });
  });

  afterAll(async () => {
    await standIn.close();
  });

  afterEach(() => {
    expect(standIn.violations).toEqual([]);
  });

  beforeEach(() => {
    standIn.faults.clear();
    standIn.requests.reset();
  });

  const openPullRequest = (input: { headRepo?: string } = {}) =>
    standIn.admin.createPullRequest({ repo: FULL, author: 'octocat', ...input });
  const readComment = (id: number) => standIn.state.data.comments.find((c) => c.id === id)!;
  const listComments = (issueNumber: number) =>
    standIn.state.data.comments.filter((c) => c.repo === FULL && c.issueNumber === issueNumber);
  const readDeployment = (id: number) => standIn.state.data.deployments.find((d) => d.id === id)!;
  const listStatuses = (id: number) =>
    standIn.state.data.deploymentStatuses.filter((s) => s.deploymentId === id).sort((a, b) => a.id - b.id);
  const writes = () => standIn.requests.entries.filter((e) => e.method !== 'GET' && e.route !== '/graphql').length;

  describe('sticky comments', () => {
    const sticky = (pr: number, body: string, runId = '100', runAttempt = '1') =>
      upsertStickyComment({ octokit, repo: REPO, issueNumber: pr, header: 'preview', body, runId, runAttempt });

    it('creates once, skips unchanged bodies without writing, and updates changed ones', async () => {
      const { number } = openPullRequest();
      const created = await sticky(number, 'Preview is **ready**');
      expect(created.action).toBe('created');
      const stored = readComment(created.commentId!);
      expect(stored.body).toBe(
        '<!-- preview-actions:preview -->\n<!-- preview-actions:run 100/1 -->\nPreview is **ready**',
      );
      expect(stored.author).toBe(BOT);

      standIn.requests.reset();
      expect(await sticky(number, 'Preview is **ready**', '101')).toMatchObject({
        action: 'unchanged',
        commentId: created.commentId,
      });
      expect(writes()).toBe(0);

      expect(await sticky(number, 'Preview is gone', '102')).toMatchObject({
        action: 'updated',
        commentId: created.commentId,
      });
      expect(readComment(created.commentId!).body).toContain('run 102/1 -->\nPreview is gone');
      expect(listComments(number)).toHaveLength(1);
    });

    it('never edits a comment someone else wrote with the marker pasted in', async () => {
      const { number } = openPullRequest();
      const pasted = standIn.admin.createComment({
        repo: FULL,
        issueNumber: number,
        author: 'mallory',
        body: '<!-- preview-actions:preview -->\n<!-- preview-actions:run 999999/9 -->\nmine',
      });
      const result = await sticky(number, 'ours');
      expect(result.action).toBe('created');
      expect(result.commentId).not.toBe(pasted.id);
      expect(readComment(pasted.id).body).toContain('mine');
    });

    it('never lets an older run overwrite a newer run, but lets a later attempt write', async () => {
      const { number } = openPullRequest();
      const newer = await sticky(number, 'from run 200', '200', '1');
      expect(await sticky(number, 'from run 150', '150', '3')).toMatchObject({
        action: 'stale',
        commentId: newer.commentId,
      });
      expect(readComment(newer.commentId!).body).toContain('from run 200');
      expect(await sticky(number, 'from attempt 2', '200', '2')).toMatchObject({ action: 'updated' });
    });

    it('finds its comment beyond the first page of comments', async () => {
      const { number } = openPullRequest();
      const first = await sticky(number, 'v1');
      for (let i = 0; i < 150; i += 1)
        standIn.admin.createComment({ repo: FULL, issueNumber: number, author: 'octocat', body: `chatter ${i}` });
      expect(await sticky(number, 'v2', '101')).toMatchObject({ action: 'updated', commentId: first.commentId });
      expect(standIn.requests.count('GET /repos/{owner}/{repo}/issues/{issue_number}/comments')).toBeGreaterThanOrEqual(
        2,
      );
    });

    it('truncates an over-long body to 65,536 characters without splitting a surrogate pair', async () => {
      const { number } = openPullRequest();
      const body = '😀'.repeat(40_000);
      const result = await sticky(number, body);
      const stored = readComment(result.commentId!).body;
      expect(stored.length).toBeLessThanOrEqual(65_536);
      expect(stored).toMatch(/… truncated: \d+ characters left out/);
      expect(() => encodeURIComponent(stored)).not.toThrow();
      expect(await sticky(number, body, '101')).toMatchObject({ action: 'unchanged' });
    });

    it('deletes only its own comments', async () => {
      const { number } = openPullRequest();
      await sticky(number, 'ours');
      const other = standIn.admin.createComment({
        repo: FULL,
        issueNumber: number,
        author: 'octocat',
        body: '<!-- preview-actions:preview -->\nnot ours',
      });
      const result = await upsertStickyComment({
        octokit,
        repo: REPO,
        issueNumber: number,
        header: 'preview',
        mode: 'delete',
        runId: '1',
        runAttempt: '1',
      });
      expect(result.action).toBe('deleted');
      expect(listComments(number).map((c) => c.id)).toEqual([other.id]);
      expect(
        (
          await upsertStickyComment({
            octokit,
            repo: REPO,
            issueNumber: number,
            header: 'preview',
            mode: 'delete',
            runId: '1',
            runAttempt: '1',
          })
        ).action,
      ).toBe('absent');
    });
  });

  describe('token login', () => {
    it('reads the login from GET /user, and from the GraphQL viewer when /user is refused', async () => {
      expect(await readTokenLogin({ octokit })).toBe(BOT);
      const appClient = getOctokit(TOKEN, { baseUrl: standIn.url });
      standIn.faults.add({
        method: 'GET',
        path: '/user',
        status: 403,
        body: { message: 'Resource not accessible by integration' },
      });
      expect(await readTokenLogin({ octokit: appClient })).toBe(BOT);
      expect(standIn.requests.count('POST /graphql')).toBe(1);
      expect(await readTokenLogin({ octokit, override: 'my-app[bot]' })).toBe('my-app[bot]');
    });
  });

  describe('deployments', () => {
    it('records a preview deployment with its statuses and marks it inactive', async () => {
      const pull = openPullRequest();
      const id = await createPreviewDeployment({ octokit, repo: REPO, pr: pull.number, ref: pull.head.sha });
      await setDeploymentStatus({ octokit, repo: REPO, deploymentId: id, state: 'in_progress' });
      await setDeploymentStatus({
        octokit,
        repo: REPO,
        deploymentId: id,
        state: 'success',
        environmentUrl: `https://pr-${pull.number}.preview.example.com`,
        description: 'x'.repeat(200),
      });
      const deployment = readDeployment(id);
      expect(deployment).toMatchObject({
        environment: `pr-${pull.number}`,
        transientEnvironment: true,
        productionEnvironment: false,
        ref: pull.head.sha,
      });
      const statuses = listStatuses(id);
      expect(statuses.map((s) => s.state).sort()).toEqual(['in_progress', 'success']);
      expect(statuses.find((s) => s.state === 'success')).toMatchObject({
        environmentUrl: `https://pr-${pull.number}.preview.example.com`,
      });
      expect(statuses.every((s) => s.description.length <= 140)).toBe(true);

      expect(await markDeploymentsInactive({ octokit, repo: REPO, environment: `pr-${pull.number}` })).toBe(1);
      expect(listStatuses(id).at(-1)?.state).toBe('inactive');
      expect(await markDeploymentsInactive({ octokit, repo: REPO, environment: `pr-${pull.number}` })).toBe(0);
    });

    it('records a promotion with the digests it replaced', async () => {
      standIn.admin.createTag({ repo: FULL, tag: 'v1.2.0' });
      const id = await createPromotionDeployment({
        octokit,
        repo: REPO,
        environment: 'prod',
        ref: 'v1.2.0',
        digests: { api: 'sha256:' + 'a'.repeat(64) },
        previousDigests: { api: 'sha256:' + 'b'.repeat(64) },
        production: true,
      });
      expect(readDeployment(id)).toMatchObject({
        environment: 'prod',
        ref: 'v1.2.0',
        productionEnvironment: true,
        transientEnvironment: false,
        payload: { digests: { api: 'sha256:' + 'a'.repeat(64) }, previousDigests: { api: 'sha256:' + 'b'.repeat(64) } },
      });
    });

    it('deletes an environment, reports one already gone, and warns naming the permission when refused', async () => {
      const io = new MemoryIO();
      const log = createLogger(io);
      standIn.admin.upsertEnvironment({ repo: FULL, name: 'pr-900' });
      expect(await deleteEnvironment({ octokit, repo: REPO, name: 'pr-900', log })).toBe('deleted');
      expect(standIn.state.data.environments.find((e) => e.name === 'pr-900')).toBeUndefined();
      expect(await deleteEnvironment({ octokit, repo: REPO, name: 'pr-900', log })).toBe('absent');

      standIn.admin.upsertEnvironment({ repo: FULL, name: 'pr-901' });
      standIn.faults.add({
        method: 'DELETE',
        path: '/repos/{owner}/{repo}/environments/{environment_name}',
        status: 403,
        body: { message: 'Resource not accessible by integration' },
      });
      expect(await deleteEnvironment({ octokit, repo: REPO, name: 'pr-901', log })).toBe('forbidden');
      expect(io.lines).toContainEqual({
        level: 'warning',
        message: expect.stringMatching(/"Administration" repository permission \(write\)/),
      });
    });
  });

  describe('permissions', () => {
    it.each([
      ['admin', true],
      ['maintain', true],
      ['write', true],
      ['triage', false],
      ['read', false],
    ] as const)('reads the %s role by exact login', async (role, allowed) => {
      const login = `user-${role}`;
      standIn.admin.addCollaborator({ repo: FULL, login, role });
      expect(await readPermission({ octokit, repo: REPO, login })).toMatchObject({ allowed, role });
    });

    it('honours a configured role list that excludes write', async () => {
      standIn.admin.addCollaborator({ repo: FULL, login: 'writer', role: 'write' });
      standIn.admin.addCollaborator({ repo: FULL, login: 'maintainer', role: 'maintain' });
      expect(
        (await readPermission({ octokit, repo: REPO, login: 'writer', allowed: ['maintain', 'admin'] })).allowed,
      ).toBe(false);
      expect(
        (await readPermission({ octokit, repo: REPO, login: 'maintainer', allowed: ['maintain', 'admin'] })).allowed,
      ).toBe(true);
    });

    it('denies with "could not verify" when the API fails', async () => {
      standIn.admin.addCollaborator({ repo: FULL, login: 'flaky', role: 'admin' });
      standIn.faults.add({ path: '/repos/{owner}/{repo}/collaborators/{username}/permission', status: 502 });
      expect(await readPermission({ octokit, repo: REPO, login: 'flaky' })).toEqual({
        allowed: false,
        reason: "could not verify @flaky's permission (HTTP 502)",
      });
      expect((await readPermission({ octokit, repo: REPO, login: '../admin' })).allowed).toBe(false);
    });
  });

  describe('pull request states', () => {
    it('reads 150 pull requests in two queries and marks missing ones unknown', async () => {
      const pulls = Array.from({ length: 150 }, () => openPullRequest());
      standIn.admin.closePullRequest({ repo: FULL, number: pulls[0]!.number });
      standIn.admin.mergePullRequest({ repo: FULL, number: pulls[1]!.number });
      standIn.admin.updatePullRequest({ repo: FULL, number: pulls[2]!.number, labels: ['preview:keep'] });
      const missing = 99_999;
      const states = await readPullRequestStates({
        octokit,
        repo: REPO,
        numbers: [...pulls.map((p) => p.number), missing],
      });
      expect(standIn.requests.count('POST /graphql')).toBe(2);
      expect(states.size).toBe(151);
      expect(states.get(pulls[0]!.number)).toMatchObject({ known: true, state: 'CLOSED', merged: false });
      expect(states.get(pulls[1]!.number)).toMatchObject({ known: true, state: 'MERGED', merged: true });
      expect(states.get(pulls[2]!.number)).toMatchObject({
        known: true,
        state: 'OPEN',
        labels: ['preview:keep'],
        headSha: pulls[2]!.head.sha,
        isCrossRepository: false,
      });
      expect(states.get(missing)).toMatchObject({ known: false });
    });

    it('marks a whole batch unknown when the query fails', async () => {
      const pull = openPullRequest();
      standIn.faults.add({ path: '/graphql', status: 502 });
      const states = await readPullRequestStates({ octokit, repo: REPO, numbers: [pull.number] });
      expect(states.get(pull.number)).toMatchObject({ known: false });
    });

    it('sees fork pull requests as cross-repository', async () => {
      const pull = openPullRequest({ headRepo: 'forker/octo-repo' });
      const states = await readPullRequestStates({ octokit, repo: REPO, numbers: [pull.number] });
      expect(states.get(pull.number)).toMatchObject({ known: true, isCrossRepository: true });
    });
  });

  describe('checks, reactions and replies', () => {
    it('records a completed check run on the head sha in one request, its summary cut to the limit', async () => {
      const pull = openPullRequest();
      const id = await createCompletedCheckRun({
        octokit,
        repo: REPO,
        headSha: pull.head.sha,
        name: 'preview',
        conclusion: 'success',
        title: 'Preview ready',
        summary: 's'.repeat(70_000),
      });
      const run = standIn.state.data.checkRuns.find((r) => r.id === id)!;
      expect(run).toMatchObject({ status: 'completed', conclusion: 'success', headSha: pull.head.sha });
      expect(run.output).toMatchObject({ title: 'Preview ready' });
      expect(run.output.summary!.length).toBeLessThanOrEqual(65_535);
    });

    it('reacts to a command and replies mentioning its author', async () => {
      const pull = openPullRequest();
      const command = standIn.admin.createComment({
        repo: FULL,
        issueNumber: pull.number,
        author: 'octocat',
        body: '/deploy',
      });
      await addReaction({ octokit, repo: REPO, commentId: command.id, content: 'eyes' });
      await addReaction({ octokit, repo: REPO, commentId: command.id, content: 'eyes' });
      await addReaction({ octokit, repo: REPO, commentId: command.id, content: 'rocket' });
      const reactions = standIn.state.data.reactions.filter((r) => r.commentId === command.id);
      expect(reactions.map((r) => r.content).sort()).toEqual(['eyes', 'rocket']);
      const reply = await createReplyComment({
        octokit,
        repo: REPO,
        issueNumber: pull.number,
        mention: 'octocat',
        body: 'deploying abc1234',
      });
      expect(readComment(reply.id).body).toBe('@octocat deploying abc1234');
    });
  });

  describe('commits after a comment', () => {
    it('sees commits committed after the comment and ignores earlier ones', async () => {
      const pull = openPullRequest();
      const commentAt = new Date(Date.now() + 60_000);
      expect(await readCommitsAfter({ octokit, repo: REPO, issueNumber: pull.number, since: commentAt })).toMatchObject(
        { reached: false },
      );
      standIn.admin.pushCommits({
        repo: FULL,
        number: pull.number,
        date: new Date(commentAt.getTime() + 5_000).toISOString(),
      });
      const after = await readCommitsAfter({ octokit, repo: REPO, issueNumber: pull.number, since: commentAt });
      expect(after.reached).toBe(true);
      expect(after.reason).toMatch(/was committed at/);
    });

    it('answers unknown when the timeline cannot be read', async () => {
      const pull = openPullRequest();
      standIn.faults.add({ path: '/repos/{owner}/{repo}/issues/{issue_number}/timeline', status: 500 });
      expect(await readCommitsAfter({ octokit, repo: REPO, issueNumber: pull.number, since: new Date() })).toEqual({
        reached: 'unknown',
        reason: 'could not read the timeline (HTTP 500)',
      });
    });
  });
});
