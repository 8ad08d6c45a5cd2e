import type { Octokit } from '../action/context.js';
import type { Logger } from '../action/logger.js';

/** The login the workflow's GITHUB_TOKEN writes as. */
export const GITHUB_ACTIONS_LOGIN = 'github-actions[bot]';

const cache = new WeakMap<Octokit, Promise<string>>();

/**
 * Finds the login a token writes comments as, so we only ever edit our own comments.
 * `override` wins (set it for GitHub App tokens, whose login is `<slug>[bot]`). Otherwise
 * GET /user answers for personal tokens; installation tokens get 403 there, so the GraphQL
 * `viewer` is asked next; when both fail the token is taken to be the workflow's
 * GITHUB_TOKEN. A wrong guess is safe: no one else can hold a `[bot]` login, so the worst
 * outcome is a second comment, never an edit of someone else's.
 */
export async function readTokenLogin(input: { octokit: Octokit; override?: string; log?: Logger }): Promise<string> {
  const override = input.override?.trim();
  if (override) return override;
  let pending = cache.get(input.octokit);
  if (!pending) {
    pending = askLogin(input.octokit, input.log);
    cache.set(input.octokit, pending);
  }
  return pending;
}

async function askLogin(octokit: Octokit, log: Logger | undefined): Promise<string> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    if (data.login) return data.login;
  } catch {
    // installation tokens cannot read /user; the viewer query below covers them
  }
  try {
    const { viewer } = await octokit.graphql<{ viewer: { login: string } }>('query { viewer { login } }');
    if (viewer.login) return viewer.login;
  } catch {
    // the workflow token cannot always read viewer either; fall through to its known login
  }
  log?.debug(
    `Could not read the token's login; assuming ${GITHUB_ACTIONS_LOGIN}. Set the comment author input when using an app token.`,
  );
  return GITHUB_ACTIONS_LOGIN;
}
