import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import type { Octokit } from '@preview-actions/core/action';
import {
  authorizeCommand,
  gatherCommandRequest,
  parseCommand,
  readCommentEvent,
  screenComment,
  type CommandDecision,
} from '@preview-actions/core/chatops';
import { startGitHubStandIn, type GitHubStandIn } from '../standins/github/server.js';

const TOKEN = 'ghs_chatopsTest0000000000000000000000000';
const FULL = 'octo-org/octo-repo';
const REPO = { owner: 'octo-org', repo: 'octo-repo' };

interface WebhookExamples {
  name: string;
  examples: Record<string, unknown>[];
}

describe('ChatOps over the GitHub stand-in', () => {
  let standIn: GitHubStandIn;
  let octokit: Octokit;

  beforeAll(async () => {
    standIn = await startGitHubStandIn({ token: TOKEN, login: 'preview-actions[bot]', log: () => undefined });
    octokit = getOctokit(TOKEN, { baseUrl: standIn.url });
    standIn.admin.addCollaborator({ repo: FULL, login: 'writer', role: 'write' });
    standIn.admin.addCollaborator({ repo: FULL, login: 'reader', role: 'read' });
  });

  afterAll(async () => {
    await standIn.close();
  });

  it('reads every issue_comment example GitHub documents', () => {
    const require = createRequire(import.meta.url);
    const all = require('@octokit/webhooks-examples') as WebhookExamples[];
    const examples = all.find((entry) => entry.name === 'issue_comment')!.examples;
    expect(examples.length).toBeGreaterThan(0);
    for (const payload of examples) {
      const event = readCommentEvent(payload);
      expect(event.commentId).toBe((payload.comment as { id: number }).id);
      expect(event.onPullRequest).toBe(false);
      expect(
        screenComment({
          action: event.action,
          authorLogin: event.author.login,
          authorType: event.author.type,
          onPullRequest: event.onPullRequest,
        })?.decision,
      ).toBe('ignore');
    }
    expect(() => readCommentEvent({ action: 'opened', pull_request: {} })).toThrow(/on: issue_comment/);
  });

  /** Posts a comment on the stand-in and runs the whole decision as the ChatOps action would. */
  async function decide(input: {
    pr: number;
    login: string;
    body: string;
    allowForks?: boolean;
    beforeGathering?: () => void;
  }): Promise<CommandDecision> {
    const stored = standIn.admin.createComment({
      repo: FULL,
      issueNumber: input.pr,
      author: input.login,
      body: input.body,
    });
    const event = readCommentEvent({
      action: 'created',
      comment: {
        id: stored.id,
        body: stored.body,
        created_at: stored.createdAt,
        user: { login: input.login, type: 'User' },
      },
      issue: { number: input.pr, pull_request: { url: `${standIn.url}/repos/${FULL}/pulls/${input.pr}` } },
    });
    const parsed = parseCommand(event.body);
    if (!parsed.ok) throw new Error(parsed.reason);
    input.beforeGathering?.();
    const request = await gatherCommandRequest({
      octokit,
      repo: REPO,
      event,
      command: parsed.command,
      allowForks: input.allowForks ?? false,
    });
    return authorizeCommand(request);
  }

  it('lets a writer deploy the head as it was at the comment', async () => {
    const pull = standIn.admin.createPullRequest({ repo: FULL, author: 'writer' });
    expect(await decide({ pr: pull.number, login: 'writer', body: '/deploy' })).toEqual({
      decision: 'allow',
      command: { name: 'deploy' },
      sha: pull.head.sha,
    });
  });

  it('refuses a deploy when commits reached the pull request after the comment', async () => {
    const pull = standIn.admin.createPullRequest({ repo: FULL, author: 'writer' });
    const decision = await decide({
      pr: pull.number,
      login: 'writer',
      body: '/deploy',
      beforeGathering: () =>
        standIn.admin.pushCommits({
          repo: FULL,
          number: pull.number,
          date: new Date(Date.now() + 1_000).toISOString(),
        }),
    });
    expect(decision).toMatchObject({ decision: 'deny', reason: expect.stringMatching(/after the comment/) });
  });

  it('deploys a pinned sha only while it is the head', async () => {
    const pull = standIn.admin.createPullRequest({ repo: FULL, author: 'writer' });
    // The full sha: a prefix is refused before any lookup (pr-command's parse-command tests cover that).
    const pinned = pull.head.sha;
    expect(await decide({ pr: pull.number, login: 'writer', body: `/deploy ${pinned}` })).toMatchObject({
      decision: 'allow',
      sha: pull.head.sha,
    });
    standIn.admin.pushCommits({ repo: FULL, number: pull.number });
    expect(await decide({ pr: pull.number, login: 'writer', body: `/deploy ${pinned}` })).toMatchObject({
      decision: 'deny',
      reason: expect.stringMatching(/not the pull request head/),
    });
  });

  it('denies readers and fork pull requests unless forks are allowed', async () => {
    const pull = standIn.admin.createPullRequest({ repo: FULL, author: 'writer' });
    expect(await decide({ pr: pull.number, login: 'reader', body: '/restart' })).toMatchObject({
      decision: 'deny',
      reason: expect.stringMatching(/@reader has read access/),
    });
    const fork = standIn.admin.createPullRequest({ repo: FULL, author: 'outsider', headRepo: 'outsider/octo-repo' });
    expect(await decide({ pr: fork.number, login: 'writer', body: '/deploy' })).toMatchObject({
      decision: 'deny',
      reason: expect.stringMatching(/fork/),
    });
    expect(await decide({ pr: fork.number, login: 'writer', body: '/deploy', allowForks: true })).toMatchObject({
      decision: 'allow',
      sha: fork.head.sha,
    });
  });
});
