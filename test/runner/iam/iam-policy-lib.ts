import { createRequire } from 'node:module';

/** The parts of `@cloud-copilot/iam-policy` used here (its own types are not reachable from this package). */
interface IamPolicyLib {
  createValidatedPolicy(
    document: unknown,
    validate: (policy: unknown) => unknown[],
    metadata?: { name: string },
  ): unknown;
  validateTrustPolicy(policy: unknown): { message: string }[];
  validateIdentityPolicy(policy: unknown): { message: string }[];
}

/**
 * `@cloud-copilot/iam-policy`, loaded through `@cloud-copilot/iam-simulate`'s own dependency: the workspace
 * declares only iam-simulate, and pnpm does not hoist its dependencies, so a plain import would not resolve.
 * Declaring iam-policy in test/package.json would make this a plain import. Test code only (AGPL).
 */
const simulateEntry = createRequire(import.meta.url).resolve('@cloud-copilot/iam-simulate');
export const iamPolicyLib = createRequire(simulateEntry)('@cloud-copilot/iam-policy') as IamPolicyLib;
