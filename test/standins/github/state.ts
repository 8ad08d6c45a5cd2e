import { createHash } from 'node:crypto';
import { GitHubApiError, notFound } from './api-error.js';
import { CheckStore } from './check-store.js';
import { CommentStore } from './comment-store.js';
import { DeploymentStore } from './deployment-store.js';
import { PullRequestStore } from './pull-request-store.js';
import type { TokenPermissions } from './token-permissions.js';
import {
  createEmptyData,
  shaPattern,
  type AccountType,
  type CollaboratorRole,
  type CommitRecord,
  type GitActor,
  type GitHubData,
  type LabelRecord,
  type RepositoryRecord,
  type UserRecord,
} from './records.js';

export interface GitHubStateOptions {
  /** The clock every timestamp comes from; tests pass a fixed or stepping one. */
  now?: () => Date;
}

const roles: readonly CollaboratorRole[] = ['admin', 'maintain', 'write', 'triage', 'read'];

function keyOf(fullName: string): string {
  return fullName.toLowerCase();
}

/**
 * The stand-in's store: users, tokens, repositories and git objects here, and the rules for pull
 * requests, comments, deployments and checks in their own stores. Every method takes one JSON
 * object so the admin endpoint can call it unchanged.
 */
export class GitHubState {
  readonly data: GitHubData = createEmptyData();
  readonly pulls = new PullRequestStore(this);
  readonly comments = new CommentStore(this);
  readonly deployments = new DeploymentStore(this);
  readonly checks = new CheckStore(this);
  private readonly now: () => Date;

  constructor(options: GitHubStateOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  /** The current time as GitHub prints it (seconds, Z). */
  timestamp(): string {
    return this.now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }

  /** A fresh id, unique across every kind of object as GitHub's are. */
  allocateId(): number {
    this.data.nextId += 1;
    return this.data.nextId;
  }

  // Identities

  /** Returns the user with `login`, creating it with `type` when unknown. */
  ensureUser(input: { login: string; type?: AccountType }): UserRecord {
    const found = this.readUser(input.login);
    if (found) return found;
    const type = input.type ?? (input.login.endsWith('[bot]') ? 'Bot' : 'User');
    const user: UserRecord = { id: this.allocateId(), login: input.login, type };
    this.data.users.push(user);
    return user;
  }

  /** Finds a user by login, ignoring case as GitHub does. */
  readUser(login: string): UserRecord | undefined {
    const wanted = login.toLowerCase();
    return this.data.users.find((u) => u.login.toLowerCase() === wanted);
  }

  /** Makes `token` authenticate as `login`; `workflow` makes it as limited as a workflow's GITHUB_TOKEN. */
  addToken(input: {
    token: string;
    login: string;
    type?: AccountType;
    workflow?: boolean;
    permissions?: TokenPermissions;
  }): UserRecord {
    const user = this.ensureUser({ login: input.login, ...(input.type ? { type: input.type } : {}) });
    this.data.tokens[input.token] = {
      login: user.login,
      workflow: input.workflow ?? false,
      ...(input.permissions ? { permissions: { ...input.permissions } } : {}),
    };
    return user;
  }

  /**
   * Makes `token` a job's GITHUB_TOKEN: a workflow token (see addToken) limited to `permissions`.
   * @throws GitHubApiError 422 naming the scope whose level is not read, write or none.
   */
  registerScopedToken(input: { token: string; login: string; permissions: TokenPermissions }): UserRecord {
    for (const [scope, level] of Object.entries(input.permissions)) {
      if (!['read', 'write', 'none'].includes(level)) {
        throw new GitHubApiError(422, `permissions.${scope}: '${String(level)}' is not read, write or none`);
      }
    }
    return this.addToken({ ...input, workflow: true });
  }

  /** Returns whom a token authenticates as, whether it is a workflow token and its permissions; undefined for unknown tokens. */
  readToken(token: string): { user: UserRecord; workflow: boolean; permissions?: TokenPermissions } | undefined {
    const record = this.data.tokens[token];
    const user = record && this.readUser(record.login);
    if (!user || !record) return undefined;
    return { user, workflow: record.workflow, ...(record.permissions ? { permissions: record.permissions } : {}) };
  }

  // Repositories

  /** Creates a repository with one commit on its default branch; returns the existing one if present. */
  createRepository(input: {
    owner: string;
    name: string;
    ownerType?: AccountType;
    defaultBranch?: string;
    private?: boolean;
    fork?: boolean;
    /** The number its next issue or pull request gets, as in a repository with history; default 1. */
    firstNumber?: number;
  }): RepositoryRecord {
    const existing = this.findRepository(`${input.owner}/${input.name}`);
    if (existing) return existing;
    const owner = this.ensureUser({ login: input.owner, type: input.ownerType ?? 'Organization' });
    const now = this.timestamp();
    const repository: RepositoryRecord = {
      id: this.allocateId(),
      owner: owner.login,
      name: input.name,
      fullName: `${owner.login}/${input.name}`,
      private: input.private ?? false,
      fork: input.fork ?? false,
      defaultBranch: input.defaultBranch ?? 'main',
      createdAt: now,
      updatedAt: now,
      pushedAt: now,
      collaborators: {},
      nextNumber: input.firstNumber ?? 1,
    };
    this.data.repositories.push(repository);
    const commit = this.createCommit({ repo: repository.fullName, message: 'Initial commit' });
    this.setRef({ repo: repository.fullName, ref: `refs/heads/${repository.defaultBranch}`, sha: commit.sha });
    return repository;
  }

  /** Finds a repository by `owner/name`, ignoring case. */
  findRepository(fullName: string): RepositoryRecord | undefined {
    const key = keyOf(fullName);
    return this.data.repositories.find((r) => keyOf(r.fullName) === key);
  }

  /** Like findRepository, but a missing repository is GitHub's 404. */
  readRepository(fullName: string): RepositoryRecord {
    const repository = this.findRepository(fullName);
    if (!repository) throw notFound();
    return repository;
  }

  /** Grants `login` a role on the repository. */
  addCollaborator(input: { repo: string; login: string; role: CollaboratorRole }): UserRecord {
    if (!roles.includes(input.role)) throw new Error(`role must be one of ${roles.join(', ')}`);
    const repository = this.readRepository(input.repo);
    const user = this.ensureUser({ login: input.login });
    repository.collaborators[user.login.toLowerCase()] = input.role;
    return user;
  }

  /** Removes `login` from the repository's collaborators. */
  removeCollaborator(input: { repo: string; login: string }): void {
    delete this.readRepository(input.repo).collaborators[input.login.toLowerCase()];
  }

  /** The role `login` holds; owners are admins. Undefined for non-collaborators. */
  readRole(input: { repo: string; login: string }): CollaboratorRole | undefined {
    const repository = this.readRepository(input.repo);
    if (repository.owner.toLowerCase() === input.login.toLowerCase()) return 'admin';
    return repository.collaborators[input.login.toLowerCase()];
  }

  // Git

  /** Records a commit; its SHA is derived from the store so runs are repeatable. */
  createCommit(input: {
    repo: string;
    message?: string;
    parents?: string[];
    date?: string;
    author?: string;
    /** The commit's sha as a real repository named it (a scenario's consumer repository); default: made up. */
    sha?: string;
  }): CommitRecord {
    const repository = this.readRepository(input.repo);
    const serial = this.allocateId();
    const message = input.message ?? `Commit ${serial}`;
    const sha = input.sha ?? createHash('sha1').update(`${repository.fullName}\0${serial}\0${message}`).digest('hex');
    const name = input.author ?? 'Monalisa Octocat';
    const actor: GitActor = {
      name,
      email: `${name.replace(/\W+/g, '.').toLowerCase()}@example.com`,
      date: input.date ?? this.timestamp(),
    };
    const commit: CommitRecord = {
      repo: repository.fullName,
      sha,
      treeSha: createHash('sha1').update(`tree\0${sha}`).digest('hex'),
      message,
      author: actor,
      committer: { ...actor },
      parents: input.parents ?? [],
    };
    this.data.commits.push(commit);
    return commit;
  }

  /** Finds a commit by SHA in any repository (fork heads are reachable from their base, as on GitHub). */
  findCommit(sha: string): CommitRecord | undefined {
    return this.data.commits.find((c) => c.sha === sha);
  }

  /** Creates or moves a ref (`refs/...`). */
  setRef(input: { repo: string; ref: string; sha: string; type?: 'commit' | 'tag' }): void {
    const repository = this.readRepository(input.repo);
    const existing = this.data.refs.find((r) => r.repo === repository.fullName && r.ref === input.ref);
    if (existing) {
      existing.sha = input.sha;
      existing.type = input.type ?? existing.type;
    } else {
      this.data.refs.push({ repo: repository.fullName, ref: input.ref, sha: input.sha, type: input.type ?? 'commit' });
    }
  }

  /** Creates a ref as POST git/refs does: 422 when it exists or the SHA is unknown. */
  createRef(input: { repo: string; ref: string; sha: string }): void {
    const repository = this.readRepository(input.repo);
    if (!input.ref.startsWith('refs/') || input.ref.split('/').length < 3) {
      throw new GitHubApiError(422, 'Reference name must start with refs/ and have at least two slashes.');
    }
    if (this.data.refs.some((r) => r.repo === repository.fullName && r.ref === input.ref)) {
      throw new GitHubApiError(422, 'Reference already exists');
    }
    const tagObject = this.data.tagObjects.find((t) => t.repo === repository.fullName && t.sha === input.sha);
    if (!tagObject && !this.findCommit(input.sha)) throw new GitHubApiError(422, 'Object does not exist');
    this.setRef({ repo: repository.fullName, ref: input.ref, sha: input.sha, type: tagObject ? 'tag' : 'commit' });
  }

  /** Creates or moves branch `branch` to `sha` (default: the tip of the default branch). */
  createBranch(input: { repo: string; branch: string; sha?: string }): { ref: string; sha: string } {
    const repository = this.readRepository(input.repo);
    const sha = input.sha ?? this.resolveRef({ repo: repository.fullName, ref: repository.defaultBranch });
    const ref = `refs/heads/${input.branch}`;
    this.setRef({ repo: repository.fullName, ref, sha });
    return { ref, sha };
  }

  /**
   * Creates tag `tag` on commit `sha` (default: default branch tip). Annotated tags get a tag object
   * whose SHA the ref points at, as in git.
   */
  createTag(input: { repo: string; tag: string; sha?: string; annotated?: boolean; message?: string }): {
    ref: string;
    sha: string;
    commitSha: string;
  } {
    const repository = this.readRepository(input.repo);
    const commitSha = input.sha ?? this.resolveRef({ repo: repository.fullName, ref: repository.defaultBranch });
    const ref = `refs/tags/${input.tag}`;
    if (!input.annotated) {
      this.setRef({ repo: repository.fullName, ref, sha: commitSha, type: 'commit' });
      return { ref, sha: commitSha, commitSha };
    }
    const sha = createHash('sha1')
      .update(`tag\0${repository.fullName}\0${input.tag}\0${this.allocateId()}`)
      .digest('hex');
    this.data.tagObjects.push({
      repo: repository.fullName,
      sha,
      tag: input.tag,
      message: input.message ?? `Release ${input.tag}\n`,
      objectSha: commitSha,
      tagger: { name: 'Monalisa Octocat', email: 'monalisa.octocat@example.com', date: this.timestamp() },
    });
    this.setRef({ repo: repository.fullName, ref, sha, type: 'tag' });
    return { ref, sha, commitSha };
  }

  /** Resolves a SHA, branch, tag or `refs/...` name to a commit SHA; 422 as GitHub when it cannot. */
  resolveRef(input: { repo: string; ref: string }): string {
    const repository = this.readRepository(input.repo);
    if (shaPattern.test(input.ref)) return input.ref;
    const candidates = input.ref.startsWith('refs/')
      ? [input.ref]
      : [`refs/heads/${input.ref}`, `refs/tags/${input.ref}`];
    for (const name of candidates) {
      const ref = this.data.refs.find((r) => r.repo === repository.fullName && r.ref === name);
      if (!ref) continue;
      if (ref.type === 'commit') return ref.sha;
      const tag = this.data.tagObjects.find((t) => t.sha === ref.sha);
      if (tag) return tag.objectSha;
    }
    throw new GitHubApiError(422, `No ref found for: ${input.ref}`);
  }

  // Labels

  /** Returns the repository label named `name`, creating it. */
  ensureLabel(input: { repo: string; name: string; color?: string }): LabelRecord {
    const repository = this.readRepository(input.repo);
    const found = this.data.labels.find(
      (l) => l.repo === repository.fullName && l.name.toLowerCase() === input.name.toLowerCase(),
    );
    if (found) return found;
    const label: LabelRecord = {
      repo: repository.fullName,
      id: this.allocateId(),
      name: input.name,
      color: input.color ?? 'ededed',
      description: null,
    };
    this.data.labels.push(label);
    return label;
  }

  /** A JSON copy of everything stored except the tokens, for assertions. */
  snapshot(): Omit<GitHubData, 'tokens'> {
    const { tokens: _tokens, ...rest } = this.data;
    return structuredClone(rest);
  }
}
