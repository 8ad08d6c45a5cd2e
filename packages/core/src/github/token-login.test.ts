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

  it.each([
    ['a 502 on both', { status: 502, body: { message: 'Server Error' } }, /HTTP 502/],
    [
      'a secondary rate limit on both',
      { status: 403, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes.' } },
      /HTTP 403.*secondary rate limit/,
    ],
  ])('fails instead of guessing on %s, and asks again next time', async (_what, failure, message) => {
    let fail = true;
    const { octokit } = createFakeOctokit((request) => {
      if (fail) return failure;
      return request.path === '/user' ? { status: 200, body: { login: 'preview-bot' } } : { status: 500 };
    });
    await expect(readTokenLogin({ octokit })).rejects.toThrow(message);
    fail = false;
    expect(await readTokenLogin({ octokit })).toBe('preview-bot');
  });

  it('prefers an override without calling the API', async () => {
    const { octokit, requests } = createFakeOctokit(() => ({ status: 500 }));
    expect(await readTokenLogin({ octokit, override: ' my-app[bot] ' })).toBe('my-app[bot]');
    expect(requests).toHaveLength(0);
  });
});
