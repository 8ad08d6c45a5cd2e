import type { Faults, FaultInput } from './faults.js';
import type { RateLimits } from './rate-limits.js';
import type { RequestLog } from './request-log.js';
import type { GitHubState } from './state.js';

type Input<F> = F extends (input: infer I) => unknown ? I : never;

/** What the admin endpoint can do; each takes one JSON object and returns JSON. */
export function createAdminOperations(parts: {
  state: GitHubState;
  rateLimits: RateLimits;
  faults: Faults;
  requests: RequestLog;
  violations: string[];
}) {
  const { state, rateLimits, faults, requests, violations } = parts;
  return {
    addToken: (input: Input<GitHubState['addToken']>) => state.addToken(input),
    registerScopedToken: (input: Input<GitHubState['registerScopedToken']>) => state.registerScopedToken(input),
    createRepository: (input: Input<GitHubState['createRepository']>) => state.createRepository(input),
    addCollaborator: (input: Input<GitHubState['addCollaborator']>) => state.addCollaborator(input),
    removeCollaborator: (input: Input<GitHubState['removeCollaborator']>) => state.removeCollaborator(input),
    createBranch: (input: Input<GitHubState['createBranch']>) => state.createBranch(input),
    createTag: (input: Input<GitHubState['createTag']>) => state.createTag(input),
    createPullRequest: (input: Input<GitHubState['pulls']['create']>) => state.pulls.create(input),
    updatePullRequest: (input: Input<GitHubState['pulls']['update']>) => state.pulls.update(input),
    closePullRequest: (input: Input<GitHubState['pulls']['close']>) => state.pulls.close(input),
    reopenPullRequest: (input: Input<GitHubState['pulls']['reopen']>) => state.pulls.reopen(input),
    mergePullRequest: (input: Input<GitHubState['pulls']['merge']>) => state.pulls.merge(input),
    pushCommits: (input: Input<GitHubState['pulls']['pushCommits']>) => state.pulls.pushCommits(input),
    createComment: (input: Input<GitHubState['comments']['create']>) => state.comments.create(input),
    addReaction: (input: Input<GitHubState['comments']['addReaction']>) => state.comments.addReaction(input),
    createDeployment: (input: Input<GitHubState['deployments']['create']>) => state.deployments.create(input),
    createDeploymentStatus: (input: Input<GitHubState['deployments']['createStatus']>) =>
      state.deployments.createStatus(input),
    upsertEnvironment: (input: Input<GitHubState['deployments']['upsertEnvironment']>) =>
      state.deployments.upsertEnvironment(input),
    snapshot: (_input?: Record<string, never>) => state.snapshot(),
    readRequests: (_input?: Record<string, never>) => ({ counts: requests.counts, entries: requests.entries }),
    resetRequests: (_input?: Record<string, never>) => requests.reset(),
    setRateLimit: (input: Parameters<RateLimits['set']>[0]) => rateLimits.set(input),
    injectFault: (input: FaultInput) => faults.add(input),
    clearFaults: (_input?: Record<string, never>) => faults.clear(),
    readViolations: (_input?: Record<string, never>) => [...violations],
  };
}

export type AdminOperations = ReturnType<typeof createAdminOperations>;
export type AdminOperationName = keyof AdminOperations;
