import type { RenderContext } from './render-context.js';
import { createNodeId } from './render-context.js';
import { renderUserByLogin } from './render-user.js';

const actionsAppId = 15368;

/** Renders the GitHub App behind a bot login (`integration`), or null for people, as GitHub does. */
export function renderAppFor(context: RenderContext, login: string): Record<string, unknown> | null {
  const user = context.state.ensureUser({ login });
  if (user.type !== 'Bot') return null;
  const slug = user.login.replace(/\[bot\]$/, '');
  const since = '2018-07-30T09:30:17Z';
  return {
    id: actionsAppId,
    slug,
    node_id: createNodeId('Integration', actionsAppId),
    owner: renderUserByLogin(context, 'github'),
    name: slug,
    description: null,
    external_url: `${context.htmlUrl}/apps/${slug}`,
    html_url: `${context.htmlUrl}/apps/${slug}`,
    created_at: since,
    updated_at: since,
    permissions: {
      checks: 'write',
      deployments: 'write',
      issues: 'write',
      metadata: 'read',
      pull_requests: 'write',
      statuses: 'write',
    },
    events: [],
  };
}
