/**
 * Stands in for actions/checkout (v4/v5): materializes the consumer repository (test/fixtures/consumer-repo,
 * made a git repository by consumer-repo.ts) in the job's workspace at the event's sha, or at `ref`, the way
 * the real action does it: `git init`, a fetch of just what is asked (depth 1 by default, everything with
 * fetch-depth 0), then a checkout of the branch (`-B name`), tag or detached sha.
 *
 * Inputs (the real action.yml's names): ref, path, fetch-depth, fetch-tags. Every other input is refused
 * (repository, token, ssh-*, persist-credentials, clean, filter, sparse-checkout, lfs, submodules, …).
 * Outputs: ref, commit.
 * Which repository: the one given to {@link useConsumerRepo}, else the fixture with no extra commits
 * (placeholders filled from the running sandbox when there is one).
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { readSandboxEndpoints } from '../../sandbox/endpoints.js';
import type { Standin, StandinStep } from '../standin-api.js';
import { createConsumerRepo, git, sandboxConsumerValues, type ConsumerRepo } from './consumer-repo.js';
import { failure, readBooleanInput, refuseUnimplementedInputs } from './standin-result.js';

const IMPLEMENTED = ['ref', 'path', 'fetch-depth', 'fetch-tags'] as const;

let current: ConsumerRepo | undefined;

/** Makes later checkouts use `repo` (a scenario's commits and tags); undefined goes back to the default. */
export function useConsumerRepo(repo: ConsumerRepo | undefined): void {
  current = repo;
}

function consumerRepo(): ConsumerRepo {
  if (current) return current;
  let values: Record<string, string> = {};
  try {
    values = sandboxConsumerValues(readSandboxEndpoints());
  } catch {
    // no sandbox running: the placeholders stay, which is enough for anything but deploy-pr-env
  }
  current = createConsumerRepo({ values });
  return current;
}

/** What to fetch and how to check it out. */
interface Target {
  /** The refspec fetched into the workspace's repository. */
  refspec: string;
  /** `git checkout` arguments after fetching. */
  checkout: string[];
  /** The `ref` output: the ref as asked, or the sha. */
  ref: string;
}

function resolveTarget(repo: ConsumerRepo, step: StandinStep): Target | string {
  const asked = step.inputs.ref || '';
  const sha = asked === '' ? step.job.sha : '';
  const ref = asked === '' ? step.job.ref : asked;
  if (/^[0-9a-f]{40}$/.test(asked)) return { refspec: asked, checkout: ['--detach', asked], ref: asked };
  const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
  const tag = ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
  const shortName = !ref.startsWith('refs/') ? ref : undefined;
  if (branch || (shortName && hasRef(repo, `refs/heads/${shortName}`))) {
    const name = branch ?? shortName!;
    const source = sha || `refs/heads/${name}`;
    return {
      refspec: `+${source}:refs/remotes/origin/${name}`,
      checkout: ['--force', '-B', name, `refs/remotes/origin/${name}`],
      ref,
    };
  }
  if (tag || (shortName && hasRef(repo, `refs/tags/${shortName}`))) {
    const name = tag ?? shortName!;
    return {
      refspec: `+refs/tags/${name}:refs/tags/${name}`,
      checkout: ['--force', '--detach', `refs/tags/${name}`],
      ref,
    };
  }
  if (sha) {
    // refs/pull/N/merge and the like: the event's sha, detached, as the real action does for PRs
    return {
      refspec: `+${sha}:refs/remotes/${ref.replace(/^refs\//, '')}`,
      checkout: ['--force', '--detach', sha],
      ref,
    };
  }
  return `A branch or tag with the name '${asked}' could not be found`;
}

function hasRef(repo: ConsumerRepo, ref: string): boolean {
  try {
    git(repo.dir, ['show-ref', '--verify', '--quiet', ref]);
    return true;
  } catch {
    return false;
  }
}

/** See the header. */
export const checkout: Standin = async (step) => {
  const refused = refuseUnimplementedInputs(step, 'actions/checkout', IMPLEMENTED);
  if (refused) return refused;
  const depth = Number(step.inputs['fetch-depth'] || '1');
  if (!Number.isInteger(depth) || depth < 0) return failure(`The input 'fetch-depth' must be a non-negative integer`);
  let fetchTags: boolean;
  try {
    fetchTags = readBooleanInput(step, 'fetch-tags', false);
  } catch (error) {
    return failure((error as Error).message);
  }
  const target = resolve(step.workspace, step.inputs.path || '.');
  const inside = relative(step.workspace, target);
  if (inside.startsWith('..') || isAbsolute(inside)) {
    return failure(`Repository path '${target}' is not under '${step.workspace}'`);
  }
  const repo = consumerRepo();
  const wanted = resolveTarget(repo, step);
  if (typeof wanted === 'string') return failure(wanted);

  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(target)) rmSync(resolve(target, entry), { recursive: true, force: true });
  const origin = `file://${repo.dir}`;
  try {
    git(target, ['init', '--quiet']);
    git(target, ['remote', 'add', 'origin', origin]);
    const specs =
      depth === 0
        ? ['+refs/heads/*:refs/remotes/origin/*', '+refs/tags/*:refs/tags/*', wanted.refspec]
        : [wanted.refspec];
    const tagArgs = depth === 0 || fetchTags ? ['--tags'] : ['--no-tags'];
    const depthArgs = depth === 0 ? [] : [`--depth=${depth}`];
    git(target, [
      '-c',
      'protocol.file.allow=always',
      'fetch',
      '--quiet',
      ...tagArgs,
      '--prune',
      ...depthArgs,
      'origin',
      ...specs,
    ]);
    git(target, ['checkout', '--quiet', ...wanted.checkout]);
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message).trim();
    if (/not our ref|couldn't find remote ref|unadvertised object/.test(stderr)) {
      return failure(
        `The ref or sha '${wanted.ref}' is not in the consumer repository; add it with createConsumerRepo`,
      );
    }
    return failure(`checkout stand-in: git failed: ${stderr.split('\n').slice(-2).join(' | ')}`);
  }
  const commit = git(target, ['rev-parse', 'HEAD']);
  step.log(`Checked out ${wanted.ref} (${commit}) into ${target}`);
  return { outcome: 'success', outputs: { ref: wanted.ref, commit } };
};
