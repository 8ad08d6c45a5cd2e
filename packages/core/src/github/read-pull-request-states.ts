import type { Octokit } from '../action/context.js';
import type { Logger } from '../action/logger.js';
import type { RepoRef } from './repo-ref.js';

/** A pull request's state as the sweeper needs it. */
export interface PullRequestState {
  known: true;
  number: number;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  merged: boolean;
  updatedAt: Date;
  labels: string[];
  headSha: string;
  isCrossRepository: boolean;
}

/** A pull request that could not be read; callers skip it rather than guess. */
export interface UnknownPullRequest {
  known: false;
  number: number;
  reason: string;
  /** GitHub answered that no such pull request exists (GraphQL NOT_FOUND), rather than failing to answer. */
  missing?: true;
}

const BATCH = 100;

interface PullNode {
  state: PullRequestState['state'];
  merged: boolean;
  updatedAt: string;
  headRefOid: string;
  isCrossRepository: boolean;
  labels: { nodes: ({ name: string } | null)[] | null } | null;
}

/** One GraphQL error: its message and, when GitHub gives one, its type (NOT_FOUND, FORBIDDEN, …). */
interface GraphqlError {
  message: string;
  type?: string;
}

type Answer = { repository: Record<string, PullNode | null> | null };

/**
 * Reads many pull requests with one GraphQL query per 100 (each an alias `pr{N}`). A pull
 * request whose alias comes back null or with an error, or whose whole batch fails, is
 * reported as unknown with the reason.
 */
export async function readPullRequestStates(input: {
  octokit: Octokit;
  repo: RepoRef;
  numbers: readonly number[];
  log?: Logger;
}): Promise<Map<number, PullRequestState | UnknownPullRequest>> {
  const numbers = [...new Set(input.numbers)];
  for (const n of numbers) if (!Number.isSafeInteger(n) || n < 1) throw new Error(`Not a pull request number: ${n}`);
  const states = new Map<number, PullRequestState | UnknownPullRequest>();
  for (let start = 0; start < numbers.length; start += BATCH) {
    const batch = numbers.slice(start, start + BATCH);
    const { data, errors } = await queryBatch(input.octokit, input.repo, batch);
    for (const number of batch) {
      const node = data?.repository?.[`pr${number}`];
      const error = errors.get(`pr${number}`) ?? errors.get('*');
      if (node) states.set(number, toState(number, node));
      else
        states.set(number, {
          known: false,
          number,
          reason: error?.message ?? 'the pull request was not returned',
          ...(error?.type === 'NOT_FOUND' ? { missing: true as const } : {}),
        });
    }
    if (errors.has('*'))
      input.log?.warning(`Could not read pull requests ${batch.join(', ')}: ${errors.get('*')?.message}`);
  }
  return states;
}

async function queryBatch(
  octokit: Octokit,
  repo: RepoRef,
  batch: number[],
): Promise<{ data: Answer | undefined; errors: Map<string, GraphqlError> }> {
  const fields = batch
    .map(
      (n) =>
        `pr${n}: pullRequest(number: ${n}) { state merged updatedAt headRefOid isCrossRepository labels(first: 50) { nodes { name } } }`,
    )
    .join('\n');
  const query = `query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) {\n${fields}\n} }`;
  const errors = new Map<string, GraphqlError>();
  try {
    return { data: await octokit.graphql<Answer>(query, { owner: repo.owner, name: repo.repo }), errors };
  } catch (error) {
    const partial = error as {
      data?: Answer;
      errors?: { message?: string; type?: string; path?: (string | number)[] }[];
      message?: string;
    };
    for (const entry of partial.errors ?? []) {
      const alias = entry.path?.[1];
      errors.set(typeof alias === 'string' ? alias : '*', {
        message: entry.message ?? 'GraphQL error',
        ...(entry.type ? { type: entry.type } : {}),
      });
    }
    if (!partial.data) errors.set('*', { message: partial.message ?? String(error) });
    return { data: partial.data, errors };
  }
}

function toState(number: number, node: PullNode): PullRequestState {
  return {
    known: true,
    number,
    state: node.state,
    merged: node.merged,
    updatedAt: new Date(node.updatedAt),
    labels: (node.labels?.nodes ?? []).flatMap((label) => (label ? [label.name] : [])),
    headSha: node.headRefOid,
    isCrossRepository: node.isCrossRepository,
  };
}
