import { createFakeOctokit } from './fake-github.test-helper.js';
import { readPermission } from './read-permission.js';

const REPO = { owner: 'octo-org', repo: 'octo-repo' };

describe('readPermission', () => {
  it('allows a custom role whose base permission is allowed, and reports the role name', async () => {
    const { octokit, requests } = createFakeOctokit(() => ({
      status: 200,
      body: { permission: 'write', role_name: 'deployer', user: { login: 'dev' } },
    }));
    expect(await readPermission({ octokit, repo: REPO, login: 'dev' })).toEqual({
      allowed: true,
      role: 'deployer',
      reason: '@dev has deployer access',
    });
    expect(requests[0]!.path).toBe('/repos/octo-org/octo-repo/collaborators/dev/permission');
  });

  it('denies a custom role built on read', async () => {
    const { octokit } = createFakeOctokit(() => ({
      status: 200,
      body: { permission: 'read', role_name: 'auditor', user: { login: 'dev' } },
    }));
    expect((await readPermission({ octokit, repo: REPO, login: 'dev' })).allowed).toBe(false);
  });

  it('refuses logins that are not plain user logins without calling the API', async () => {
    const { octokit, requests } = createFakeOctokit(() => ({ status: 200, body: {} }));
    expect((await readPermission({ octokit, repo: REPO, login: 'a/b' })).allowed).toBe(false);
    expect((await readPermission({ octokit, repo: REPO, login: 'renovate[bot]' })).allowed).toBe(false);
    expect(requests).toHaveLength(0);
  });
});
