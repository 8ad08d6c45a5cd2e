import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import {
  issueCommentEvent,
  pullRequestEvent,
  scheduleEvent,
  tagPushEvent,
  workflowDispatchEvent,
} from '../harness/events.js';
import type { RunActionOptions } from '../harness/run-action.js';

type JsonObject = Record<string, unknown>;

function readExampleKeys(event: string, action: string, field: string): string[] {
  const require = createRequire(import.meta.url);
  const definitions = JSON.parse(readFileSync(require.resolve('@octokit/webhooks-examples'), 'utf8')) as {
    name: string;
    examples: JsonObject[];
  }[];
  const example = definitions.find((d) => d.name === event)?.examples.find((e) => e.action === action);
  return Object.keys((example?.[field] as JsonObject | undefined) ?? {});
}

const sha = 'a'.repeat(40);

describe('pullRequestEvent', () => {
  it('keeps every field of GitHub’s example and overrides number, SHAs and refs', () => {
    const event = pullRequestEvent('opened', { number: 7, headSha: sha, headRef: 'feat/x', baseRef: 'develop' });
    const asRunInput: RunActionOptions['event'] = event;
    const { payload } = event;
    expect(asRunInput?.name).toBe('pull_request');
    expect(Object.keys(payload.pull_request)).toEqual(
      expect.arrayContaining(readExampleKeys('pull_request', 'opened', 'pull_request')),
    );
    expect(payload).toMatchObject({
      action: 'opened',
      number: 7,
      pull_request: { number: 7, state: 'open', merged: false, head: { sha, ref: 'feat/x' }, base: { ref: 'develop' } },
    });
    expect(payload.pull_request.url).toMatch(/\/repos\/octo-org\/octo-repo\/pulls\/7$/);
    expect(JSON.stringify(payload)).not.toContain('Codertocat/Hello-World');
  });

  it('marks a head in another owner’s repository as a fork', () => {
    const { payload } = pullRequestEvent('opened', { headRepository: 'forker/octo-repo' });
    expect(payload.pull_request.head.repo).toMatchObject({
      full_name: 'forker/octo-repo',
      fork: true,
      owner: { login: 'forker' },
    });
    expect(payload.pull_request.head.label).toBe('forker:feature-1');
    expect(payload.pull_request.base.repo.full_name).toBe('octo-org/octo-repo');
    expect(payload.repository.full_name).toBe('octo-org/octo-repo');
  });

  it('keeps a same-repository head unforked', () => {
    const { payload } = pullRequestEvent('reopened');
    expect(payload.pull_request.head.repo).toMatchObject({ full_name: 'octo-org/octo-repo', fork: false });
  });

  it('sets merged fields only for a merged close', () => {
    const merged = pullRequestEvent('closed', { merged: true }).payload;
    expect(merged.pull_request).toMatchObject({
      state: 'closed',
      merged: true,
      merged_at: expect.any(String),
      merge_commit_sha: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    const closed = pullRequestEvent('closed').payload;
    expect(closed.pull_request).toMatchObject({
      state: 'closed',
      merged: false,
      merged_at: null,
      closed_at: expect.any(String),
    });
  });

  it('gives synchronize its before and after SHAs', () => {
    const { payload } = pullRequestEvent('synchronize', { headSha: sha, before: 'b'.repeat(40) });
    expect(payload).toMatchObject({ before: 'b'.repeat(40), after: sha, pull_request: { head: { sha } } });
  });

  it('sets labels, author, association and sender', () => {
    const { payload } = pullRequestEvent('opened', {
      labels: ['preview', 'keep'],
      author: 'alice',
      authorAssociation: 'FIRST_TIME_CONTRIBUTOR',
    });
    expect(payload.pull_request.labels.map((l) => l.name)).toEqual(['preview', 'keep']);
    expect(payload.pull_request.user).toMatchObject({
      login: 'alice',
      type: 'User',
      html_url: 'https://github.com/alice',
    });
    expect(payload.pull_request.author_association).toBe('FIRST_TIME_CONTRIBUTOR');
    expect(payload.sender.login).toBe('alice');
  });

  it('adds organization for org-owned repositories and drops it for user-owned ones', () => {
    expect(pullRequestEvent('opened').payload.organization).toMatchObject({ login: 'octo-org' });
    const userOwned = pullRequestEvent('opened', { repository: 'alice/app', ownerType: 'User' }).payload;
    expect(userOwned.organization).toBeUndefined();
    expect(userOwned.repository.owner).toMatchObject({ login: 'alice', type: 'User' });
  });
});

describe('issueCommentEvent', () => {
  it('builds a comment on a pull request with its author', () => {
    const { name, payload } = issueCommentEvent('created', {
      number: 12,
      body: '/preview deploy',
      author: 'bob',
      association: 'COLLABORATOR',
    });
    expect(name).toBe('issue_comment');
    expect(Object.keys(payload.comment)).toEqual(
      expect.arrayContaining(readExampleKeys('issue_comment', 'created', 'comment')),
    );
    expect(payload.issue).toMatchObject({
      number: 12,
      pull_request: { url: expect.stringMatching(/\/pulls\/12$/), merged_at: null },
    });
    expect(payload.comment).toMatchObject({
      body: '/preview deploy',
      user: { login: 'bob', type: 'User' },
      author_association: 'COLLABORATOR',
    });
    expect(payload.comment.html_url).toContain('/pull/12#issuecomment-');
    expect(payload.sender.login).toBe('bob');
  });

  it('can comment on a plain issue and as a bot', () => {
    const { payload } = issueCommentEvent('created', { onPullRequest: false, author: 'preview-actions[bot]' });
    expect(payload.issue.pull_request).toBeUndefined();
    expect(payload.comment.user).toMatchObject({ login: 'preview-actions[bot]', type: 'Bot' });
  });

  it('records the previous body of an edit', () => {
    const { payload } = issueCommentEvent('edited', { body: '/preview destroy', previousBody: '/preview deploy' });
    expect(payload).toMatchObject({
      action: 'edited',
      changes: { body: { from: '/preview deploy' } },
      comment: { body: '/preview destroy' },
    });
  });
});

describe('other events', () => {
  it('tagPushEvent creates the tag ref on the SHA', () => {
    const { name, payload } = tagPushEvent('v1.2.3', sha);
    expect(name).toBe('push');
    expect(payload).toMatchObject({
      ref: 'refs/tags/v1.2.3',
      after: sha,
      created: true,
      deleted: false,
      base_ref: null,
      head_commit: { id: sha },
    });
    expect(payload.repository.full_name).toBe('octo-org/octo-repo');
  });

  it('scheduleEvent carries the cron and repository', () => {
    const { name, payload } = scheduleEvent('*/15 * * * *', { repository: 'acme/site' });
    expect(name).toBe('schedule');
    expect(payload).toMatchObject({ schedule: '*/15 * * * *', repository: { full_name: 'acme/site' } });
  });

  it('workflowDispatchEvent carries inputs and ref', () => {
    const { name, payload } = workflowDispatchEvent({ tag: 'v1.2.3', dry: true }, { ref: 'refs/heads/release' });
    expect(name).toBe('workflow_dispatch');
    expect(payload).toMatchObject({
      inputs: { tag: 'v1.2.3', dry: true },
      ref: 'refs/heads/release',
      repository: { full_name: 'octo-org/octo-repo' },
    });
  });
});
