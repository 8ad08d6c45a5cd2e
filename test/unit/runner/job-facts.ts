import type { JobFacts } from '../../runner/standin-api.js';

/** A job of `octo-org/shop` (owner id 4242, repository id 777) with id-token: write, overridable per test. */
export function jobFacts(overrides: Partial<JobFacts> = {}): JobFacts {
  return {
    workflowFile: '.github/workflows/release.yml',
    jobId: 'release',
    eventName: 'push',
    ref: 'refs/heads/main',
    sha: 'c0ffee0123456789abcdef0123456789abcdef01',
    repository: 'octo-org/shop',
    repositoryId: 777,
    repositoryOwner: 'octo-org',
    repositoryOwnerId: 4242,
    actor: 'octocat',
    runId: '1001',
    runAttempt: '1',
    permissions: { contents: 'read', 'id-token': 'write' },
    canRequestIdToken: true,
    ...overrides,
  };
}
