import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from '../../harness/paths.js';
import type { SandboxEndpoints } from '../../sandbox/endpoints.js';

/** The fixture tree every consumer repository starts from. */
export const CONSUMER_FIXTURE = join(repoRoot, 'test', 'fixtures', 'consumer-repo');

/** A commit a scenario asks for, on top of the fixture's initial commit. */
export interface ConsumerCommit {
  message: string;
  /** Files to write (path relative to the repository → content); default: `app.txt` gets the message. */
  files?: Record<string, string>;
}

export interface ConsumerRepoOptions {
  /** Commits after the initial one, in order, all on `main`. */
  commits?: ConsumerCommit[];
  /** Tags → index of the commit they point at (0 is the initial commit). Lightweight unless listed in `annotated`. */
  tags?: Record<string, number>;
  annotated?: string[];
  /** Further refs (`refs/pull/7/merge`, `refs/heads/feature`) → commit index. */
  refs?: Record<string, number>;
  /**
   * Values for the fixture's `__PLACEHOLDERS__` (see {@link sandboxConsumerValues}; `.env` has `__RELEASE_REGISTRY__`
   * and `__DEV_HTTP_PORT__`); absent ones stay as written.
   */
  values?: Record<string, string>;
}

/** A consumer repository made from the fixture: where it is and the shas a scenario refers to. */
export interface ConsumerRepo {
  /** The repository's directory (a non-bare repository the checkout stand-in fetches from). */
  dir: string;
  /** Sha of each commit, initial first. */
  commits: string[];
  /** Tag name → the sha of the commit it points at. */
  tags: Record<string, string>;
  /** The sha `main` points at. */
  head: string;
}

// fixed identity and dates: the same options give the same shas in every process
const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Consumer Dev',
  GIT_AUTHOR_EMAIL: 'dev@example.com',
  GIT_COMMITTER_NAME: 'Consumer Dev',
  GIT_COMMITTER_EMAIL: 'dev@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

/** The fixture files that hold `__PLACEHOLDERS__`: the preview environment file and the dev host's compose env file. */
const PLACEHOLDER_FILES = ['.github/preview.yml', '.env'];

const cache = new Map<string, ConsumerRepo>();

/** Runs git in `dir` with the fixed identity; returns trimmed stdout. */
export function git(dir: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', args, {
    cwd: dir,
    env: { ...process.env, ...GIT_ENV, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/**
 * Makes (once per test process and options, then cached) a real git repository from the fixture: the fixture
 * as the initial commit on `main`, then `commits`, then `tags` and `refs` at the commits they name.
 * @throws Error naming a tag or ref whose commit index is out of range.
 */
export function createConsumerRepo(options: ConsumerRepoOptions = {}): ConsumerRepo {
  const key = JSON.stringify(options);
  const cached = cache.get(key);
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'consumer-repo-'));
  cpSync(CONSUMER_FIXTURE, dir, { recursive: true });
  for (const file of PLACEHOLDER_FILES) fillPlaceholders(join(dir, file), options.values ?? {});
  git(dir, ['init', '--quiet', '--initial-branch=main']);
  // the checkout stand-in fetches single shas, as actions/checkout does from GitHub
  git(dir, ['config', 'uploadpack.allowAnySHA1InWant', 'true']);
  const commits = [commitAll(dir, 'Initial commit', 0)];
  (options.commits ?? []).forEach((commit, i) => {
    for (const [path, content] of Object.entries(commit.files ?? { 'app.txt': `${commit.message}\n` })) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    commits.push(commitAll(dir, commit.message, i + 1));
  });
  const at = (name: string, index: number): string => {
    const sha = commits[index];
    if (!sha) throw new Error(`consumer repo: ${name} points at commit ${index}, but there are ${commits.length}`);
    return sha;
  };
  const tags: Record<string, string> = {};
  for (const [name, index] of Object.entries(options.tags ?? {})) {
    tags[name] = at(name, index);
    const annotated = options.annotated?.includes(name) ? ['-a', '-m', name] : [];
    git(dir, ['tag', ...annotated, name, tags[name]], dateEnv(commits.length));
  }
  for (const [ref, index] of Object.entries(options.refs ?? {})) git(dir, ['update-ref', ref, at(ref, index)]);
  const repo = { dir, commits, tags, head: commits[commits.length - 1]! };
  cache.set(key, repo);
  return repo;
}

/** The fixture's placeholder values on a running sandbox: its zone, preview cluster, listener, VPC and basic registry. */
export function sandboxConsumerValues(
  sandbox: SandboxEndpoints,
  imageRepository = 'previews/app',
): Record<string, string> {
  return {
    __DOMAIN__: sandbox.cloudflare.zoneName,
    __CLUSTER__: sandbox.seeded.clusters.previews,
    __LISTENER_ARN__: sandbox.seeded.loadBalancer.httpsListenerArn,
    __VPC_ID__: sandbox.seeded.vpcId,
    __IMAGE_REPOSITORY__: `${sandbox.registries.basic.host}/${imageRepository}`,
  };
}

function fillPlaceholders(file: string, values: Record<string, string>): void {
  let text = readFileSync(file, 'utf8');
  for (const [name, value] of Object.entries(values)) text = text.replaceAll(name, value);
  writeFileSync(file, text);
}

function commitAll(dir: string, message: string, index: number): string {
  git(dir, ['add', '--all']);
  git(dir, ['commit', '--quiet', '--allow-empty', '-m', message], dateEnv(index));
  return git(dir, ['rev-parse', 'HEAD']);
}

function dateEnv(index: number): Record<string, string> {
  const date = `${1_893_456_000 + index * 60} +0000`; // 2030-01-01, a minute per commit
  return { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
}
