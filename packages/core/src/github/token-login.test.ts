import { createFakeOctokit } from './fake-github.test-helper.js';
import { GITHUB_ACTIONS_LOGIN, readTokenLogin } from './token-login.js';

describe('readTokenLogin', () => {
  it('falls back to github-actions[bot] when neither /user nor viewer answers, and asks only once', async () => {
    const { octokit, requests } = createFakeOctokit((request) =>
      request.path === '/graphql'
        ? {
            status: 200,
            body: { data: null, errors: [{ type: 'FORBIDDEN', message: 'Resource not accessible by integration' }] },
          }
        : { status: 403, body: { message: 'Resource not accessible by integration' } },
    );
    expect(await readTokenLogin({ octokit })).toBe(GITHUB_ACTIONS_LOGIN);
    expect(await readTokenLogin({ octokit })).toBe(GITHUB_ACTIONS_LOGIN);
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /user', 'POST /graphql']);
  });

  it('prefers an override without calling the API', async () => {
    const { octokit, requests } = createFakeOctokit(() => ({ status: 500 }));
    expect(await readTokenLogin({ octokit, override: ' my-app[bot] ' })).toBe('my-app[bot]');
    expect(requests).toHaveLength(0);
  });
});
