import type { RenderContext } from './render-context.js';
import { createNodeId } from './render-context.js';
import type { UserRecord } from './records.js';

/** Renders a user as GitHub's `simple-user`. */
export function renderSimpleUser(context: RenderContext, user: UserRecord): Record<string, unknown> {
  const url = `${context.apiUrl}/users/${encodeURIComponent(user.login)}`;
  return {
    login: user.login,
    id: user.id,
    node_id: createNodeId(user.type, user.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: '',
    url,
    html_url: `${context.htmlUrl}/${user.type === 'Bot' ? 'apps/' + user.login.replace(/\[bot\]$/, '') : encodeURIComponent(user.login)}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: user.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** Renders the authenticated user as GET /user does (`private-user`). */
export function renderPrivateUser(context: RenderContext, user: UserRecord): Record<string, unknown> {
  const created = context.state.timestamp();
  return {
    ...renderSimpleUser(context, user),
    name: user.login,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: created,
    updated_at: created,
    private_gists: 0,
    total_private_repos: 0,
    owned_private_repos: 0,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: true,
  };
}

/** Renders a user by login, creating unknown logins so authorship never dangles. */
export function renderUserByLogin(context: RenderContext, login: string): Record<string, unknown> {
  return renderSimpleUser(context, context.state.ensureUser({ login }));
}
