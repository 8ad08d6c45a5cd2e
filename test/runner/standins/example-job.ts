import type { JobFacts, StandinStep } from '../standin-api.js';

/**
 * A job of `octo-org/shop` (owner id 4242, repository id 777) with id-token: write, for tests of the stand-ins;
 * each test overrides what it is about.
 */
export function exampleJobFacts(overrides: Partial<JobFacts> = {}): JobFacts {
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

/** A step for a stand-in with the job above; its log and masks are collected in `logged` and `masked`. */
export function exampleStep(
  uses: string,
  inputs: Record<string, string>,
  options: { job?: Partial<JobFacts>; env?: Record<string, string>; workspace?: string } = {},
): StandinStep & { logged: string[]; masked: string[] } {
  const logged: string[] = [];
  const masked: string[] = [];
  return {
    uses,
    inputs,
    env: options.env ?? {},
    workspace: options.workspace ?? '/nonexistent',
    job: exampleJobFacts(options.job),
    log: (line) => void logged.push(line),
    mask: (value) => void masked.push(value),
    logged,
    masked,
  };
}
