import { createFakeOctokit, type FakeRequest } from './fake-github.test-helper.js';
import { upsertStickyComment } from './sticky-comment.js';

const REPO = { owner: 'octo-org', repo: 'octo-repo' };

function comment(id: number, login: string, body: string) {
  return {
    id,
    node_id: `IC_${id}`,
    html_url: `https://github.com/octo-org/octo-repo/pull/1#issuecomment-${id}`,
    body,
    user: { login },
  };
}

describe('upsertStickyComment', () => {
  it('hides its own comments as outdated through minimizeComment and leaves others alone', async () => {
    const { octokit, requests } = createFakeOctokit((request: FakeRequest) => {
      if (request.path.startsWith('/repos/octo-org/octo-repo/issues/1/comments')) {
        return {
          status: 200,
          body: [
            comment(
              1,
              'github-actions[bot]',
              '<!-- preview-actions:preview -->\n<!-- preview-actions:run 5/1 -->\nours',
            ),
            comment(2, 'octocat', '<!-- preview-actions:preview -->\npasted'),
            comment(3, 'github-actions[bot]', '<!-- preview-actions:other -->\nanother header'),
          ],
        };
      }
      if (request.path === '/graphql')
        return { status: 200, body: { data: { minimizeComment: { minimizedComment: { isMinimized: true } } } } };
      return { status: 404, body: { message: 'Not Found' } };
    });
    const result = await upsertStickyComment({
      octokit,
      repo: REPO,
      issueNumber: 1,
      header: 'preview',
      mode: 'hide',
      runId: '6',
      runAttempt: '1',
      login: 'github-actions[bot]',
    });
    expect(result).toMatchObject({ action: 'hidden', commentId: 1 });
    const mutations = requests.filter((r) => r.path === '/graphql');
    expect(mutations).toHaveLength(1);
    expect(mutations[0]!.body).toMatchObject({ variables: { id: 'IC_1' } });
    expect(String(mutations[0]!.body!.query)).toContain('classifier: OUTDATED');
  });

  it('compares run ids numerically, not as text', async () => {
    const { octokit, requests } = createFakeOctokit((request) => {
      if (request.method === 'GET') {
        return {
          status: 200,
          body: [
            comment(
              1,
              'github-actions[bot]',
              '<!-- preview-actions:preview -->\n<!-- preview-actions:run 9/1 -->\nold',
            ),
          ],
        };
      }
      return { status: 200, body: comment(1, 'github-actions[bot]', String(request.body?.body)) };
    });
    const result = await upsertStickyComment({
      octokit,
      repo: REPO,
      issueNumber: 1,
      header: 'preview',
      body: 'new',
      runId: '10',
      runAttempt: '1',
      login: 'github-actions[bot]',
    });
    expect(result.action).toBe('updated');
    expect(requests.find((r) => r.method === 'PATCH')!.body!.body).toBe(
      '<!-- preview-actions:preview -->\n<!-- preview-actions:run 10/1 -->\nnew',
    );
  });

  it('refuses a header that would break the marker', async () => {
    const { octokit } = createFakeOctokit(() => ({ status: 200, body: [] }));
    await expect(
      upsertStickyComment({
        octokit,
        repo: REPO,
        issueNumber: 1,
        header: 'x -->',
        body: 'b',
        runId: '1',
        runAttempt: '1',
        login: 'me',
      }),
    ).rejects.toThrow(/comment header/);
  });
});
