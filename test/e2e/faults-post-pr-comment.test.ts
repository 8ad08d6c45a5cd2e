import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runActionBundle, type ActionRun } from '../harness/index.js';
import { pullRequestEvent } from '../harness/events.js';
import type { FaultRuleSpec } from '../sandbox/fault-proxy/rules.js';
import type { CommentRecord } from '../standins/github/records.js';
import { countMutatingCalls, expectOneClearOutcome, withFaultRules } from './fault-outcomes.js';
import { startGitHubBehindFaults, type GitHubBehindFaults } from './github-behind-faults.js';

// post-pr-comment (bundled) against a PRIVATE GitHub stand-in behind a PRIVATE fault proxy: secondary and
// primary rate limits, 5xx bursts, connection resets, a create that GitHub applied but whose answer was
// lost, and "fail the k-th mutating call" for every k of create, update, delete and hide. Every run ends
// in success or one clear error; a re-run converges to exactly ONE sticky comment with the expected body
// (none after delete, one minimized after hide); comments we do not own never change.
const REPO = 'faults-org/comments';
const MARKER = '<!-- preview-actions:preview -->';
const RUN_ID = '700';
const deployed = {
  status: 'deployed',
  urls: '{"api":"https://pr.example.com/api"}',
  services: '[{"name":"api","health-path":"/health"}]',
  'expires-at': '2030-01-01T12:00:00Z',
  // the same on every pull request, so one reference body fits all
  branch: 'feature/faults',
  sha: '0123456789abcdef0123456789abcdef01234567',
  title: 'Survive the faults',
};

let gh: GitHubBehindFaults;
/** The content (after marker and run stamp) a clean run writes, with the environment name as `pr-{pr}`. */
let expectedContent: string;
/** Every comment we do not own, as it was written. */
const foreign: CommentRecord[] = [];

function post(
  pr: number,
  options: { attempt?: string; runId?: string; inputs?: Record<string, string> } = {},
): Promise<ActionRun> {
  return runActionBundle({
    action: 'post-pr-comment',
    repository: REPO,
    event: pullRequestEvent('synchronize', { repository: REPO, number: pr }),
    inputs: options.inputs ?? deployed,
    env: { ...gh.env, GITHUB_RUN_ID: options.runId ?? RUN_ID, GITHUB_RUN_ATTEMPT: options.attempt ?? '1' },
  });
}

function openPullRequest(): number {
  return gh.standIn.admin.createPullRequest({ repo: REPO, author: 'octocat' }).number;
}

function readComments(pr: number): CommentRecord[] {
  return gh.standIn.state.snapshot().comments.filter((c) => c.repo === REPO && c.issueNumber === pr);
}

/** Our sticky comments: written by the bot and starting with the marker. */
function readSticky(pr: number): CommentRecord[] {
  return readComments(pr).filter((c) => c.author === gh.botLogin && c.body.startsWith(`${MARKER}\n`));
}

function readContent(body: string): string {
  return body.split('\n').slice(2).join('\n');
}

/** Another user's comment and another user's comment with our marker pasted in, on `pr`. */
function seedForeignComments(pr: number): void {
  for (const body of ['LGTM, deploying later', `${MARKER}\n<!-- preview-actions:run 999999/1 -->\nmine now`]) {
    foreign.push(gh.standIn.admin.createComment({ repo: REPO, issueNumber: pr, author: 'mallory', body }));
  }
}

function expectOneStickyComment(pr: number, options: { minimized?: boolean } = {}): void {
  const sticky = readSticky(pr);
  expect(sticky.map((c) => ({ content: readContent(c.body), minimized: Boolean(c.minimizedReason) }))).toEqual([
    { content: expectedContent.replaceAll('pr-{pr}', `pr-${pr}`), minimized: options.minimized ?? false },
  ]);
  expect(sticky[0]!.body).toMatch(new RegExp(`^${MARKER}\\n<!-- preview-actions:run \\d+/\\d+ -->\\n`));
}

/** An earlier run's sticky comment, as every push after the first finds it. */
async function prepareEarlierComment(pr: number): Promise<void> {
  expect((await post(pr, { runId: '600', inputs: { ...deployed, status: 'deploying' } })).exitCode).toBe(0);
  expect(readSticky(pr)).toHaveLength(1);
}

function expectForeignUnchanged(): void {
  const now = gh.standIn.state.snapshot().comments;
  for (const before of foreign) expect(now.find((c) => c.id === before.id)).toEqual(before);
}

beforeAll(async () => {
  gh = await startGitHubBehindFaults([REPO]);
  // The reference body, and a sticky comment on another pull request that no run below may touch.
  const control = openPullRequest();
  const clean = await post(control, { runId: '1' });
  expect(clean.outputs.result).toBe('created');
  const [sticky] = readSticky(control);
  expectedContent = readContent(sticky!.body).replaceAll(`pr-${control}`, 'pr-{pr}');
  expect(expectedContent).toContain('https://pr.example.com/api');
  foreign.push(sticky!);
}, 120_000);

afterAll(async () => {
  await gh?.close();
});

describe('post-pr-comment through GitHub faults', () => {
  const COMMENTS = '/repos/{owner}/{repo}/issues/{issue_number}/comments';
  const situations: Record<'new' | 'earlier', [string, (pr: number) => Promise<void>]> = {
    new: ['on a new pull request', async () => undefined],
    earlier: ['over an earlier run’s comment', prepareEarlierComment],
  };
  const storms: [string, FaultRuleSpec[], ('new' | 'earlier')[]][] = [
    [
      'a secondary rate limit storm (4 × 403 with retry-after)',
      [{ target: 'github', throttle: 4, retryAfterSeconds: 1 }],
      ['new', 'earlier'],
    ],
    [
      // GET /user, then the viewer query: a login guessed after both failed would miss our own comment
      'a secondary rate limit on the first two calls (the login lookups)',
      [{ target: 'github', throttle: 2, retryAfterSeconds: 1 }],
      ['new', 'earlier'],
    ],
    ['a 5xx burst (4 × 502)', [{ target: 'github', status5xx: { times: 4, code: 502 } }], ['new', 'earlier']],
    ['connection resets (3)', [{ target: 'github', reset: 3 }], ['new', 'earlier']],
    [
      'the comment create applied but its answer reset',
      [{ target: 'github', operation: `POST ${COMMENTS}`, reset: 1, afterForward: true }],
      ['new'],
    ],
    [
      'the comment update applied but its answer reset',
      [
        {
          target: 'github',
          operation: 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
          reset: 1,
          afterForward: true,
        },
      ],
      ['earlier'],
    ],
    [
      'everything at once',
      [
        { target: 'github', throttle: 2, retryAfterSeconds: 1 },
        { target: 'github', status5xx: 2 },
        { target: 'github', reset: 2 },
      ],
      ['new', 'earlier'],
    ],
  ];
  storms.forEach(([name, rules, where]) => {
    it.each(where.map((w) => situations[w]))(
      `${name} %s: success or one clear error, then a re-run leaves exactly one sticky comment`,
      async (_situation, prepare) => {
        const pr = openPullRequest();
        seedForeignComments(pr);
        await prepare(pr);
        const faulted = await withFaultRules(gh.faults, rules, () => post(pr));
        expectOneClearOutcome(faulted);
        expect(readSticky(pr).length).toBeLessThanOrEqual(1);
        const rerun = await post(pr, { attempt: '2' });
        expectOneClearOutcome(rerun);
        expect(rerun.exitCode).toBe(0);
        expectOneStickyComment(pr);
        expectForeignUnchanged();
      },
      120_000,
    );
  });

  it.each(Object.values(situations))(
    'the primary rate limit spent (403, x-ratelimit-remaining 0) %s: one clear error, then a re-run leaves exactly one sticky comment',
    async (_situation, prepare) => {
      const pr = openPullRequest();
      seedForeignComments(pr);
      await prepare(pr);
      const before = readSticky(pr);
      const seen = gh.standIn.requests.entries.length;
      gh.exhaustPrimaryRateLimit();
      let faulted: ActionRun;
      try {
        faulted = await post(pr);
      } finally {
        gh.restorePrimaryRateLimit();
      }
      expect(gh.standIn.requests.entries.slice(seen).some((e) => e.status === 403)).toBe(true);
      expectOneClearOutcome(faulted);
      expect(faulted.exitCode).toBe(1);
      expect(readSticky(pr)).toEqual(before);
      const rerun = await post(pr, { attempt: '2' });
      expect(rerun.exitCode).toBe(0);
      expectOneStickyComment(pr);
      expectForeignUnchanged();
    },
    120_000,
  );

  // Each mode: what is on the pull request before, the run, and what a converged pull request shows.
  const modes: [string, (pr: number) => Promise<void>, Record<string, string>, (pr: number) => void][] = [
    ['create', async () => undefined, deployed, (pr) => expectOneStickyComment(pr)],
    ['update', prepareEarlierComment, deployed, (pr) => expectOneStickyComment(pr)],
    [
      'delete',
      async (pr) => {
        expect((await post(pr, { runId: '600' })).exitCode).toBe(0);
      },
      { mode: 'delete' },
      (pr) => expect(readSticky(pr)).toEqual([]),
    ],
    [
      'hide',
      async (pr) => {
        expect((await post(pr, { runId: '600' })).exitCode).toBe(0);
      },
      { mode: 'hide' },
      (pr) => expectOneStickyComment(pr, { minimized: true }),
    ],
  ];
  modes.forEach(([mode, prepare, inputs, expectConverged]) => {
    it(`${mode}: a 500 on the k-th mutating call, for every k, before or after GitHub applied it: one clear error (a create) or a retried success (idempotent writes), and a re-run converges`, async () => {
      const probe = openPullRequest();
      await prepare(probe);
      await gh.faults.reset();
      expect((await post(probe, { inputs })).exitCode).toBe(0);
      const writes = await countMutatingCalls(gh.faults, 'github');
      expect(writes).toBeGreaterThanOrEqual(1);
      expectConverged(probe);
      const outcomes: string[] = [];
      for (let k = 1; k <= writes; k++) {
        for (const afterForward of [false, true]) {
          const pr = openPullRequest();
          seedForeignComments(pr);
          await prepare(pr);
          const rule: FaultRuleSpec = { target: 'github', failNthMutating: k, afterForward };
          const faulted = await withFaultRules(gh.faults, [rule], () => post(pr, { inputs }));
          expectOneClearOutcome(faulted);
          // A REST POST is never retried (its answer may be lost after it created the comment); PATCH, DELETE
          // and GraphQL mutations are idempotent, so the client retries them and they may succeed.
          if (mode === 'create') expect(faulted.exitCode).toBe(1);
          const rerun = await post(pr, { inputs, attempt: '2' });
          expect({ k, afterForward, exit: rerun.exitCode }).toEqual({ k, afterForward, exit: 0 });
          expectConverged(pr);
          outcomes.push(
            `k=${k}${afterForward ? ' after' : ''}: ${faulted.outputs.result ?? 'failed'} → ${rerun.outputs.result}`,
          );
        }
      }
      expect(outcomes).toHaveLength(writes * 2);
      expectForeignUnchanged();
    }, 300_000);
  });

  it('comments we do not own (another user, a pasted marker, another pull request) are unchanged after every fault', () => {
    expect(foreign.length).toBeGreaterThan(3);
    expectForeignUnchanged();
  });
});
