import { describe, expect, it } from '@jest/globals';
import { decideTrigger, readEventRef, type QueuedEvent } from './event-trigger.js';
import { matchesFilterPatterns } from './filter-pattern.js';
import { loadWorkflow } from './load-workflow.js';
import { fixture } from './fixtures/run-fixture.js';
import { join } from 'node:path';
import { repoRoot } from '../harness/paths.js';

describe("GitHub's filter patterns", () => {
  it.each([
    ['main', ['main'], true],
    ['release/v1', ['release/*'], true],
    ['release/v1/hotfix', ['release/*'], false],
    ['release/v1/hotfix', ['release/**'], true],
    ['v1.2.3', ['v*.*.*'], true],
    ['v1.2.3-rc.1', ['v*.*.*', '!v*-*'], false],
    ['v10', ['v1+0'], true],
    ['v1', ['v10?'], true],
    ['feature', ['[a-f]eature'], true],
    ['docs/a.md', ['**', '!**/*.md'], false],
    ['docs/a.md', ['!**/*.md', '**'], true],
  ])('%s against %j → %s', (value, patterns, expected) => {
    expect(matchesFilterPatterns(value, patterns)).toBe(expected);
  });
});

describe('on: filters of a workflow', () => {
  const decide = async (event: QueuedEvent) => {
    const { template } = await loadWorkflow(join(repoRoot, fixture('triggers.yml')));
    return decideTrigger(template.events, event, readEventRef(event, 'main', 'f'.repeat(40)));
  };
  const pull = (action: string, base: string, changedFiles?: string[]): QueuedEvent => ({
    name: 'pull_request',
    payload: { action, pull_request: { number: 7, base: { ref: base }, head: { ref: 'x', sha: 'a'.repeat(40) } } },
    ...(changedFiles ? { changedFiles } : {}),
  });

  it('runs for a matching tag and not for an excluded one or a branch push (only tags are filtered)', async () => {
    expect(await decide({ name: 'push', payload: { ref: 'refs/tags/v1.2.3' } })).toEqual({ triggered: true });
    expect((await decide({ name: 'push', payload: { ref: 'refs/tags/v1.2.3-beta.1' } })).triggered).toBe(false);
    expect((await decide({ name: 'push', payload: { ref: 'refs/heads/main' } })).triggered).toBe(false);
  });

  it('filters pull requests by activity type, base branch and changed paths', async () => {
    expect(await decide(pull('opened', 'main', ['services/api/main.ts']))).toEqual({ triggered: true });
    expect(await decide(pull('synchronize', 'main', ['services/api/main.ts']))).toMatchObject({
      triggered: false,
      reason: expect.stringContaining("activity type 'synchronize'"),
    });
    expect((await decide(pull('opened', 'develop', ['services/api/main.ts']))).triggered).toBe(false);
    expect((await decide(pull('closed', 'main', ['services/api/README.md']))).triggered).toBe(false);
  });

  it('refuses a paths filter when the scenario does not say which files changed', async () => {
    await expect(decide(pull('opened', 'main'))).rejects.toThrow(/changedFiles/);
  });

  it('answers not triggered for an event the workflow does not list', async () => {
    expect(await decide({ name: 'issue_comment', payload: {} })).toEqual({
      triggered: false,
      reason: "the workflow has no 'on: issue_comment'",
    });
  });
});
