import { renderEnvironmentComment } from '@preview-actions/core/comment';
import { formatStickyBody } from '@preview-actions/core/github';
import { GitHubState } from '../standins/github/state.js';
import type { GitHubSnapshot } from './render-pull-request-page.js';

/** The sample's repository, PR and the URL its preview serves. */
export const SAMPLE = {
  repo: 'octo-org/octo-repo',
  pr: 7,
  url: 'https://pr-7.example.com/',
  apiUrl: 'https://pr-7.example.com/api',
} as const;

/**
 * A small GitHub stand-in state for the PR-page renderers: one open pull request with the previews' sticky comment
 * (as post-pr-comment renders it, markers and command fold included), a maintainer's /deploy with its reactions and
 * check run, a hostile comment (raw HTML, a table-breaking pipe), and one Deployment with its statuses.
 */
export function createSamplePullRequest(): GitHubSnapshot {
  let tick = 0;
  const state = new GitHubState({ now: () => new Date(Date.UTC(2026, 11, 2, 1, 0, tick++)) });
  const { repo, pr } = SAMPLE;
  state.createRepository({ owner: 'octo-org', name: 'octo-repo' });
  const pull = state.pulls.create({ repo, number: pr, author: 'octo-dev', title: 'Add the login page' });
  const sha = pull.head.sha;
  const sticky = renderEnvironmentComment({
    status: 'deployed',
    prNumber: pr,
    branch: pull.head.ref,
    sha,
    services: [{ name: 'api', url: SAMPLE.apiUrl, healthUrl: `${SAMPLE.apiUrl}/health` }, { name: 'worker' }],
    expiresAt: new Date('2026-12-09T01:00:00Z'),
    costPerDayUsd: 1.5,
    protectedByBasicAuth: false,
  });
  state.comments.create({
    repo,
    issueNumber: pr,
    author: 'github-actions[bot]',
    body: formatStickyBody('preview', { runId: '12', runAttempt: '1' }, sticky),
  });
  const command = state.comments.create({ repo, issueNumber: pr, author: 'octo-maintainer', body: '/deploy' });
  state.comments.addReaction({ repo, commentId: command.id, content: 'eyes', user: 'github-actions[bot]' });
  state.comments.addReaction({ repo, commentId: command.id, content: 'rocket', user: 'github-actions[bot]' });
  state.comments.create({
    repo,
    issueNumber: pr,
    author: 'drive-by',
    body: '<script>alert(1)</script> a | b and <img src=x onerror=alert(1)>',
  });
  state.checks.createRun({
    repo,
    name: 'preview-actions: command',
    headSha: sha,
    status: 'completed',
    conclusion: 'success',
    detailsUrl: 'https://github.com/octo-org/octo-repo/actions/runs/12',
    output: { title: '/deploy accepted', summary: 'deploying' },
    creator: 'github-actions[bot]',
  });
  const deployment = state.deployments.create({
    repo,
    ref: sha,
    environment: `pr-${pr}`,
    creator: 'github-actions[bot]',
  });
  for (const status of ['in_progress', 'success'] as const)
    state.deployments.createStatus({
      repo,
      deploymentId: deployment.id,
      state: status,
      environmentUrl: SAMPLE.url,
      creator: 'github-actions[bot]',
    });
  const { tokens: _tokens, ...snapshot } = structuredClone(state.data);
  return snapshot;
}
