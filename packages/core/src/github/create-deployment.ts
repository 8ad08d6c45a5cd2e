import type { Octokit } from '../action/context.js';
import type { RepoRef } from './repo-ref.js';

/** The environment a pull request's preview is deployed to: `pr-{N}`. */
export function formatPreviewEnvironment(pr: number): string {
  return `pr-${pr}`;
}

/**
 * Records a preview deployment of `ref` (the head sha) to `pr-{N}`: transient, not
 * production, with no auto-merge and no required contexts, since the preview is built from
 * exactly that commit whatever its checks say. Returns the deployment id.
 */
export async function createPreviewDeployment(input: {
  octokit: Octokit;
  repo: RepoRef;
  pr: number;
  ref: string;
  description?: string;
  payload?: Record<string, unknown>;
}): Promise<number> {
  return createDeployment(input.octokit, input.repo, {
    ref: input.ref,
    environment: formatPreviewEnvironment(input.pr),
    transient_environment: true,
    production_environment: false,
    ...(input.description ? { description: input.description } : {}),
    payload: input.payload ?? {},
  });
}

/** Image digests of a promotion, by service (or image) name. */
export type DigestMap = Readonly<Record<string, string>>;

/**
 * Records a promotion: `ref` is the version tag, `environment` the environment tag it moved
 * (e.g. `prod`), and the payload keeps the digests now running and the ones they replaced,
 * so a rollback can be read back from the deployment history.
 */
export async function createPromotionDeployment(input: {
  octokit: Octokit;
  repo: RepoRef;
  environment: string;
  ref: string;
  digests: DigestMap;
  previousDigests: DigestMap;
  production: boolean;
  description?: string;
}): Promise<number> {
  return createDeployment(input.octokit, input.repo, {
    ref: input.ref,
    environment: input.environment,
    transient_environment: false,
    production_environment: input.production,
    ...(input.description ? { description: input.description } : {}),
    payload: { digests: input.digests, previousDigests: input.previousDigests },
  });
}

async function createDeployment(
  octokit: Octokit,
  repo: RepoRef,
  fields: {
    ref: string;
    environment: string;
    transient_environment: boolean;
    production_environment: boolean;
    description?: string;
    payload: Record<string, unknown>;
  },
): Promise<number> {
  const { data } = await octokit.rest.repos.createDeployment({
    ...repo,
    ...fields,
    auto_merge: false,
    required_contexts: [],
  });
  if (!('id' in data))
    throw new Error(`GitHub did not create the ${fields.environment} deployment: ${data.message ?? 'no reason given'}`);
  return data.id;
}
