import type { DocumentedUnused } from './compare-permissions.js';

/**
 * Grants the e2e suite cannot exercise against the sandbox, each with the reason. Only limits of the sandbox
 * belong here (moto, the registries, the GitHub stand-in); a call the suite could make but does not is a missing
 * test, and pnpm check-permissions reports it.
 */
export const documentedUnused: readonly DocumentedUnused[] = [
  // build-double-tag talks to ECR only for ECR registries (immutability lookup, login for the push); the e2e
  // builds push to the sandbox's OCI registries, since moto serves no registry API to push an image to.
  ...['ecr:DescribeRepositories', 'ecr:GetAuthorizationToken'].map((operation) => ({
    action: 'build-double-tag',
    operation,
    reason: 'ECR-only calls; a build cannot be pushed to moto, which serves no registry API',
  })),
  // The bundled sweeps (cleanup-expiry.test.ts) post the expiry warning and the hibernation notice as new
  // comments; updating an existing notice in place needs a second sweep hours later, which is tested with a manual
  // clock through the use case (test/e2e/cleanup-sweep.test.ts), not the bundle.
  {
    action: 'cleanup-stale',
    operation: 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
    reason: 'a notice is updated only by a later sweep, hours on; tested with a manual clock through the use case',
  },
  // Promotion inside ECR is exercised against moto at the core level (test/e2e/registry-ecr.test.ts, by
  // digest); the bundled action reads its source by tag, and moto's BatchGetImage by tag answers a digest
  // computed from nothing (sha256 of the empty string), which the exact-bytes check rightly refuses.
  ...['ecr:DescribeImages', 'ecr:BatchGetImage', 'ecr:PutImage'].map((operation) => ({
    action: 'retag-promote',
    operation,
    reason: "moto's BatchGetImage by tag reports a made-up digest, so the bundled run against moto ECR cannot pass",
  })),
  // A docker/buildah push to ECR speaks the registry HTTP API, which moto does not serve; the sandbox pushes
  // to plain registries instead.
  ...[
    'ecr:BatchCheckLayerAvailability',
    'ecr:InitiateLayerUpload',
    'ecr:UploadLayerPart',
    'ecr:CompleteLayerUpload',
    'ecr:PutImage',
    'ecr:BatchGetImage',
    'ecr:GetDownloadUrlForLayer',
  ].map((operation) => ({
    action: 'build-double-tag',
    operation,
    reason: 'made by the image push through the ECR registry API, which moto does not serve',
  })),
];

/** Permissions AWS checks while serving another call; they never appear as calls of their own. */
export const permissionOnlyActions: ReadonlySet<string> = new Set(['iam:PassRole']);
