import { GitHubApiError, notFound } from './api-error.js';
import type { IssueEventName, PullRequestRecord } from './records.js';
import type { GitHubState } from './state.js';

export interface CreatePullRequestInput {
  /** `owner/name` of the base repository. */
  repo: string;
  title?: string;
  body?: string | null;
  author?: string;
  headRef?: string;
  /** `owner/name` of the head repository; another owner makes it a fork, created on demand. */
  headRepo?: string;
  baseRef?: string;
  labels?: string[];
  draft?: boolean;
  /** How many commits the head branch starts with. */
  commits?: number;
  /** The head branch's commits as a real git repository named them (see PushCommitsInput.shas); over `commits`. */
  shas?: string[];
  /**
   * The pull request's number, unused in the repository (default: the next one): a workflow scenario's previews
   * are named pr-N in the sandbox's shared cluster, listener and zone, so each scenario picks its own N.
   */
  number?: number;
}

export interface UpdatePullRequestInput {
  repo: string;
  number: number;
  title?: string;
  body?: string | null;
  labels?: string[];
  draft?: boolean;
  baseRef?: string;
  actor?: string;
}

export interface PushCommitsInput {
  repo: string;
  number: number;
  count?: number;
  message?: string;
  /** Author and committer date of the new commits; defaults to now. A pusher's clock can say anything. */
  date?: string;
  /** Rewrite the branch: the new commits start from the base, and a head_ref_force_pushed event is stamped now. */
  force?: boolean;
  actor?: string;
  /**
   * The new commits' shas, as a real git repository named them (a workflow scenario's consumer repository, which
   * the checkout stand-in fetches from), one commit each; `count` is then ignored.
   */
  shas?: string[];
}

/** Pull requests: numbering, head pushes, label, close, reopen and merge events. */
export class PullRequestStore {
  constructor(private readonly state: GitHubState) {}

  /** Opens a pull request with fresh commits on its head branch. */
  create(input: CreatePullRequestInput): PullRequestRecord {
    const repository = this.state.readRepository(input.repo);
    const author = this.state.ensureUser({ login: input.author ?? 'octocat' });
    const number = this.allocateNumber(repository, input.number);
    const headRepoName = input.headRepo ?? repository.fullName;
    const [forkOwner = '', forkName = ''] = headRepoName.split('/');
    const headRepository =
      this.state.findRepository(headRepoName) ??
      this.state.createRepository({ owner: forkOwner, name: forkName, ownerType: 'User', fork: true });
    const baseRef = input.baseRef ?? repository.defaultBranch;
    const baseSha = this.state.resolveRef({ repo: repository.fullName, ref: baseRef });
    const headRef = input.headRef ?? `feature-${number}`;
    const now = this.state.timestamp();
    const pull: PullRequestRecord = {
      repo: repository.fullName,
      id: this.state.allocateId(),
      number,
      title: input.title ?? `Change ${number}`,
      body: input.body === undefined ? null : input.body,
      state: 'open',
      draft: input.draft ?? false,
      locked: false,
      merged: false,
      mergedAt: null,
      mergedBy: null,
      mergeCommitSha: null,
      closedAt: null,
      createdAt: now,
      updatedAt: now,
      author: author.login,
      head: { ref: headRef, sha: baseSha, repo: headRepository.fullName },
      base: { ref: baseRef, sha: baseSha },
      labels: [],
      commits: [],
    };
    this.state.data.pullRequests.push(pull);
    for (const name of input.labels ?? [])
      pull.labels.push(this.state.ensureLabel({ repo: repository.fullName, name }).name);
    this.pushCommits({
      repo: repository.fullName,
      number,
      count: input.commits ?? 1,
      ...(input.shas ? { shas: input.shas } : {}),
    });
    pull.updatedAt = now;
    return pull;
  }

  /** The asked-for number if no issue or pull request has it (GitHub's 422 otherwise), else the next one. */
  private allocateNumber(repository: { fullName: string; nextNumber: number }, asked: number | undefined): number {
    if (asked === undefined) return repository.nextNumber++;
    const taken = this.state.data.pullRequests.some((p) => p.repo === repository.fullName && p.number === asked);
    if (!Number.isInteger(asked) || asked < 1 || taken)
      throw new GitHubApiError(422, `number ${asked} is not a free issue number in ${repository.fullName}`);
    repository.nextNumber = Math.max(repository.nextNumber, asked + 1);
    return asked;
  }

  /** Reads a pull request; 404 when missing. */
  read(input: { repo: string; number: number }): PullRequestRecord {
    const repository = this.state.readRepository(input.repo);
    const pull = this.state.data.pullRequests.find(
      (p) => p.repo === repository.fullName && p.number === Number(input.number),
    );
    if (!pull) throw notFound();
    return pull;
  }

  /** Adds commits to the head branch, moving head.sha, the head ref and refs/pull/N/head. */
  pushCommits(input: PushCommitsInput): { sha: string; shas: string[] } {
    const pull = this.read(input);
    const shas: string[] = [];
    if (input.force) {
      pull.head.sha = pull.base.sha;
      pull.commits = [];
    }
    for (let i = 0; i < (input.shas?.length ?? input.count ?? 1); i += 1) {
      const commit = this.state.createCommit({
        repo: pull.head.repo,
        parents: [pull.head.sha],
        ...(input.shas ? { sha: input.shas[i]! } : {}),
        ...(input.message ? { message: input.message } : {}),
        ...(input.date ? { date: input.date } : {}),
      });
      pull.head.sha = commit.sha;
      pull.commits.push(commit.sha);
      shas.push(commit.sha);
    }
    this.state.setRef({ repo: pull.head.repo, ref: `refs/heads/${pull.head.ref}`, sha: pull.head.sha });
    this.state.setRef({ repo: pull.repo, ref: `refs/pull/${pull.number}/head`, sha: pull.head.sha });
    const now = this.state.timestamp();
    pull.updatedAt = now;
    this.state.readRepository(pull.head.repo).pushedAt = now;
    if (input.force)
      this.recordIssueEvent(pull, 'head_ref_force_pushed', input.actor ?? pull.author, { commitSha: pull.head.sha });
    return { sha: pull.head.sha, shas };
  }

  /** Changes title, body, draft, base or labels; label changes land on the timeline. */
  update(input: UpdatePullRequestInput): PullRequestRecord {
    const pull = this.read(input);
    const actor = input.actor ?? pull.author;
    if (input.title !== undefined) pull.title = input.title;
    if (input.body !== undefined) pull.body = input.body;
    if (input.draft !== undefined) pull.draft = input.draft;
    if (input.baseRef !== undefined) {
      pull.base = { ref: input.baseRef, sha: this.state.resolveRef({ repo: pull.repo, ref: input.baseRef }) };
    }
    if (input.labels !== undefined) {
      const wanted = input.labels.map((name) => this.state.ensureLabel({ repo: pull.repo, name }).name);
      for (const name of pull.labels.filter((l) => !wanted.includes(l)))
        this.recordIssueEvent(pull, 'unlabeled', actor, { label: name });
      for (const name of wanted.filter((l) => !pull.labels.includes(l)))
        this.recordIssueEvent(pull, 'labeled', actor, { label: name });
      pull.labels = wanted;
    }
    pull.updatedAt = this.state.timestamp();
    return pull;
  }

  /** Closes without merging. */
  close(input: { repo: string; number: number; actor?: string }): PullRequestRecord {
    const pull = this.read(input);
    if (pull.state === 'closed') return pull;
    const now = this.state.timestamp();
    Object.assign(pull, { state: 'closed', closedAt: now, updatedAt: now });
    this.recordIssueEvent(pull, 'closed', input.actor ?? pull.author, {});
    return pull;
  }

  /** Reopens a closed, unmerged pull request. */
  reopen(input: { repo: string; number: number; actor?: string }): PullRequestRecord {
    const pull = this.read(input);
    if (pull.merged) throw new GitHubApiError(422, 'Cannot reopen a merged pull request');
    if (pull.state === 'open') return pull;
    Object.assign(pull, { state: 'open', closedAt: null, updatedAt: this.state.timestamp() });
    this.recordIssueEvent(pull, 'reopened', input.actor ?? pull.author, {});
    return pull;
  }

  /** Merges with a merge commit on the base branch and closes the pull request. */
  merge(input: { repo: string; number: number; actor?: string }): PullRequestRecord {
    const pull = this.read(input);
    if (pull.state !== 'open') throw new GitHubApiError(405, 'Pull Request is not mergeable');
    const actor = this.state.ensureUser({ login: input.actor ?? pull.author });
    const baseTip = this.state.resolveRef({ repo: pull.repo, ref: pull.base.ref });
    const merge = this.state.createCommit({
      repo: pull.repo,
      message: `Merge pull request #${pull.number}`,
      parents: [baseTip, pull.head.sha],
    });
    this.state.setRef({ repo: pull.repo, ref: `refs/heads/${pull.base.ref}`, sha: merge.sha });
    const now = this.state.timestamp();
    Object.assign(pull, {
      state: 'closed',
      merged: true,
      mergedAt: now,
      mergedBy: actor.login,
      mergeCommitSha: merge.sha,
      closedAt: now,
      updatedAt: now,
    });
    this.recordIssueEvent(pull, 'merged', actor.login, { commitSha: merge.sha });
    this.recordIssueEvent(pull, 'closed', actor.login, {});
    return pull;
  }

  private recordIssueEvent(
    pull: PullRequestRecord,
    event: IssueEventName,
    actor: string,
    extra: { label?: string; commitSha?: string },
  ): void {
    this.state.ensureUser({ login: actor });
    this.state.data.issueEvents.push({
      repo: pull.repo,
      issueNumber: pull.number,
      id: this.state.allocateId(),
      event,
      actor,
      createdAt: this.state.timestamp(),
      ...extra,
    });
  }
}
