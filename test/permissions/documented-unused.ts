import type { DocumentedUnused } from './compare-permissions.js';

/**
 * Grants the e2e suite cannot exercise against the sandbox, each with the reason. Only limits of the sandbox
 * belong here (moto, the registries, the GitHub stand-in); a call the suite could make but does not is a missing
 * test, and pnpm check-permissions reports it.
 */
export const documentedUnused: readonly DocumentedUnused[] = [
  // moto has no DeleteTaskDefinitions; the tear-down tolerates its absence and still deregisters.
  {
    action: 'cleanup-stale',
    operation: 'ecs:DeleteTaskDefinitions',
    reason: 'moto does not implement DeleteTaskDefinitions',
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
