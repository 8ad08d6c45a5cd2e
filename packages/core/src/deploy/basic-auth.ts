import { createHmac } from 'node:crypto';

/** Basic-auth credentials of one preview environment. */
export interface BasicAuthCredentials {
  username: string;
  password: string;
}

/**
 * Derives the environment's basic-auth credentials from a repository secret, so every deploy of
 * the same PR keeps the same password (reviewers keep their saved login) and no state is stored.
 */
export function deriveBasicAuth(secret: string, repo: string, pr: number): BasicAuthCredentials {
  const password = createHmac('sha256', secret).update(`${repo.toLowerCase()}#${pr}`).digest('base64url').slice(0, 24);
  return { username: `pr-${pr}`, password };
}
