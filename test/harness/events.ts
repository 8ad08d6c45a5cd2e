import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { WebhookDefinition } from '@octokit/webhooks-examples';

type ExampleOf<E extends WebhookDefinition['name']> = WebhookDefinition<E>['examples'][number];
export type PullRequestPayload = ExampleOf<'pull_request'>;
export type IssueCommentPayload = ExampleOf<'issue_comment'>;
export type PushPayload = ExampleOf<'push'>;
export type WorkflowDispatchPayload = ExampleOf<'workflow_dispatch'>;
/** What the runner writes for a scheduled run; GitHub sends no webhook for it. */
export interface SchedulePayload {
  schedule: string;
  workflow: string;
  repository: PushPayload['repository'];
  organization?: WorkflowDispatchPayload['organization'];
}

/** An event as run-action.ts takes it (`RunActionOptions.event`). */
export interface GitHubEvent<P extends object = object> {
  name: string;
  payload: P;
}

type AccountType = 'User' | 'Bot' | 'Organization';
export type AuthorAssociation =
  'OWNER' | 'MEMBER' | 'COLLABORATOR' | 'CONTRIBUTOR' | 'FIRST_TIME_CONTRIBUTOR' | 'FIRST_TIMER' | 'MANNEQUIN' | 'NONE';

export interface RepositoryOptions {
  /** `owner/name`; default octo-org/octo-repo, run-action's default repository. */
  repository?: string;
  /** Default Organization, which also adds the `organization` object GitHub sends for org repositories. */
  ownerType?: 'User' | 'Organization';
  /** Who triggered the event; default octocat (the comment author for comments). */
  sender?: string;
}

export interface PullRequestEventOptions extends RepositoryOptions {
  number?: number;
  title?: string;
  headSha?: string;
  headRef?: string;
  /** `owner/name` the head branch lives in; another repository makes the pull request come from a fork. */
  headRepository?: string;
  baseRef?: string;
  baseSha?: string;
  /** For `closed`: whether it was merged. */
  merged?: boolean;
  labels?: string[];
  draft?: boolean;
  /** The pull request's author; default octocat. */
  author?: string;
  authorAssociation?: AuthorAssociation;
  /** For `synchronize`: the head SHA before the push. */
  before?: string;
}

export interface IssueCommentEventOptions extends RepositoryOptions {
  number?: number;
  body?: string;
  /** For `edited`: the body before the edit. */
  previousBody?: string;
  commentId?: number;
  /** The comment's author, also the sender unless given; default octocat. */
  author?: string;
  /** Default Bot for logins ending in [bot], else User. */
  authorType?: AccountType;
  association?: AuthorAssociation;
  /** Default true: the comment is on a pull request (`issue.pull_request` set). */
  onPullRequest?: boolean;
  /** Author of the pull request or issue; default octocat. */
  issueAuthor?: string;
  labels?: string[];
  state?: 'open' | 'closed';
}

export interface WorkflowDispatchEventOptions extends RepositoryOptions {
  ref?: string;
  workflow?: string;
}

type JsonObject = { [key: string]: unknown };

interface ExampleDefinition {
  name: string;
  examples: JsonObject[];
}

const defaultRepository = 'octo-org/octo-repo';
const eventTime = '2030-01-01T00:00:00Z';
let definitions: ExampleDefinition[] | undefined;

/** GitHub's own example payloads, from @octokit/webhooks-examples; read once. */
function readDefinitions(): ExampleDefinition[] {
  if (!definitions) {
    const require = createRequire(import.meta.url);
    definitions = JSON.parse(
      readFileSync(require.resolve('@octokit/webhooks-examples'), 'utf8'),
    ) as ExampleDefinition[];
  }
  return definitions;
}

/** A deep copy of the first example of `event` whose fields pass `accept`. */
function readExample(event: string, accept: (example: JsonObject) => boolean = () => true): JsonObject {
  const example = readDefinitions()
    .find((d) => d.name === event)
    ?.examples.find(accept);
  if (!example) throw new Error(`@octokit/webhooks-examples has no ${event} example to build from; update the package`);
  return structuredClone(example);
}

/** The object at `path` inside an example; examples change between package versions, so say where. */
function readObject(value: unknown, ...path: string[]): JsonObject {
  let current = value;
  for (const key of path) current = (current as JsonObject | null | undefined)?.[key];
  if (!current || typeof current !== 'object' || Array.isArray(current)) {
    throw new Error(`webhook example has no object at '${path.join('.')}'`);
  }
  return current as JsonObject;
}

function readText(value: unknown, ...path: string[]): string {
  const parent = readObject(value, ...path.slice(0, -1));
  return String(parent[path.at(-1) ?? '']);
}

function mapStrings<T>(value: T, change: (text: string) => string): T {
  if (typeof value === 'string') return change(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => mapStrings(item, change)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, mapStrings(child, change)])) as T;
  }
  return value;
}

function replaceAll(text: string, from: string, to: string): string {
  return from === '' ? text : text.split(from).join(to);
}

/** A stable positive id for a name, so payloads are repeatable. */
function createId(seed: string): number {
  return (createHash('sha256').update(seed).digest().readUInt32BE(0) % 900_000_000) + 1_000_000;
}

/** A stable 40-hex SHA for a seed, for tests that need plausible commits. */
export function createSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

function renderUser(template: JsonObject, login: string, type: AccountType): JsonObject {
  const user = mapStrings(template, (text) => replaceAll(text, String(template.login), login));
  const id = createId(`user:${login.toLowerCase()}`);
  return { ...user, login, id, type, node_id: Buffer.from(`04:${type}${id}`).toString('base64') };
}

function splitName(fullName: string): [string, string] {
  const [owner, name] = fullName.split('/');
  if (!owner || !name) throw new Error(`repository must be owner/name, got '${fullName}'`);
  return [owner, name];
}

function renderRepository(template: JsonObject, fullName: string, ownerType: AccountType, fork = false): JsonObject {
  const [owner, name] = splitName(fullName);
  const repository = mapStrings(template, (text) => replaceAll(text, String(template.full_name), fullName));
  const id = createId(`repo:${fullName.toLowerCase()}`);
  return {
    ...repository,
    id,
    node_id: Buffer.from(`010:Repository${id}`).toString('base64'),
    name,
    full_name: fullName,
    fork,
    owner: renderUser(readObject(template, 'owner'), owner, ownerType),
  };
}

/** Sets `repository`, and `organization` exactly when the owner is one, as GitHub does. */
function applyRepository(payload: JsonObject, template: JsonObject, options: RepositoryOptions): JsonObject {
  const ownerType = options.ownerType ?? 'Organization';
  const repository = renderRepository(template, options.repository ?? defaultRepository, ownerType);
  const { organization: _dropped, ...rest } = payload;
  if (ownerType !== 'Organization') return { ...rest, repository };
  const organization = readObject(readExample('workflow_dispatch'), 'organization');
  const owner = readObject(repository, 'owner');
  const login = String(owner.login);
  return {
    ...rest,
    repository,
    organization: {
      ...mapStrings(organization, (text) => replaceAll(text, String(organization.login), login)),
      login,
      id: owner.id,
      node_id: owner.node_id,
    },
  };
}

function renderLabels(repository: string, names: string[]): JsonObject[] {
  if (names.length === 0) return [];
  const template = readObject(
    readExample('pull_request', (e) => e.action === 'labeled'),
    'label',
  );
  return names.map((name) => {
    const id = createId(`label:${repository}:${name}`);
    return {
      ...template,
      id,
      node_id: Buffer.from(`05:Label${id}`).toString('base64'),
      url: `https://api.github.com/repos/${repository}/labels/${encodeURIComponent(name)}`,
      name,
      color: 'ededed',
      default: false,
      description: null,
    };
  });
}

function renderBranch(template: JsonObject, repository: JsonObject, ref: string, sha: string): JsonObject {
  const owner = readObject(repository, 'owner');
  return { ...template, label: `${String(owner.login)}:${ref}`, ref, sha, user: owner, repo: repository };
}

/** Rewrites the example's repository and number inside the links of one object. */
function relink(
  value: JsonObject,
  fromRepository: string,
  toRepository: string,
  fromNumber: number,
  toNumber: number,
): JsonObject {
  const numbered = new RegExp(`/(pulls?|issues)/${fromNumber}(?=$|[/#?.])`, 'g');
  return mapStrings(value, (text) =>
    replaceAll(text, fromRepository, toRepository).replace(numbered, `/$1/${toNumber}`),
  );
}

/**
 * A `pull_request` event shaped like GitHub's, from the webhook examples, with the fields our actions
 * read overridden: number, head/base SHA and repository (fork when it differs), merged, labels, author.
 */
export function pullRequestEvent(
  action: 'opened' | 'synchronize' | 'reopened' | 'closed',
  options: PullRequestEventOptions = {},
): GitHubEvent<PullRequestPayload> {
  const example = readExample('pull_request', (e) => e.action === action);
  const fullName = options.repository ?? defaultRepository;
  const number = options.number ?? 1;
  const template = readObject(example, 'pull_request');
  const pull = relink(
    template,
    readText(example, 'repository', 'full_name'),
    fullName,
    Number(template.number),
    number,
  );
  const base = applyRepository(example, readObject(example, 'repository'), options);
  const repository = readObject(base, 'repository');
  const headFullName = options.headRepository ?? fullName;
  const headRepository =
    headFullName.toLowerCase() === fullName.toLowerCase()
      ? repository
      : renderRepository(readObject(example, 'repository'), headFullName, 'User', true);
  const headRef = options.headRef ?? `feature-${number}`;
  const baseRef = options.baseRef ?? 'main';
  const headSha = options.headSha ?? createSha(`${fullName}#${number}:head`);
  const baseSha = options.baseSha ?? createSha(`${fullName}:${baseRef}`);
  const author = renderUser(readObject(template, 'user'), options.author ?? 'octocat', 'User');
  const closed = action === 'closed';
  const merged = closed && (options.merged ?? false);

  const pullRequest: JsonObject = {
    ...pull,
    id: createId(`pull:${fullName}#${number}`),
    number,
    title: options.title ?? pull.title,
    user: author,
    author_association: options.authorAssociation ?? 'CONTRIBUTOR',
    state: closed ? 'closed' : 'open',
    draft: options.draft ?? false,
    labels: renderLabels(fullName, options.labels ?? []),
    assignee: null,
    assignees: [],
    closed_at: closed ? eventTime : null,
    merged,
    merged_at: merged ? eventTime : null,
    merge_commit_sha: merged ? createSha(`${fullName}#${number}:merge`) : null,
    merged_by: merged ? author : null,
    statuses_url: `https://api.github.com/repos/${fullName}/statuses/${headSha}`,
    head: renderBranch(readObject(pull, 'head'), headRepository, headRef, headSha),
    base: renderBranch(readObject(pull, 'base'), repository, baseRef, baseSha),
  };
  const payload: JsonObject = {
    ...base,
    action,
    number,
    pull_request: pullRequest,
    sender: renderUser(readObject(example, 'sender'), options.sender ?? options.author ?? 'octocat', 'User'),
  };
  if (action === 'synchronize') {
    payload.before = options.before ?? createSha(`${fullName}#${number}:before`);
    payload.after = headSha;
  }
  return { name: 'pull_request', payload: payload as unknown as PullRequestPayload };
}

/**
 * An `issue_comment` event from the webhook examples, with body, author (login, type, association) and
 * issue number overridden; on a pull request by default (`issue.pull_request` set, as GitHub sends it).
 */
export function issueCommentEvent(
  action: 'created' | 'edited',
  options: IssueCommentEventOptions = {},
): GitHubEvent<IssueCommentPayload> {
  const example = readExample('issue_comment', (e) => e.action === action);
  const fullName = options.repository ?? defaultRepository;
  const number = options.number ?? 1;
  const from = readText(example, 'repository', 'full_name');
  const issueTemplate = readObject(example, 'issue');
  const issue = relink(issueTemplate, from, fullName, Number(issueTemplate.number), number);
  const comment = relink(readObject(example, 'comment'), from, fullName, Number(issueTemplate.number), number);
  const commentId = options.commentId ?? createId(`comment:${fullName}#${number}:${options.body ?? ''}`);
  const authorType = options.authorType ?? (options.author?.endsWith('[bot]') ? 'Bot' : 'User');
  const author = renderUser(readObject(comment, 'user'), options.author ?? 'octocat', authorType);
  const onPullRequest = options.onPullRequest ?? true;
  const htmlBase = `https://github.com/${fullName}/${onPullRequest ? 'pull' : 'issues'}/${number}`;
  const { pull_request: _examplePullRequest, ...issueFields } = issue;

  const issuePayload: JsonObject = {
    ...issueFields,
    id: createId(`issue:${fullName}#${number}`),
    number,
    html_url: htmlBase,
    user: renderUser(readObject(issue, 'user'), options.issueAuthor ?? 'octocat', 'User'),
    state: options.state ?? 'open',
    labels: renderLabels(fullName, options.labels ?? []),
    assignee: null,
    assignees: [],
    milestone: null,
    ...(onPullRequest
      ? {
          pull_request: {
            url: `https://api.github.com/repos/${fullName}/pulls/${number}`,
            html_url: htmlBase,
            diff_url: `${htmlBase}.diff`,
            patch_url: `${htmlBase}.patch`,
            merged_at: null,
          },
        }
      : {}),
  };
  const payload: JsonObject = {
    ...applyRepository(example, readObject(example, 'repository'), options),
    action,
    issue: issuePayload,
    comment: {
      ...comment,
      id: commentId,
      node_id: Buffer.from(`012:IssueComment${commentId}`).toString('base64'),
      url: `https://api.github.com/repos/${fullName}/issues/comments/${commentId}`,
      html_url: `${htmlBase}#issuecomment-${commentId}`,
      issue_url: `https://api.github.com/repos/${fullName}/issues/${number}`,
      body: options.body ?? comment.body,
      user: author,
      author_association: options.association ?? 'NONE',
    },
    sender: options.sender ? renderUser(readObject(example, 'sender'), options.sender, 'User') : author,
  };
  if (action === 'edited') payload.changes = { body: { from: options.previousBody ?? '' } };
  return { name: 'issue_comment', payload: payload as unknown as IssueCommentPayload };
}

/** A `push` event creating tag `tag` on `sha`, from the webhook examples. */
export function tagPushEvent(tag: string, sha: string, options: RepositoryOptions = {}): GitHubEvent<PushPayload> {
  const example = readExample('push', (e) => String(e.ref).startsWith('refs/tags/'));
  const fullName = options.repository ?? defaultRepository;
  const exampleSender = readObject(example, 'sender');
  const sender = renderUser(exampleSender, options.sender ?? 'octocat', 'User');
  const headCommit = mapStrings(readObject(example, 'head_commit'), (text) =>
    replaceAll(
      replaceAll(text, readText(example, 'repository', 'full_name'), fullName),
      String(exampleSender.login),
      String(sender.login),
    ),
  );
  const payload: JsonObject = {
    ...applyRepository(example, readObject(example, 'repository'), options),
    ref: `refs/tags/${tag}`,
    before: '0000000000000000000000000000000000000000',
    after: sha,
    created: true,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `https://github.com/${fullName}/compare/${tag}`,
    commits: [],
    head_commit: { ...headCommit, id: sha, url: `https://github.com/${fullName}/commit/${sha}` },
    pusher: { name: sender.login, email: `${String(sender.login)}@users.noreply.github.com` },
    sender,
  };
  return { name: 'push', payload: payload as unknown as PushPayload };
}

/**
 * A `schedule` event. GitHub publishes no webhook example for it (it never leaves Actions), so the
 * repository comes from the workflow_dispatch example and the rest is what the runner writes.
 */
export function scheduleEvent(
  cron: string,
  options: RepositoryOptions & { workflow?: string } = {},
): GitHubEvent<SchedulePayload> {
  const example = readExample('workflow_dispatch');
  const payload = applyRepository(
    { schedule: cron, workflow: options.workflow ?? '.github/workflows/sweep.yml' },
    readObject(example, 'repository'),
    options,
  );
  return { name: 'schedule', payload: payload as unknown as SchedulePayload };
}

/** A `workflow_dispatch` event with `inputs`, from the webhook examples. */
export function workflowDispatchEvent(
  inputs: Record<string, string | number | boolean> = {},
  options: WorkflowDispatchEventOptions = {},
): GitHubEvent<WorkflowDispatchPayload> {
  const example = readExample('workflow_dispatch');
  const payload: JsonObject = {
    ...applyRepository(example, readObject(example, 'repository'), options),
    inputs,
    ref: options.ref ?? 'refs/heads/main',
    workflow: options.workflow ?? example.workflow,
    sender: renderUser(readObject(example, 'sender'), options.sender ?? 'octocat', 'User'),
  };
  return { name: 'workflow_dispatch', payload: payload as unknown as WorkflowDispatchPayload };
}
