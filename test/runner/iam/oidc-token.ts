import { createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import type { JobFacts } from '../standin-api.js';

/** GitHub's issuer; AWS's OIDC provider for Actions is named after it. */
export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';

/**
 * How GitHub spells the subject's repository: `name` (`repo:octo/app:…`) or `immutable`, the default for
 * repositories created since mid-2026, with the owner's and the repository's numeric ids after `@`
 * (`repo:octo@123456/app@456789:…`, GitHub docs "OpenID Connect", "Immutable subject claims").
 */
export type SubjectForm = 'name' | 'immutable';

/** The claims of an Actions OIDC token that trust policies and our tests read. */
export interface GitHubOidcClaims {
  iss: string;
  aud: string;
  sub: string;
  repository: string;
  repository_id: string;
  repository_owner: string;
  repository_owner_id: string;
  ref: string;
  ref_type: 'branch' | 'tag' | '';
  environment?: string;
  job_workflow_ref: string;
  workflow_ref: string;
  event_name: string;
  actor: string;
  run_id: string;
  run_attempt: string;
  sha: string;
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
}

/**
 * The default subject GitHub puts in a job's token: the environment when the job has one, else
 * `pull_request` for pull_request events, else the ref (GitHub docs, "Example subject claims").
 */
export function subjectFor(job: JobFacts, form: SubjectForm): string {
  const [owner, name] = job.repository.split('/') as [string, string];
  const repo = form === 'immutable' ? `${owner}@${job.repositoryOwnerId}/${name}@${job.repositoryId}` : job.repository;
  if (job.environment) return `repo:${repo}:environment:${job.environment}`;
  if (job.eventName === 'pull_request' || job.eventName === 'pull_request_target') {
    return `repo:${repo}:pull_request`;
  }
  return `repo:${repo}:ref:${job.ref}`;
}

/** The claims GitHub would mint for the job, with `aud` as the requester asked (`audience` input). */
export function claimsFor(job: JobFacts, audience: string, form: SubjectForm, now = new Date()): GitHubOidcClaims {
  const iat = Math.floor(now.getTime() / 1000);
  const workflowRef = `${job.repository}/${job.workflowFile}@${job.ref}`;
  return {
    iss: GITHUB_OIDC_ISSUER,
    aud: audience,
    sub: subjectFor(job, form),
    repository: job.repository,
    repository_id: String(job.repositoryId),
    repository_owner: job.repositoryOwner,
    repository_owner_id: String(job.repositoryOwnerId),
    ref: job.ref,
    ref_type: job.ref.startsWith('refs/tags/') ? 'tag' : job.ref.startsWith('refs/heads/') ? 'branch' : '',
    ...(job.environment ? { environment: job.environment } : {}),
    job_workflow_ref: workflowRef,
    workflow_ref: workflowRef,
    event_name: job.eventName,
    actor: job.actor,
    run_id: job.runId,
    run_attempt: job.runAttempt,
    sha: job.sha,
    iat,
    nbf: iat - 5,
    exp: iat + 300,
    jti: randomUUID(),
  };
}

let signingKey: KeyObject | undefined;

/**
 * Mints an RS256 JWT for the claims with a key made once per test process, so a token looks and parses
 * like GitHub's; nothing verifies the signature (the trust evaluation reads the claims it minted).
 */
export function mintIdToken(claims: GitHubOidcClaims): string {
  signingKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const header = { alg: 'RS256', typ: 'JWT', kid: 'standin-oidc' };
  const body = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(body).sign(signingKey);
  return `${body}.${signature.toString('base64url')}`;
}

/** The claims of a token minted by {@link mintIdToken} (no signature check: the token never left this process). */
export function readIdTokenClaims(token: string): GitHubOidcClaims {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('not a JWT');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as GitHubOidcClaims;
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
