import type { Octokit } from '../action/context.js';
import type { Logger } from '../action/logger.js';
import { readHttpStatus } from './http-status.js';

/** The login the workflow's GITHUB_TOKEN writes as. */
export const GITHUB_ACTIONS_LOGIN = 'github-actions[bot]';

const cache = new WeakMap<Octokit, Promise<string>>();

/**
 * Finds the login a token writes comments as, so we only ever edit our own comments.
 * `override` wins (set it for GitHub App tokens, whose login is `<slug>[bot]`). Otherwise
 * GET /user answers for personal tokens; installation tokens get 403 there, so the GraphQL
 * `viewer` is asked next; when both fail the token is taken to be the workflow's
 * GITHUB_TOKEN. A wrong guess is safe: no one else can hold a `[bot]` login, so the worst
 * outcome is a second comment, never an edit of someone else's. That guess is made only when
 * GitHub refused both questions; when it failed to answer (5xx, reset, rate limit) this throws,
 * because a guess then would post a second sticky comment beside our own.
 */
export async function readTokenLogin(input: { octokit: Octokit; override?: string; log?: Logger }): Promise<string> {
  const override = input.override?.trim();
  if (override) return override;
  let pending = cache.get(input.octokit);
  if (!pending) {
    pending = askLogin(input.octokit, input.log);
    cache.set(input.octokit, pending);
    // a failure is not an answer: the next caller asks again
    pending.catch(() => cache.delete(input.octokit));
  }
  return pending;
}

async function askLogin(octokit: Octokit, log: Logger | undefined): Promise<string> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    if (data.login) return data.login;
  } catch (error) {
    // installation tokens cannot read /user; the viewer query below covers them
    if (!isRefusal(error)) throw unanswered(error);
  }
  try {
    const { viewer } = await octokit.graphql<{ viewer: { login: string } }>('query { viewer { login } }');
    if (viewer.login) return viewer.login;
  } catch (error) {
    // the workflow token cannot always read viewer either; fall through to its known login
    if (!isRefusal(error)) throw unanswered(error);
  }
  log?.debug(
    `Could not read the token's login; assuming ${GITHUB_ACTIONS_LOGIN}. Set the comment author input when using an app token.`,
  );
  return GITHUB_ACTIONS_LOGIN;
}

/**
 * True when GitHub refused to say who the token is (an installation token's 403 "Resource not accessible
 * by integration", a GraphQL FORBIDDEN), false when it failed to answer: a 5xx, a lost connection, a rate
 * limit. Guessing the login after a failure would miss our own comment and post a second one.
 */
function isRefusal(error: unknown): boolean {
  const e = error as { name?: unknown; message?: unknown; response?: { headers?: Record<string, unknown> } } | null;
  if (e?.name === 'GraphqlResponseError') return true;
  const status = readHttpStatus(error);
  if (status !== 401 && status !== 403 && status !== 404) return false;
  const headers = e?.response?.headers ?? {};
  const limited =
    headers['retry-after'] !== undefined ||
    String(headers['x-ratelimit-remaining']) === '0' ||
    /rate limit/i.test(String(e?.message ?? ''));
  return !limited;
}

function unanswered(error: unknown): Error {
  const status = readHttpStatus(error);
  const detail = String((error as { message?: unknown } | null)?.message ?? error).split('\n')[0];
  return new Error(
    `Could not read which login the token writes as${status ? ` (HTTP ${status})` : ''}: ${detail}; run again, or name the login (post-pr-comment: comment-author)`,
    { cause: error },
  );
}
