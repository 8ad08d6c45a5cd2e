/** The stand-in's stored facts. Plain JSON so the admin endpoint can return them as they are. */

export type AccountType = 'User' | 'Bot' | 'Organization';
export type CollaboratorRole = 'admin' | 'maintain' | 'write' | 'triage' | 'read';

export interface UserRecord {
  id: number;
  login: string;
  type: AccountType;
}

export interface TokenRecord {
  login: string;
  /**
   * Behaves like a workflow's GITHUB_TOKEN (an installation token): GET /user and GraphQL `viewer`
   * are refused, and so is administering environments.
   */
  workflow: boolean;
  /**
   * A job's GITHUB_TOKEN permissions (scope → read | write | none): calls outside them get GitHub's 403
   * "Resource not accessible by integration". Absent: every scope (tokens made before scoping existed).
   */
  permissions?: Record<string, 'read' | 'write' | 'none'>;
}

export interface RepositoryRecord {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  private: boolean;
  fork: boolean;
  defaultBranch: string;
  createdAt: string;
  updatedAt: string;
  pushedAt: string;
  /** Lower-cased login to role; GitHub matches logins case-insensitively. */
  collaborators: Record<string, CollaboratorRole>;
  nextNumber: number;
}

export interface GitActor {
  name: string;
  email: string;
  date: string;
}

export interface CommitRecord {
  repo: string;
  sha: string;
  treeSha: string;
  message: string;
  author: GitActor;
  committer: GitActor;
  parents: string[];
}

export interface RefRecord {
  repo: string;
  /** Fully qualified, e.g. refs/heads/main or refs/tags/v1.2.3. */
  ref: string;
  sha: string;
  type: 'commit' | 'tag';
}

export interface TagObjectRecord {
  repo: string;
  sha: string;
  tag: string;
  message: string;
  objectSha: string;
  tagger: GitActor;
}

export interface LabelRecord {
  repo: string;
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface PullRequestRecord {
  repo: string;
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  draft: boolean;
  locked: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
  author: string;
  head: { ref: string; sha: string; repo: string };
  base: { ref: string; sha: string };
  labels: string[];
  /** Commit SHAs on the head branch since the base, oldest first. */
  commits: string[];
}

export type IssueEventName = 'labeled' | 'unlabeled' | 'closed' | 'reopened' | 'merged' | 'head_ref_force_pushed';

export interface IssueEventRecord {
  repo: string;
  issueNumber: number;
  id: number;
  event: IssueEventName;
  actor: string;
  createdAt: string;
  label?: string;
  commitSha?: string | null;
}

export interface CommentRecord {
  repo: string;
  issueNumber: number;
  id: number;
  /** Set once hidden through GraphQL's minimizeComment, as GitHub reports it (outdated, off-topic). */
  minimizedReason?: string;
  body: string;
  author: string;
  createdAt: string;
  updatedAt: string;
}

export type ReactionContent = '+1' | '-1' | 'laugh' | 'confused' | 'heart' | 'hooray' | 'rocket' | 'eyes';

export interface ReactionRecord {
  id: number;
  commentId: number;
  content: ReactionContent;
  user: string;
  createdAt: string;
}

export interface DeploymentRecord {
  repo: string;
  id: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  originalEnvironment: string;
  description: string | null;
  payload: Record<string, unknown> | string;
  transientEnvironment: boolean;
  productionEnvironment: boolean;
  creator: string;
  createdAt: string;
  updatedAt: string;
}

export type DeploymentState = 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';

export interface DeploymentStatusRecord {
  repo: string;
  id: number;
  deploymentId: number;
  state: DeploymentState;
  description: string;
  environment: string;
  environmentUrl: string;
  logUrl: string;
  creator: string;
  createdAt: string;
  updatedAt: string;
}

export interface EnvironmentRecord {
  repo: string;
  id: number;
  name: string;
  waitTimer: number;
  createdAt: string;
  updatedAt: string;
}

export interface CheckRunRecord {
  repo: string;
  id: number;
  name: string;
  headSha: string;
  status: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  creator: string;
}

export interface CommitStatusRecord {
  repo: string;
  id: number;
  sha: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  targetUrl: string | null;
  description: string | null;
  context: string;
  creator: string;
  createdAt: string;
  updatedAt: string;
}

/** Everything the stand-in knows. Repositories are referred to by lower-cased `owner/name`. */
export interface GitHubData {
  nextId: number;
  users: UserRecord[];
  tokens: Record<string, TokenRecord>;
  repositories: RepositoryRecord[];
  commits: CommitRecord[];
  refs: RefRecord[];
  tagObjects: TagObjectRecord[];
  labels: LabelRecord[];
  pullRequests: PullRequestRecord[];
  issueEvents: IssueEventRecord[];
  comments: CommentRecord[];
  reactions: ReactionRecord[];
  deployments: DeploymentRecord[];
  deploymentStatuses: DeploymentStatusRecord[];
  environments: EnvironmentRecord[];
  checkRuns: CheckRunRecord[];
  commitStatuses: CommitStatusRecord[];
}

/** A full commit SHA as GitHub accepts it. */
export const shaPattern = /^[0-9a-f]{40}$/;

/** Returns an empty store. */
export function createEmptyData(): GitHubData {
  return {
    nextId: 1000,
    users: [],
    tokens: {},
    repositories: [],
    commits: [],
    refs: [],
    tagObjects: [],
    labels: [],
    pullRequests: [],
    issueEvents: [],
    comments: [],
    reactions: [],
    deployments: [],
    deploymentStatuses: [],
    environments: [],
    checkRuns: [],
    commitStatuses: [],
  };
}
