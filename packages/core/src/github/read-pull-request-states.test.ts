import { createFakeOctokit } from './fake-github.test-helper.js';
import { readPullRequestStates } from './read-pull-request-states.js';

const REPO = { owner: 'octo-org', repo: 'octo-repo' };
const node = {
  state: 'OPEN',
  merged: false,
  updatedAt: '2026-01-01T00:00:00Z',
  headRefOid: 'a'.repeat(40),
  isCrossRepository: false,
  labels: { nodes: [{ name: 'keep' }] },
};

describe('readPullRequestStates', () => {
  it('keeps the pull requests that resolved, marks the alias with an error unknown and a NOT_FOUND one missing', async () => {
    const { octokit, requests } = createFakeOctokit(() => ({
      status: 200,
      body: {
        data: { repository: { pr1: node, pr2: null, pr3: null } },
        errors: [
          { type: 'FORBIDDEN', path: ['repository', 'pr3'], message: 'Resource not accessible by integration' },
          {
            type: 'NOT_FOUND',
            path: ['repository', 'pr2'],
            message: 'Could not resolve to a PullRequest with the number of 2.',
          },
        ],
      },
    }));
    const states = await readPullRequestStates({ octokit, repo: REPO, numbers: [1, 2, 2, 3] });
    expect(requests).toHaveLength(1);
    expect(String(requests[0]!.body!.query)).toContain('pr2: pullRequest(number: 2)');
    expect(states.get(1)).toEqual({
      known: true,
      number: 1,
      state: 'OPEN',
      merged: false,
      updatedAt: new Date('2026-01-01T00:00:00Z'),
      labels: ['keep'],
      headSha: 'a'.repeat(40),
      isCrossRepository: false,
    });
    expect(states.get(2)).toEqual({
      known: false,
      number: 2,
      reason: 'Could not resolve to a PullRequest with the number of 2.',
      missing: true,
    });
    expect(states.get(3)).toEqual({ known: false, number: 3, reason: 'Resource not accessible by integration' });
  });

  it('refuses numbers that are not pull request numbers before querying', async () => {
    const { octokit } = createFakeOctokit(() => ({ status: 200, body: { data: { repository: {} } } }));
    await expect(readPullRequestStates({ octokit, repo: REPO, numbers: [1.5] })).rejects.toThrow(
      /Not a pull request number/,
    );
  });
});
