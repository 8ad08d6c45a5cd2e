import { GraphQLError } from 'graphql';
import type { RenderContext } from './render-context.js';
import type { RateLimitWindow } from './rate-limits.js';
import type { PullRequestRecord, RepositoryRecord, UserRecord } from './records.js';

/** Per-request values the resolvers read. */
export interface GraphQLContext {
  render: RenderContext;
  viewer: UserRecord;
  workflowToken: boolean;
  rate: RateLimitWindow;
  cost: number;
}

interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
}

function fail(type: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { type } });
}

/** Slices like GitHub's connections: `first` or `last` is required and at most 100. */
function connect<T>(
  field: string,
  items: T[],
  args: ConnectionArgs,
): { nodes: T[]; totalCount: number; pageInfo: Record<string, unknown> } {
  if (args.first == null && args.last == null) {
    throw fail(
      'MISSING_PAGINATION_BOUNDARIES',
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`,
    );
  }
  const size = (args.first ?? args.last) as number;
  if (size < 0 || size > 100)
    throw fail(
      'EXCESSIVE_PAGINATION',
      `Requesting ${size} records on the \`${field}\` connection exceeds the \`first\` limit of 100 records.`,
    );
  const start = args.after
    ? Number(Buffer.from(args.after, 'base64').toString('utf8').replace('cursor:v2:', '')) + 1
    : 0;
  const from = args.first != null ? start : Math.max(start, items.length - size);
  const nodes = items.slice(from, from + size);
  const cursor = (index: number): string => Buffer.from(`cursor:v2:${index}`).toString('base64');
  return {
    nodes,
    totalCount: items.length,
    pageInfo: {
      hasNextPage: from + nodes.length < items.length,
      hasPreviousPage: from > 0,
      startCursor: nodes.length ? cursor(from) : null,
      endCursor: nodes.length ? cursor(from + nodes.length - 1) : null,
    },
  };
}

function renderActor(context: RenderContext, login: string): Record<string, unknown> {
  const user = context.state.ensureUser({ login });
  return { __typename: user.type, login: user.login, url: `${context.htmlUrl}/${user.login}`, databaseId: user.id };
}

function readPullState(pull: PullRequestRecord): 'OPEN' | 'CLOSED' | 'MERGED' {
  if (pull.merged) return 'MERGED';
  return pull.state === 'open' ? 'OPEN' : 'CLOSED';
}

function renderPull(context: RenderContext, pull: PullRequestRecord): Record<string, unknown> {
  return {
    id: Buffer.from(`PR_${pull.id}`).toString('base64'),
    databaseId: pull.id,
    number: pull.number,
    title: pull.title,
    body: pull.body ?? '',
    url: `${context.htmlUrl}/${pull.repo}/pull/${pull.number}`,
    state: readPullState(pull),
    merged: pull.merged,
    mergedAt: pull.mergedAt,
    closed: pull.state === 'closed',
    closedAt: pull.closedAt,
    createdAt: pull.createdAt,
    updatedAt: pull.updatedAt,
    isDraft: pull.draft,
    headRefName: pull.head.ref,
    headRefOid: pull.head.sha,
    baseRefName: pull.base.ref,
    isCrossRepository: pull.head.repo !== pull.repo,
    author: renderActor(context, pull.author),
    headRepository: () => renderRepository(context, context.state.readRepository(pull.head.repo)),
    labels: (args: ConnectionArgs) =>
      connect(
        'labels',
        pull.labels
          .map((name) => context.state.ensureLabel({ repo: pull.repo, name }))
          .map((l) => ({ id: Buffer.from(`LA_${l.id}`).toString('base64'), name: l.name, color: l.color })),
        args,
      ),
  };
}

interface PullRequestsArgs extends ConnectionArgs {
  states?: string[] | null;
  labels?: string[] | null;
  baseRefName?: string | null;
  headRefName?: string | null;
  orderBy?: { field: string; direction: string } | null;
}

function renderRepository(context: RenderContext, repository: RepositoryRecord): Record<string, unknown> {
  const pulls = (): PullRequestRecord[] =>
    context.state.data.pullRequests.filter((p) => p.repo === repository.fullName);
  return {
    id: Buffer.from(`R_${repository.id}`).toString('base64'),
    databaseId: repository.id,
    name: repository.name,
    nameWithOwner: repository.fullName,
    owner: renderActor(context, repository.owner),
    url: `${context.htmlUrl}/${repository.fullName}`,
    pullRequest: ({ number }: { number: number }) => {
      const pull = pulls().find((p) => p.number === number);
      if (!pull) throw fail('NOT_FOUND', `Could not resolve to a PullRequest with the number of ${number}.`);
      return renderPull(context, pull);
    },
    pullRequests: (args: PullRequestsArgs) => {
      const field = args.orderBy?.field === 'UPDATED_AT' ? 'updatedAt' : 'createdAt';
      const selected = pulls()
        .filter((p) => !args.states?.length || args.states.includes(readPullState(p)))
        .filter((p) => !args.labels?.length || p.labels.some((l) => args.labels?.includes(l)))
        .filter((p) => !args.baseRefName || p.base.ref === args.baseRefName)
        .filter((p) => !args.headRefName || p.head.ref === args.headRefName)
        .sort((a, b) => a[field].localeCompare(b[field]) || a.number - b.number);
      if (args.orderBy?.direction === 'DESC') selected.reverse();
      return connect(
        'pullRequests',
        selected.map((p) => renderPull(context, p)),
        args,
      );
    },
  };
}

/** The root value: Query's and Mutation's fields. */
export function createGraphQLRoot(context: GraphQLContext): Record<string, unknown> {
  return {
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repository = context.render.state.findRepository(`${owner}/${name}`);
      if (!repository) throw fail('NOT_FOUND', `Could not resolve to a Repository with the name '${owner}/${name}'.`);
      return renderRepository(context.render, repository);
    },
    rateLimit: () => ({
      cost: context.cost,
      limit: context.rate.limit,
      nodeCount: 0,
      remaining: context.rate.remaining,
      used: context.rate.used,
      resetAt: new Date(context.rate.reset * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    }),
    viewer: () => {
      if (context.workflowToken) throw fail('FORBIDDEN', 'Resource not accessible by integration');
      return renderActor(context.render, context.viewer.login);
    },
    minimizeComment: ({ input }: { input: { subjectId: string; classifier: string; clientMutationId?: string } }) => {
      const comment = context.render.state.comments.minimize({ nodeId: input.subjectId, classifier: input.classifier });
      if (!comment) throw fail('NOT_FOUND', `Could not resolve to a node with the global id of '${input.subjectId}'`);
      return {
        clientMutationId: input.clientMutationId ?? null,
        minimizedComment: {
          __typename: 'IssueComment',
          id: input.subjectId,
          databaseId: comment.id,
          body: comment.body,
          isMinimized: true,
          minimizedReason: comment.minimizedReason ?? null,
          viewerCanMinimize: true,
        },
      };
    },
  };
}
