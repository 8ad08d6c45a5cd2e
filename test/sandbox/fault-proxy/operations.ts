import { nameAwsOperation, needsAwsBody } from './operation-aws.js';
import { nameGitHubOperation, needsGitHubBody } from './operation-github.js';
import { nameCloudflareOperation, nameRegistryOperation } from './operation-rest.js';
import type { NamedOperation, RequestFacts, TargetKind } from './operation.js';

/** Names the operation of one request in its backend's vocabulary and says whether it mutates. */
export function nameOperation(kind: TargetKind, facts: RequestFacts): NamedOperation {
  switch (kind) {
    case 'aws':
      return nameAwsOperation(facts);
    case 'github':
      return nameGitHubOperation(facts);
    case 'cloudflare':
      return nameCloudflareOperation(facts);
    case 'registry':
      return nameRegistryOperation(facts);
  }
}

/** True when the operation's name or mutability lives in the body, so the proxy buffers it first. */
export function needsBody(kind: TargetKind, facts: Omit<RequestFacts, 'body'>): boolean {
  if (kind === 'aws') return needsAwsBody(facts);
  if (kind === 'github') return needsGitHubBody(facts);
  return false;
}
