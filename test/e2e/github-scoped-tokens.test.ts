import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createGitHubAdminClient } from '../standins/github/admin-client.js';
import { startGitHubStandIn, type GitHubStandIn } from '../standins/github/server.js';
import { mappedRestRoutes } from '../standins/github/token-permissions.js';

/**
 * Tokens registered with a job's permissions (what the workflow runner hands each job as GITHUB_TOKEN):
 * calls outside them get GitHub's 403, calls inside them and tokens without permissions work as before.
 */

let standIn: GitHubStandIn;
const logged: string[] = [];
const scoped = 'ghs_scopedJobToken00000000000000000000000';
const readOnly = 'ghs_readOnlyJobToken0000000000000000000000';

/** One call as `METHOD /path` with the token. */
async function api(token: string, call: string, body?: unknown) {
  const [method, path] = call.split(' ') as [string, string];
  const response = await fetch(`${standIn.url}${path}`, {
    method,
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  standIn = await startGitHubStandIn({ log: (line) => void logged.push(line) });
  standIn.admin.createPullRequest({ repo: 'octo-org/octo-repo' });
  const client = createGitHubAdminClient(standIn.adminUrl);
  await client.registerScopedToken({
    token: scoped,
    login: 'github-actions[bot]',
    permissions: { contents: 'read', 'pull-requests': 'write', issues: 'none', deployments: 'none' },
  });
  await client.registerScopedToken({
    token: readOnly,
    login: 'github-actions[bot]',
    permissions: { contents: 'read' },
  });
});

afterAll(async () => {
  await standIn.close();
});

describe("a token scoped to a job's permissions", () => {
  it('gets 403 "Resource not accessible by integration" outside its scopes, and nothing is made', async () => {
    const denied = await api(scoped, 'POST /repos/octo-org/octo-repo/deployments', {
      ref: 'main',
      environment: 'pr-1',
    });
    expect(denied.status).toBe(403);
    expect(denied.json).toMatchObject({
      message: 'Resource not accessible by integration',
      documentation_url: expect.stringMatching(/^https:\/\/docs\.github\.com\/rest/),
    });
    expect(standIn.state.snapshot().deployments).toEqual([]);
    expect((await api(readOnly, 'POST /repos/octo-org/octo-repo/issues/1/comments', { body: 'x' })).status).toBe(403);
    expect((await api(readOnly, 'GET /repos/octo-org/octo-repo/pulls/1')).status).toBe(403);
  });

  it('may do what its scopes allow: pull-requests: write comments on a pull request through the issues API', async () => {
    const comment = await api(scoped, 'POST /repos/octo-org/octo-repo/issues/1/comments', { body: 'preview ready' });
    expect(comment.status).toBe(201);
    expect((await api(scoped, 'GET /repos/octo-org/octo-repo/pulls/1')).status).toBe(200);
    expect((await api(readOnly, 'GET /repos/octo-org/octo-repo/git/matching-refs/tags/v')).status).toBe(200);
  });

  it('always has metadata: read', async () => {
    expect((await api(readOnly, 'GET /repos/octo-org/octo-repo')).status).toBe(200);
  });

  it("is refused GraphQL fields outside its scopes with GitHub's FORBIDDEN error", async () => {
    const query = 'query { repository(owner: "octo-org", name: "octo-repo") { pullRequest(number: 1) { number } } }';
    const denied = await api(readOnly, 'POST /graphql', { query });
    expect(denied.status).toBe(200);
    expect(denied.json).toEqual({
      data: null,
      errors: [{ type: 'FORBIDDEN', path: ['pullRequest'], message: 'Resource not accessible by integration' }],
    });
    const allowed = await api(scoped, 'POST /graphql', { query });
    expect(allowed.json).toEqual({ data: { repository: { pullRequest: { number: 1 } } } });
  });

  it('rejects a permission level GitHub does not have', async () => {
    await expect(
      createGitHubAdminClient(standIn.adminUrl).registerScopedToken({
        token: 'ghs_bad',
        login: 'x',
        permissions: { contents: 'admin' as 'write' },
      }),
    ).rejects.toThrow(/permissions.contents: 'admin' is not read, write or none/);
  });
});

describe('tokens registered without permissions', () => {
  it('keep full access', async () => {
    const token = 'ghs_harnessToken000000000000000000000000';
    const made = await api(token, 'POST /repos/octo-org/octo-repo/deployments', {
      ref: 'main',
      environment: 'pr-2',
      auto_merge: false,
      required_contexts: [],
    });
    expect(made.status).toBe(201);
  });
});

describe('the permission table', () => {
  it('maps every route the stand-in serves', () => {
    const served = standIn.routes.map((r) => `${r.method} ${r.template}`);
    expect(served.filter((r) => !mappedRestRoutes().includes(r))).toEqual([]);
  });
});
