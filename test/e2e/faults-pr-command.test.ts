import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runActionBundle, type ActionRun } from '../harness/index.js';
import { issueCommentEvent } from '../harness/events.js';
import type { FaultRuleSpec } from '../sandbox/fault-proxy/rules.js';
import type { CommentRecord } from '../standins/github/records.js';
import { countMutatingCalls, expectOneClearOutcome, withFaultRules } from './fault-outcomes.js';
import { startGitHubBehindFaults, type GitHubBehindFaults } from './github-behind-faults.js';

// pr-command (bundled) answering an allowed /deploy against a PRIVATE GitHub stand-in behind a PRIVATE
// fault proxy: secondary and primary rate limits, 5xx bursts, resets, and a 500 on the k-th mutating call
// (the two reactions and the check run) for every k. Each run is a success or one clear error, and
// no run whose permission, pull request or timeline read never got an answer (reads are retried) says "allowed".
//
// Convergence for pr-command, which answers one comment: a re-run of the workflow allows the command,
// the newest check run of its name on the head is a completed success, none is left in progress, the comment carries each reaction
// at most once (👀 and 🚀; 😕 only if the faulted run denied or failed), and the bot replied at most once
// (only a faulted run that denied or failed replies; an allowed /deploy never does).
const REPO = 'faults-org/commands';
const ADMIN = 'faults-admin';
const CHECK = 'preview-actions: command';
/** The reads an allow depends on: a failure of any must deny or fail, never allow. */
const DECIDING_READS = [
  'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
  'GET /repos/{owner}/{repo}/pulls/{pull_number}',
  'GET /repos/{owner}/{repo}/issues/{issue_number}/timeline',
];

let gh: GitHubBehindFaults;
/** Comments and check runs on a pull request no run below is about, as they were. */
let bystander: { comments: unknown[]; checkRuns: unknown[]; reactions: unknown[] };

function openPullRequest(): { number: number; headSha: string } {
  const pull = gh.standIn.admin.createPullRequest({ repo: REPO, author: ADMIN });
  return { number: pull.number, headSha: pull.head.sha };
}

function comment(pr: number, body = '/deploy'): CommentRecord {
  return gh.standIn.admin.createComment({ repo: REPO, issueNumber: pr, author: ADMIN, body });
}

function runCommand(record: CommentRecord, attempt = '1'): Promise<ActionRun> {
  const event = issueCommentEvent('created', {
    repository: REPO,
    number: record.issueNumber,
    body: record.body,
    author: record.author,
    commentId: record.id,
  });
  (event.payload.comment as { created_at: string }).created_at = record.createdAt;
  return runActionBundle({
    action: 'pr-command',
    repository: REPO,
    event,
    env: { ...gh.env, GITHUB_RUN_ATTEMPT: attempt },
  });
}

function readAnswers(record: CommentRecord, headSha: string) {
  const snapshot = gh.standIn.state.snapshot();
  const checks = snapshot.checkRuns
    .filter((c) => c.repo === REPO && c.headSha === headSha && c.name === CHECK)
    .sort((a, b) => a.id - b.id);
  return {
    reactions: snapshot.reactions.filter((r) => r.commentId === record.id).map((r) => r.content),
    replies: snapshot.comments.filter(
      (c) => c.repo === REPO && c.issueNumber === record.issueNumber && c.author === gh.botLogin,
    ).length,
    newestCheck: checks.at(-1) && { status: checks.at(-1)!.status, conclusion: checks.at(-1)!.conclusion },
    inProgress: checks.filter((c) => c.status !== 'completed').length,
  };
}

function readBystander(pr: number) {
  const snapshot = gh.standIn.state.snapshot();
  const comments = snapshot.comments.filter((c) => c.repo === REPO && c.issueNumber === pr);
  return {
    comments,
    checkRuns: snapshot.checkRuns.filter((c) => c.repo === REPO && c.headSha === bystanderSha),
    reactions: snapshot.reactions.filter((r) => comments.some((c) => c.id === r.commentId)),
  };
}
let bystanderPr = 0;
let bystanderSha = '';

/**
 * The faulted run's verdict is honest: when a deciding read never got an answer (every call to it faulted, none
 * retried clean), the run denies or fails, never allows. A read that failed and then succeeded on a retry may allow.
 */
async function expectNoFalseAllow(run: ActionRun): Promise<void> {
  const counts = (await gh.faults.counters()).github ?? {};
  const unanswered = DECIDING_READS.filter((operation) => {
    const { calls = 0, faulted = 0 } = counts[operation] ?? {};
    return faulted > 0 && calls === faulted;
  });
  if (unanswered.length > 0) {
    expect({ unanswered, allowed: run.outputs.allowed }).toEqual({ unanswered, allowed: 'false' });
    expect(['denied', 'failed']).toContain(run.outputs.status);
  }
}

/** Runs the faulted attempt, then a clean re-run, and checks both against the rules above. */
async function runFaultedThenRerun(fault: FaultRuleSpec[] | ((record: CommentRecord) => Promise<ActionRun>)) {
  const pull = openPullRequest();
  const record = comment(pull.number);
  await gh.faults.reset();
  const faulted = Array.isArray(fault)
    ? await withFaultRules(gh.faults, fault, () => runCommand(record))
    : await fault(record);
  expectOneClearOutcome(faulted);
  await expectNoFalseAllow(faulted);
  const decided = faulted.outputs.status;
  const rerun = await runCommand(record, '2');
  expect(rerun.annotations.filter((a) => a.level === 'error')).toEqual([]);
  expect({ exit: rerun.exitCode, status: rerun.outputs.status, head: rerun.outputs['head-sha'] }).toEqual({
    exit: 0,
    status: 'allowed',
    head: pull.headSha,
  });
  const answers = readAnswers(record, pull.headSha);
  const refused = decided === 'denied' || decided === 'failed' || decided === undefined;
  expect(answers.newestCheck).toEqual({ status: 'completed', conclusion: 'success' });
  expect(answers.inProgress).toBe(0);
  const reactions = [...answers.reactions].sort();
  expect(reactions).toEqual(refused ? [...new Set([...reactions, 'eyes', 'rocket'])].sort() : ['eyes', 'rocket']);
  expect(reactions.filter((r) => !['eyes', 'rocket', 'confused'].includes(r))).toEqual([]);
  expect(answers.replies).toBeLessThanOrEqual(refused ? 1 : 0);
  expect(readBystander(bystanderPr)).toEqual(bystander);
  return { faulted, rerun };
}

beforeAll(async () => {
  gh = await startGitHubBehindFaults([REPO]);
  gh.standIn.admin.addCollaborator({ repo: REPO, login: ADMIN, role: 'admin' });
  // Another pull request with its own answered command: nothing below may touch it.
  const pull = openPullRequest();
  bystanderPr = pull.number;
  bystanderSha = pull.headSha;
  const record = comment(pull.number);
  expect((await runCommand(record)).outputs.status).toBe('allowed');
  gh.standIn.admin.createComment({ repo: REPO, issueNumber: pull.number, author: 'mallory', body: '/deploy' });
  bystander = readBystander(bystanderPr);
  expect(bystander.checkRuns).toHaveLength(1);
}, 120_000);

afterAll(async () => {
  await gh?.close();
});

describe('pr-command (allowed /deploy) through GitHub faults', () => {
  const PERMISSION = DECIDING_READS[0]!;
  const storms: [string, FaultRuleSpec[]][] = [
    ['a secondary rate limit storm (4 × 403 with retry-after)', [{ target: 'github', throttle: 4 }]],
    ['a 5xx burst (4 × 502)', [{ target: 'github', status5xx: { times: 4, code: 502 } }]],
    ['connection resets (3)', [{ target: 'github', reset: 3 }]],
    ['the permission read throttled', [{ target: 'github', operation: PERMISSION, throttle: 1 }]],
    ['the permission read answered 500', [{ target: 'github', operation: PERMISSION, status5xx: 1 }]],
    ['the permission read reset after GitHub answered', [{ operation: PERMISSION, reset: 1, afterForward: true }]],
    ['the pull request read reset', [{ target: 'github', operation: DECIDING_READS[1], reset: 1 }]],
    ['the timeline read answered 503', [{ operation: DECIDING_READS[2], status5xx: { times: 1, code: 503 } }]],
    [
      'the check run create applied but its answer reset',
      [{ operation: 'POST /repos/{owner}/{repo}/check-runs', reset: 1, afterForward: true }],
    ],
    [
      'everything at once',
      [
        { target: 'github', throttle: 2 },
        { target: 'github', status5xx: 2 },
        { target: 'github', reset: 2 },
      ],
    ],
  ];
  storms.forEach(([name, rules]) => {
    it(`${name}: success or one clear error, never a false allow; a re-run allows, the newest check run succeeds, nothing is duplicated`, async () => {
      await runFaultedThenRerun(rules);
    }, 120_000);
  });

  it('the primary rate limit spent: denied or one clear error, never allowed; a re-run allows, the newest check run succeeds, nothing is duplicated', async () => {
    await runFaultedThenRerun(async (record) => {
      const seen = gh.standIn.requests.entries.length;
      gh.exhaustPrimaryRateLimit();
      try {
        const run = await runCommand(record);
        expect(gh.standIn.requests.entries.slice(seen).some((e) => e.status === 403)).toBe(true);
        expect(run.outputs.allowed).toBe('false');
        return run;
      } finally {
        gh.restorePrimaryRateLimit();
      }
    });
  }, 120_000);

  it('a 500 on the k-th mutating call (reactions, check run), for every k, before or after GitHub applied it: exit 0 with the problem as a warning; a re-run converges', async () => {
    const probe = openPullRequest();
    await gh.faults.reset();
    expect((await runCommand(comment(probe.number))).outputs.status).toBe('allowed');
    const writes = await countMutatingCalls(gh.faults, 'github');
    // 👀, 🚀, the check run (created completed)
    expect(writes).toBe(3);
    const outcomes: string[] = [];
    for (let k = 1; k <= writes; k++) {
      for (const afterForward of [false, true]) {
        const { faulted } = await runFaultedThenRerun([{ target: 'github', failNthMutating: k, afterForward }]);
        // feedback that could not be given is reported, never fatal, and never changes the decision
        expect({ k, afterForward, exit: faulted.exitCode, status: faulted.outputs.status }).toEqual({
          k,
          afterForward,
          exit: 0,
          status: 'allowed',
        });
        const warnings = faulted.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
        expect(warnings.length).toBeLessThanOrEqual(1);
        for (const warning of warnings) {
          expect(warning).toMatch(/^could not (add the (eyes|rocket) reaction|create the check run) \(HTTP 500\)/);
        }
        outcomes.push(`k=${k}${afterForward ? ' after' : ''}: ${warnings.length > 0 ? 'warned' : 'retried'}`);
      }
    }
    // All three writes are POSTs (👀, 🚀, the check run), never retried, so each 500 is warned about.
    expect(outcomes.filter((o) => o.endsWith('warned'))).toHaveLength(6);
    expect(outcomes.filter((o) => o.endsWith('retried'))).toEqual([]);
  }, 300_000);
});
