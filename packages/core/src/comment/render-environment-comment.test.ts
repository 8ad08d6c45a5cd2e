import { describe, expect, it } from '@jest/globals';
import type { EnvironmentFacts } from './environment-facts.js';
import { renderCommandHelp } from './render-command-help.js';
import { renderEnvironmentComment } from './render-environment-comment.js';

const deployed: EnvironmentFacts = {
  status: 'deployed',
  prNumber: 42,
  branch: 'feature/login',
  sha: '0123456789abcdef0123456789abcdef01234567',
  services: [
    { name: 'api', url: 'https://pr-42.example.com/api', healthUrl: 'https://pr-42.example.com/api/health' },
    { name: 'admin', url: 'https://pr-42.example.com/admin' },
  ],
  logsUrl: 'https://console.aws.amazon.com/cloudwatch/home#logsV2:log-groups',
  expiresAt: new Date('2030-01-02T03:04:05Z'),
  costPerDayUsd: 1.234,
  protectedByBasicAuth: true,
};

describe('renderEnvironmentComment', () => {
  it('shows status, a link per service with health and logs, expiry, cost and the commands', () => {
    const body = renderEnvironmentComment(deployed);
    expect(body).toContain('### Preview environment `pr-42`: 🚀 Deployed');
    expect(body).toContain('branch `feature/login`, commit `0123456789ab`');
    expect(body).toContain(
      '| api | [https://pr-42.example.com/api](https://pr-42.example.com/api) | [health](https://pr-42.example.com/api/health) |  |',
    );
    expect(body).toContain('- Logs: [all services](https://console.aws.amazon.com/cloudwatch/home#logsV2:log-groups)');
    expect(body).toContain('- Expires: 2030-01-02 03:04 UTC, then hibernated, and deleted after a grace period');
    expect(body).toContain('- Estimated cost: $1.23 per day');
    expect(body).toContain('- Login: protected by basic auth; ask a maintainer for the credentials');
    expect(body).toContain(renderCommandHelp());
  });

  it('says which rule ends the environment: its expiry, or without one inactivity', () => {
    const noExpiry: EnvironmentFacts = { ...deployed };
    delete noExpiry.expiresAt;
    const idle = renderEnvironmentComment(noExpiry);
    expect(idle).toContain('- Expires: not by time; hibernated after a period without activity');
    expect(idle).not.toMatch(/Expires: \d/);
    expect(renderEnvironmentComment({ ...noExpiry, status: 'deploying' })).not.toContain('Expires');
  });

  it('renders the same facts to the same text, so an unchanged environment needs no edit', () => {
    expect(renderEnvironmentComment(deployed)).toBe(
      renderEnvironmentComment({ ...deployed, services: [...deployed.services] }),
    );
  });

  it('shows credentials only when they are handed in', () => {
    expect(renderEnvironmentComment(deployed)).not.toContain('password');
    const shown = renderEnvironmentComment({ ...deployed, basicAuth: { username: 'preview', password: 'hunter2' } });
    expect(shown).toContain('- Login: user `preview`, password `hunter2`');
  });

  it('renders hostile branch, title and message as inert text', () => {
    const body = renderEnvironmentComment({
      ...deployed,
      branch: 'x`<img src=x onerror=alert(1)>`',
      title: '<script>alert(1)</script> @everyone [click](javascript:alert(1))',
      message: 'line one\n::set-output name=x::y\n<details open>',
      services: [{ name: 'api', url: 'javascript:alert(1)' }],
    });
    expect(body).toContain('branch `` x`<img src=x onerror=alert(1)>` ``');
    expect(body).toContain(
      '**&lt;script&gt;alert\\(1\\)&lt;/script&gt; @\u200beveryone \\[click\\]\\(javascript:alert\\(1\\)\\)**',
    );
    expect(body).toContain('> line one ::set-output name=x::y &lt;details open&gt;');
    expect(body).not.toMatch(/\]\(javascript:/);
    expect(body).not.toMatch(/\n::set-output/);
  });

  it('leaves out links and commands once the environment is removed', () => {
    const body = renderEnvironmentComment({ ...deployed, status: 'destroyed' });
    expect(body).toContain('🧹 Removed');
    expect(body).not.toContain('https://pr-42.example.com');
    expect(body).not.toContain('Commands');
    expect(body).not.toContain('Expires');
  });

  it('lists only the enabled commands with the configured prefix', () => {
    const body = renderEnvironmentComment(deployed, { commandPrefix: '!', commands: ['deploy', 'help'] });
    expect(body).toContain('`!deploy [sha]`');
    expect(body).not.toContain('/deploy');
    expect(body).not.toContain('extend');
  });
});
