import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { createGitHubAdminClient } from '../standins/github/admin-client.js';
import { createOpenApiValidator } from '../standins/github/openapi-validator.js';
import { matchRoute } from '../standins/github/router.js';
import { startGitHubStandIn, type GitHubStandIn } from '../standins/github/server.js';
import { repoRoot } from '../harness/paths.js';

type Octokit = ReturnType<typeof getOctokit>;

const repo = { owner: 'octo-org', repo: 'octo-repo' };
const botToken = 'ghs_standInBotToken';
const maintainerToken = 'ghp_standInMaintainer';
const outsiderToken = 'ghp_standInOutsider';

let standIn: GitHubStandIn;
let bot: Octokit;
let maintainer: Octokit;
let outsider: Octokit;
/** Every response the clients saw, checked on the client side against the OpenAPI description. */
const checked: { operation: string; status: number; errors: string[]; described: boolean }[] = [];

function createClient(token: string): Octokit {
  const octokit = getOctokit(token, { baseUrl: standIn.url, request: { retries: 0 } });
  const validator = createOpenApiValidator();
  const record = (method: string, url: string, status: number, data: unknown): void => {
    // Octokit's paginate follows Link headers with full URLs; map them back to their templates.
    const template = url.startsWith('http')
      ? matchRoute(standIn.routes, method, new URL(url).pathname)?.route.template
      : url;
    if (status === 204 || url === '/graphql' || template === undefined) return;
    const result = validator.checkResponse(method, template, status, data);
    checked.push({ operation: `${method} ${template}`, status, errors: result.errors, described: result.described });
  };
  octokit.hook.after('request', (response, options) =>
    record(options.method, options.url, response.status, response.data),
  );
  octokit.hook.error('request', (error, options) => {
    const failure = error as { status?: number; response?: { data?: unknown } };
    if (failure.status !== undefined) record(options.method, options.url, failure.status, failure.response?.data);
    throw error;
  });
  return octokit;
}

async function readStatus(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (error) {
    return (error as { status: number }).status;
  }
}

beforeAll(async () => {
  standIn = await startGitHubStandIn({ token: botToken, validateResponses: true, log: () => undefined });
  standIn.admin.addToken({ token: maintainerToken, login: 'Maint-Ainer' });
  standIn.admin.addToken({ token: outsiderToken, login: 'outsider' });
  standIn.admin.addCollaborator({ repo: 'octo-org/octo-repo', login: 'maint-ainer', role: 'maintain' });
  bot = createClient(botToken);
  maintainer = createClient(maintainerToken);
  outsider = createClient(outsiderToken);
});

afterAll(async () => {
  await standIn?.close();
});

describe('authentication and rate limits', () => {
  it('maps each token to its login and type', async () => {
    expect((await bot.rest.users.getAuthenticated()).data).toMatchObject({
      login: 'preview-actions[bot]',
      type: 'Bot',
    });
    expect((await maintainer.rest.users.getAuthenticated()).data).toMatchObject({ login: 'Maint-Ainer', type: 'User' });
  });

  it('answers an unknown or missing token with 401 and GitHub’s body', async () => {
    const wrong = await fetch(`${standIn.url}/user`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ message: 'Bad credentials', documentation_url: expect.any(String) });
    const missing = await fetch(`${standIn.url}/user`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ message: 'Requires authentication' });
    expect(missing.headers.get('x-ratelimit-limit')).toBe('60');
  });

  it('sends the rate-limit headers on every response and spends one point per call', async () => {
    const first = await bot.rest.repos.get(repo);
    const second = await bot.rest.repos.get(repo);
    for (const header of [
      'x-ratelimit-limit',
      'x-ratelimit-remaining',
      'x-ratelimit-used',
      'x-ratelimit-reset',
      'x-ratelimit-resource',
    ]) {
      expect(first.headers[header]).toBeDefined();
    }
    expect(first.headers['x-ratelimit-resource']).toBe('core');
    expect(Number(second.headers['x-ratelimit-remaining'])).toBe(Number(first.headers['x-ratelimit-remaining']) - 1);
    const limits = await bot.rest.rateLimit.get();
    expect(limits.data.resources.core.remaining).toBe(Number(second.headers['x-ratelimit-remaining']));
    const missing = await readStatus(bot.rest.pulls.get({ ...repo, pull_number: 9999 }));
    expect(missing).toBe(404);
  });

  it('answers 403 with remaining 0 once the budget is spent', async () => {
    standIn.admin.addToken({ token: 'ghp_spent', login: 'spent-user' });
    standIn.admin.setRateLimit({ login: 'spent-user', remaining: 0, resetInSeconds: 120 });
    const response = await fetch(`${standIn.url}/user`, { headers: { authorization: 'token ghp_spent' } });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(((await response.json()) as { message: string }).message).toMatch(/rate limit exceeded/);
  });
});

describe('git refs and tags', () => {
  it('lists matching refs, reads one, creates one and refuses a duplicate', async () => {
    const main = await bot.rest.git.getRef({ ...repo, ref: 'heads/main' });
    expect(main.data).toMatchObject({ ref: 'refs/heads/main', object: { type: 'commit' } });
    standIn.admin.createTag({ repo: 'octo-org/octo-repo', tag: 'v1.0.0' });
    standIn.admin.createTag({ repo: 'octo-org/octo-repo', tag: 'v1.1.0', annotated: true, message: 'Release v1.1.0' });
    const created = await bot.rest.git.createRef({ ...repo, ref: 'refs/tags/v1.2.0', sha: main.data.object.sha });
    expect(created.status).toBe(201);
    const tags = await bot.rest.git.listMatchingRefs({ ...repo, ref: 'tags/v1.' });
    expect(tags.data.map((r) => r.ref)).toEqual(['refs/tags/v1.0.0', 'refs/tags/v1.1.0', 'refs/tags/v1.2.0']);
    expect(
      await readStatus(bot.rest.git.createRef({ ...repo, ref: 'refs/tags/v1.2.0', sha: main.data.object.sha })),
    ).toBe(422);
    expect(await readStatus(bot.rest.git.getRef({ ...repo, ref: 'tags/v9.9.9' }))).toBe(404);
  });

  it('resolves an annotated tag to its commit', async () => {
    const ref = await bot.rest.git.getRef({ ...repo, ref: 'tags/v1.1.0' });
    expect(ref.data.object.type).toBe('tag');
    const tag = await bot.rest.git.getTag({ ...repo, tag_sha: ref.data.object.sha });
    expect(tag.data).toMatchObject({ tag: 'v1.1.0', message: 'Release v1.1.0', object: { type: 'commit' } });
    const main = await bot.rest.git.getRef({ ...repo, ref: 'heads/main' });
    expect(tag.data.object.sha).toBe(main.data.object.sha);
  });
});

describe('pull requests', () => {
  it('reports head, base, labels, author and fork origin', async () => {
    const own = standIn.admin.createPullRequest({
      repo: 'octo-org/octo-repo',
      author: 'maint-ainer',
      labels: ['preview'],
      headRef: 'feat/own',
    });
    const forked = standIn.admin.createPullRequest({
      repo: 'octo-org/octo-repo',
      author: 'forker',
      headRepo: 'forker/octo-repo',
      headRef: 'main',
    });
    const ownData = (await bot.rest.pulls.get({ ...repo, pull_number: own.number })).data;
    expect(ownData).toMatchObject({
      state: 'open',
      merged: false,
      merged_at: null,
      head: { sha: own.head.sha, ref: 'feat/own', repo: { full_name: 'octo-org/octo-repo' } },
      base: { ref: 'main' },
      user: { login: 'Maint-Ainer' },
    });
    expect(ownData.labels.map((l) => l.name)).toEqual(['preview']);
    const forkData = (await bot.rest.pulls.get({ ...repo, pull_number: forked.number })).data;
    expect(forkData.head.repo?.full_name).toBe('forker/octo-repo');
    expect(forkData.head.repo?.fork).toBe(true);
    const issue = await bot.rest.issues.get({ ...repo, issue_number: own.number });
    expect(issue.data.pull_request?.url).toContain(`/pulls/${own.number}`);
  });

  it('merges, closes and lists by state, paginating with Link headers', async () => {
    const merged = standIn.admin.createPullRequest({ repo: 'octo-org/octo-repo' });
    const closed = standIn.admin.createPullRequest({ repo: 'octo-org/octo-repo' });
    standIn.admin.mergePullRequest({ repo: 'octo-org/octo-repo', number: merged.number });
    standIn.admin.closePullRequest({ repo: 'octo-org/octo-repo', number: closed.number });
    const mergedData = (await bot.rest.pulls.get({ ...repo, pull_number: merged.number })).data;
    expect(mergedData).toMatchObject({
      state: 'closed',
      merged: true,
      merged_at: expect.any(String),
      merged_by: { login: 'octocat' },
    });
    const closedList = await bot.paginate(bot.rest.pulls.list, { ...repo, state: 'closed', per_page: 1 });
    expect(closedList.map((p) => p.number).sort()).toEqual([merged.number, closed.number].sort());
    const firstPage = await bot.rest.pulls.list({ ...repo, state: 'all', per_page: 1 });
    expect(firstPage.headers.link).toMatch(/rel="next"/);
    const open = await bot.rest.pulls.list({ ...repo, state: 'open' });
    expect(open.data.every((p) => p.state === 'open')).toBe(true);
  });
});

describe('issue comments, reactions and the timeline', () => {
  it('creates, lists (paginated), updates and deletes comments with their authors', async () => {
    const pull = standIn.admin.createPullRequest({ repo: 'octo-org/octo-repo' });
    const mine = await bot.rest.issues.createComment({
      ...repo,
      issue_number: pull.number,
      body: '<!-- preview-actions:deploy -->\nhello',
    });
    expect(mine.status).toBe(201);
    expect(mine.data.user).toMatchObject({ login: 'preview-actions[bot]', type: 'Bot' });
    const theirs = await maintainer.rest.issues.createComment({
      ...repo,
      issue_number: pull.number,
      body: '/preview deploy',
    });
    expect(theirs.data).toMatchObject({
      user: { login: 'Maint-Ainer', type: 'User' },
      author_association: 'COLLABORATOR',
    });
    await outsider.rest.issues.createComment({ ...repo, issue_number: pull.number, body: 'third' });
    const page = await bot.rest.issues.listComments({ ...repo, issue_number: pull.number, per_page: 2 });
    expect(page.data).toHaveLength(2);
    expect(page.headers.link).toContain('rel="next"');
    const all = await bot.paginate(bot.rest.issues.listComments, { ...repo, issue_number: pull.number, per_page: 2 });
    expect(all.map((c) => c.body)).toEqual(['<!-- preview-actions:deploy -->\nhello', '/preview deploy', 'third']);
    const updated = await bot.rest.issues.updateComment({ ...repo, comment_id: mine.data.id, body: 'updated' });
    expect(updated.data.body).toBe('updated');
    expect((await bot.rest.issues.getComment({ ...repo, comment_id: mine.data.id })).data.body).toBe('updated');
    expect((await bot.rest.issues.deleteComment({ ...repo, comment_id: mine.data.id })).status).toBe(204);
    expect(await readStatus(bot.rest.issues.getComment({ ...repo, comment_id: mine.data.id }))).toBe(404);
  });

  it('adds reactions once per user and content', async () => {
    const pull = standIn.admin.createPullRequest({ repo: 'octo-org/octo-repo' });
    const comment = standIn.admin.createComment({
      repo: 'octo-org/octo-repo',
      issueNumber: pull.number,
      body: '/preview deploy',
      author: 'maint-ainer',
    });
    const first = await bot.rest.reactions.createForIssueComment({ ...repo, comment_id: comment.id, content: 'eyes' });
    const again = await bot.rest.reactions.createForIssueComment({ ...repo, comment_id: comment.id, content: 'eyes' });
    await bot.rest.reactions.createForIssueComment({ ...repo, comment_id: comment.id, content: 'rocket' });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.data.id).toBe(first.data.id);
    const eyes = await bot.rest.reactions.listForIssueComment({ ...repo, comment_id: comment.id, content: 'eyes' });
    expect(eyes.data.map((r) => [r.content, r.user?.login])).toEqual([['eyes', 'preview-actions[bot]']]);
    expect(
      await readStatus(
        bot.rest.reactions.createForIssueComment({ ...repo, comment_id: comment.id, content: 'nope' as 'eyes' }),
      ),
    ).toBe(422);
  });

  it('puts committed events with their dates on the timeline', async () => {
    const pull = standIn.admin.createPullRequest({ repo: 'octo-org/octo-repo' });
    const pushed = standIn.admin.pushCommits({
      repo: 'octo-org/octo-repo',
      number: pull.number,
      count: 2,
      date: '2030-01-02T03:04:05Z',
    });
    standIn.admin.createComment({
      repo: 'octo-org/octo-repo',
      issueNumber: pull.number,
      body: 'hi',
      author: 'outsider',
    });
    standIn.admin.updatePullRequest({ repo: 'octo-org/octo-repo', number: pull.number, labels: ['preview'] });
    const events = await bot.paginate(bot.rest.issues.listEventsForTimeline, {
      ...repo,
      issue_number: pull.number,
      per_page: 100,
    });
    const committed = events.filter((e) => e.event === 'committed') as {
      sha?: string;
      committer?: { date?: string };
    }[];
    expect(committed.map((e) => e.sha)).toEqual([pull.commits[0], ...pushed.shas]);
    expect(committed.slice(1).map((e) => e.committer?.date)).toEqual(['2030-01-02T03:04:05Z', '2030-01-02T03:04:05Z']);
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['commented', 'labeled']));
    expect((await bot.rest.pulls.get({ ...repo, pull_number: pull.number })).data.head.sha).toBe(pushed.sha);
  });

  it('stamps a force push on the timeline and replaces the commits', async () => {
    const pull = standIn.admin.createPullRequest({ repo: 'octo-org/octo-repo', commits: 2 });
    const pushed = standIn.admin.pushCommits({
      repo: 'octo-org/octo-repo',
      number: pull.number,
      force: true,
      date: '2001-01-01T00:00:00Z',
    });
    const events = await bot.paginate(bot.rest.issues.listEventsForTimeline, {
      ...repo,
      issue_number: pull.number,
      per_page: 100,
    });
    const committed = events.filter((e) => e.event === 'committed') as { sha?: string }[];
    expect(committed.map((e) => e.sha)).toEqual(pushed.shas);
    const forced = events.find((e) => e.event === 'head_ref_force_pushed') as
      { created_at?: string; commit_id?: string } | undefined;
    expect(forced?.commit_id).toBe(pushed.sha);
    expect(Date.parse(forced?.created_at ?? '')).toBeGreaterThan(Date.parse('2020-01-01T00:00:00Z'));
  });
});

describe('clock', () => {
  it('stamps with the injected clock, and a comment bumps the pull request’s updated_at', async () => {
    let now = Date.parse('2030-05-01T10:00:00Z');
    const clocked = await startGitHubStandIn({ token: 'ghp_clock', now: () => new Date(now) });
    try {
      const pull = clocked.admin.createPullRequest({ repo: 'octo-org/octo-repo' });
      now += 60_000;
      clocked.admin.createComment({
        repo: 'octo-org/octo-repo',
        issueNumber: pull.number,
        body: 'hi',
        author: 'octocat',
      });
      const response = await fetch(`${clocked.url}/repos/octo-org/octo-repo/pulls/${pull.number}`, {
        headers: { authorization: 'token ghp_clock' },
      });
      expect(await response.json()).toMatchObject({
        created_at: '2030-05-01T10:00:00Z',
        updated_at: '2030-05-01T10:01:00Z',
      });
    } finally {
      await clocked.close();
    }
  });
});

describe('collaborator permission', () => {
  it('matches logins case-insensitively and reports permission and role name', async () => {
    const data = (await bot.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: 'MAINT-AINER' })).data;
    expect(data).toMatchObject({ permission: 'write', role_name: 'maintain', user: { login: 'Maint-Ainer' } });
    const owner = (await bot.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: 'octo-org' })).data;
    expect(owner.permission).toBe('admin');
  });

  it('answers 404 for non-collaborators and unknown users', async () => {
    expect(await readStatus(bot.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: 'outsider' }))).toBe(
      404,
    );
    expect(
      await readStatus(bot.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: 'maint-ainer-x' })),
    ).toBe(404);
  });
});

describe('deployments and environments', () => {
  it('creates deployments, filters the list and marks earlier successes inactive', async () => {
    const pull = standIn.admin.createPullRequest({ repo: 'octo-org/octo-repo', headRef: 'feat/deploy' });
    const first = await bot.rest.repos.createDeployment({
      ...repo,
      ref: pull.head.sha,
      environment: 'pr-42',
      transient_environment: true,
      auto_merge: false,
      required_contexts: [],
      payload: { pr: 42 },
    });
    expect(first.status).toBe(201);
    const firstId = (first.data as { id: number }).id;
    await bot.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: firstId,
      state: 'success',
      environment_url: 'https://pr-42.example.test',
    });
    const second = await bot.rest.repos.createDeployment({
      ...repo,
      ref: 'feat/deploy',
      environment: 'pr-42',
      auto_merge: false,
      required_contexts: [],
    });
    const secondData = second.data as { id: number; sha: string; production_environment?: boolean };
    expect(secondData.sha).toBe(pull.head.sha);
    expect(secondData.production_environment).toBe(false);
    await bot.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: secondData.id,
      state: 'success',
      environment_url: 'https://pr-42.example.test',
    });
    const third = await bot.rest.repos.createDeployment({
      ...repo,
      ref: 'main',
      environment: 'pr-42',
      auto_merge: false,
      required_contexts: [],
    });
    const thirdId = (third.data as { id: number }).id;
    await bot.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: thirdId,
      state: 'success',
      log_url: 'https://ci.example.test/1',
    });

    const latest = async (id: number): Promise<string | undefined> =>
      (await bot.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: id })).data[0]?.state;
    expect(await latest(firstId)).toBe('success');
    expect(await latest(secondData.id)).toBe('inactive');
    expect(await latest(thirdId)).toBe('success');
    const status = (await bot.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: thirdId })).data[0];
    expect(
      (await bot.rest.repos.getDeploymentStatus({ ...repo, deployment_id: thirdId, status_id: status?.id ?? 0 })).data
        .log_url,
    ).toBe('https://ci.example.test/1');

    const byEnvironment = await bot.rest.repos.listDeployments({ ...repo, environment: 'pr-42' });
    expect(byEnvironment.data.map((d) => d.id)).toEqual([thirdId, secondData.id, firstId]);
    const bySha = await bot.rest.repos.listDeployments({ ...repo, sha: pull.head.sha, ref: 'feat/deploy' });
    expect(bySha.data.map((d) => d.id)).toEqual([secondData.id]);
    expect((await bot.rest.repos.getDeployment({ ...repo, deployment_id: firstId })).data.payload).toEqual({ pr: 42 });
    expect(
      await readStatus(bot.rest.repos.createDeployment({ ...repo, ref: 'no-such-branch', auto_merge: false })),
    ).toBe(422);
  });

  it('deletes only inactive deployments', async () => {
    const created = await bot.rest.repos.createDeployment({
      ...repo,
      ref: 'main',
      environment: 'pr-7',
      auto_merge: false,
      required_contexts: [],
    });
    const id = (created.data as { id: number }).id;
    await bot.rest.repos.createDeploymentStatus({ ...repo, deployment_id: id, state: 'success' });
    expect(await readStatus(bot.rest.repos.deleteDeployment({ ...repo, deployment_id: id }))).toBe(422);
    await bot.rest.repos.createDeploymentStatus({ ...repo, deployment_id: id, state: 'inactive' });
    expect((await bot.rest.repos.deleteDeployment({ ...repo, deployment_id: id })).status).toBe(204);
    expect(await readStatus(bot.rest.repos.getDeployment({ ...repo, deployment_id: id }))).toBe(404);
  });

  it('gets, puts and deletes environments, deleting their deployments too', async () => {
    expect(await readStatus(bot.rest.repos.getEnvironment({ ...repo, environment_name: 'pr-99' }))).toBe(404);
    const put = await bot.rest.repos.createOrUpdateEnvironment({ ...repo, environment_name: 'pr-99', wait_timer: 0 });
    expect(put.data.name).toBe('pr-99');
    expect((await bot.rest.repos.getEnvironment({ ...repo, environment_name: 'pr-99' })).data.name).toBe('pr-99');
    const deployment = await bot.rest.repos.createDeployment({
      ...repo,
      ref: 'main',
      environment: 'pr-99',
      auto_merge: false,
      required_contexts: [],
    });
    const all = await bot.rest.repos.getAllEnvironments(repo);
    expect(all.data.environments?.map((e) => e.name)).toContain('pr-99');
    expect((await bot.rest.repos.deleteAnEnvironment({ ...repo, environment_name: 'pr-99' })).status).toBe(204);
    expect(
      await readStatus(
        bot.rest.repos.getDeployment({ ...repo, deployment_id: (deployment.data as { id: number }).id }),
      ),
    ).toBe(404);
  });
});

describe('check runs and commit statuses', () => {
  it('creates and completes a check run', async () => {
    const pull = standIn.admin.createPullRequest({ repo: 'octo-org/octo-repo' });
    const run = await bot.rest.checks.create({
      ...repo,
      name: 'preview',
      head_sha: pull.head.sha,
      status: 'in_progress',
      output: { title: 'Deploying', summary: 'pr-1' },
    });
    expect(run.data).toMatchObject({ status: 'in_progress', conclusion: null, app: { slug: 'preview-actions' } });
    const done = await bot.rest.checks.update({
      ...repo,
      check_run_id: run.data.id,
      conclusion: 'success',
      output: { title: 'Deployed', summary: 'ok' },
    });
    expect(done.data).toMatchObject({ status: 'completed', conclusion: 'success', output: { title: 'Deployed' } });
    expect((await bot.rest.checks.get({ ...repo, check_run_id: run.data.id })).data.completed_at).toEqual(
      expect.any(String),
    );
    const forRef = await bot.rest.checks.listForRef({ ...repo, ref: pull.head.sha });
    expect(forRef.data.check_runs.map((r) => r.id)).toEqual([run.data.id]);
  });

  it('creates and lists commit statuses', async () => {
    const pull = standIn.admin.createPullRequest({ repo: 'octo-org/octo-repo' });
    const created = await bot.rest.repos.createCommitStatus({
      ...repo,
      sha: pull.head.sha,
      state: 'pending',
      context: 'preview',
      description: 'Deploying',
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({
      state: 'pending',
      context: 'preview',
      creator: { login: 'preview-actions[bot]' },
    });
    const listed = await bot.rest.repos.listCommitStatusesForRef({ ...repo, ref: pull.head.sha });
    expect(listed.data.map((s) => s.id)).toEqual([created.data.id]);
  });
});

describe('GraphQL', () => {
  it('answers a batched query of pull request states in one request', async () => {
    const open = standIn.admin.createPullRequest({ repo: 'octo-org/octo-repo', labels: ['preview', 'keep'] });
    const gone = standIn.admin.createPullRequest({ repo: 'octo-org/octo-repo' });
    standIn.admin.mergePullRequest({ repo: 'octo-org/octo-repo', number: gone.number });
    const before = standIn.requests.count('POST /graphql');
    const result = await bot.graphql<{
      repository: Record<
        string,
        { number: number; state: string; merged: boolean; updatedAt: string; labels: { nodes: { name: string }[] } }
      >;
      rateLimit: { cost: number; remaining: number };
    }>(`query { repository(owner:"octo-org", name:"octo-repo") {
      pr${open.number}: pullRequest(number:${open.number}) { number state merged updatedAt labels(first:20){ nodes { name } } }
      pr${gone.number}: pullRequest(number:${gone.number}) { number state merged updatedAt labels(first:20){ nodes { name } } }
    } rateLimit { cost remaining } }`);
    expect(standIn.requests.count('POST /graphql') - before).toBe(1);
    expect(result.repository[`pr${open.number}`]).toMatchObject({
      state: 'OPEN',
      merged: false,
      labels: { nodes: [{ name: 'preview' }, { name: 'keep' }] },
    });
    expect(result.repository[`pr${gone.number}`]).toMatchObject({ state: 'MERGED', merged: true });
    expect(result.rateLimit).toEqual({ cost: 1, remaining: expect.any(Number) });
  });

  it('returns partial data and a NOT_FOUND error for a missing pull request', async () => {
    const response = await fetch(standIn.graphqlUrl, {
      method: 'POST',
      headers: { authorization: `bearer ${botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          'query($n:Int!) { repository(owner:"octo-org", name:"octo-repo") { gone: pullRequest(number:$n) { number } } }',
        variables: { n: 99999 },
      }),
    });
    expect(response.headers.get('x-ratelimit-resource')).toBe('graphql');
    const body = (await response.json()) as { data: unknown; errors: { type: string; path: string[] }[] };
    expect(body.data).toEqual({ repository: { gone: null } });
    expect(body.errors[0]).toMatchObject({ type: 'NOT_FOUND', path: ['repository', 'gone'] });
  });

  it('minimizes a comment by its REST node_id, which REST then reports', async () => {
    const pull = standIn.admin.createPullRequest({ repo: 'octo-org/octo-repo' });
    const created = await bot.rest.issues.createComment({ ...repo, issue_number: pull.number, body: 'old preview' });
    const result = await bot.graphql<{
      minimizeComment: { minimizedComment: { isMinimized: boolean; minimizedReason: string } };
    }>(
      'mutation($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { minimizedComment { isMinimized minimizedReason } } }',
      { id: created.data.node_id },
    );
    expect(result.minimizeComment.minimizedComment).toEqual({ isMinimized: true, minimizedReason: 'outdated' });
    const read = await bot.rest.issues.getComment({ ...repo, comment_id: created.data.id });
    expect((read.data as { minimized?: { reason: string } }).minimized).toEqual({ reason: 'outdated' });
    await expect(
      bot.graphql(
        'mutation { minimizeComment(input: { subjectId: "bm9wZQ==", classifier: OUTDATED }) { clientMutationId } }',
      ),
    ).rejects.toThrow(/Could not resolve/);
  });

  it('rejects fields the schema does not have, and unbounded connections', async () => {
    await expect(bot.graphql('query { repository(owner:"octo-org", name:"octo-repo") { nope } }')).rejects.toThrow(
      /nope/,
    );
    await expect(
      bot.graphql(
        'query { repository(owner:"octo-org", name:"octo-repo") { pullRequest(number:1) { labels { nodes { name } } } } }',
      ),
    ).rejects.toThrow(/first/);
  });
});

describe('admin, faults and the standalone process', () => {
  it('seeds and inspects over HTTP', async () => {
    const admin = createGitHubAdminClient(standIn.adminUrl);
    await admin.call('addToken', { token: 'ghp_viaAdmin', login: 'via-admin' });
    const pull = await admin.call('createPullRequest', { repo: 'octo-org/octo-repo', author: 'via-admin' });
    const client = createClient('ghp_viaAdmin');
    expect((await client.rest.pulls.get({ ...repo, pull_number: pull.number })).data.user.login).toBe('via-admin');
    const snapshot = await admin.call('snapshot');
    expect(snapshot.pullRequests.some((p) => p.number === pull.number)).toBe(true);
    const requests = await admin.call('readRequests');
    expect(requests.counts['GET /repos/{owner}/{repo}/pulls/{pull_number}']).toBeGreaterThan(0);
    await expect(admin.call('nope' as 'snapshot')).rejects.toThrow(/unknown admin operation/);
  });

  it('answers an injected fault once, then the real route', async () => {
    standIn.admin.injectFault({ method: 'GET', path: '/repos/{owner}/{repo}', status: 502 });
    expect(await readStatus(bot.rest.repos.get(repo))).toBe(502);
    expect((await bot.rest.repos.get(repo)).status).toBe(200);
  });

  it('starts standalone and prints its URLs as one JSON line', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'test/standins/github/main.ts'), '--token', 'ghp_standalone'],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('stand-in did not print its URLs within 30 s')), 30_000);
        createInterface({ input: child.stdout }).once('line', (text) => {
          clearTimeout(timer);
          resolve(text);
        });
        child.once('exit', (code) => reject(new Error(`stand-in exited early with ${code}`)));
      });
      const urls = JSON.parse(line) as { url: string; graphqlUrl: string; adminUrl: string };
      expect(urls.graphqlUrl).toBe(`${urls.url}/graphql`);
      const user = await fetch(`${urls.url}/user`, { headers: { authorization: 'token ghp_standalone' } });
      expect(((await user.json()) as { login: string }).login).toBe('preview-actions[bot]');
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('OpenAPI conformance', () => {
  it('catches a response that breaks the schema, on both sides', async () => {
    const lines: string[] = [];
    const other = await startGitHubStandIn({
      token: 'ghp_other',
      validateResponses: true,
      log: (line) => lines.push(line),
    });
    try {
      const pull = other.admin.createPullRequest({ repo: 'octo-org/octo-repo' });
      other.admin.updatePullRequest({
        repo: 'octo-org/octo-repo',
        number: pull.number,
        title: 42 as unknown as string,
      });
      const response = await fetch(`${other.url}/repos/octo-org/octo-repo/pulls/${pull.number}`, {
        headers: { authorization: 'token ghp_other' },
      });
      const body: unknown = await response.json();
      expect(other.violations).toHaveLength(1);
      expect(other.violations[0]).toMatch(
        /GET \/repos\/\{owner\}\/\{repo\}\/pulls\/\{pull_number\} 200: \/title must be string/,
      );
      expect(lines).toEqual(other.violations);
      const clientSide = createOpenApiValidator().checkResponse(
        'GET',
        '/repos/{owner}/{repo}/pulls/{pull_number}',
        200,
        body,
      );
      expect(clientSide.valid).toBe(false);
    } finally {
      await other.close();
    }
  });

  it('served every route, and every response matched GitHub’s published schema', () => {
    const unvisited = standIn.routes
      .map((r) => `${r.method} ${r.template}`)
      .filter((key) => !standIn.requests.counts[key]);
    expect(unvisited).toEqual([]);
    expect(checked.filter((c) => !c.described)).toEqual([]);
    expect(checked.filter((c) => c.errors.length > 0)).toEqual([]);
    expect(standIn.violations).toEqual([]);
    expect(checked.length).toBeGreaterThan(60);
  });
});
