import type { EventsConfig } from '@actions/workflow-parser/model/workflow-template';
import { matchesFilterPatterns } from './filter-pattern.js';
import { UnsupportedConstructError } from './expressions.js';

/** One event a scenario queues: GitHub's webhook name and payload, plus what GitHub knows besides the payload. */
export interface QueuedEvent {
  /** `push`, `pull_request`, `workflow_dispatch`, `issue_comment`, `schedule`, … */
  name: string;
  payload: Record<string, unknown>;
  /** The files the push or pull request changed, for `paths` filters (GitHub computes them from the diff). */
  changedFiles?: string[];
  /** The commit the run is for, where the payload does not say (schedule, issue_comment, workflow_dispatch). */
  sha?: string;
}

/** The ref and commit GitHub runs a workflow on for an event ("Events that trigger workflows"). */
export interface EventRef {
  ref: string;
  sha: string;
  /** pull_request*: the base and head branch names (github.base_ref / github.head_ref). */
  baseRef: string;
  headRef: string;
}

type Json = Record<string, unknown>;
const field = (value: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Json)[k] : undefined), value);

/** Works out GITHUB_REF / GITHUB_SHA for an event as GitHub documents per event. */
export function readEventRef(event: QueuedEvent, defaultBranch: string, defaultSha: string): EventRef {
  const payload = event.payload;
  const pull = field(payload, 'pull_request') as Json | undefined;
  if (pull && (event.name === 'pull_request' || event.name === 'pull_request_target')) {
    const number = String(field(pull, 'number'));
    const baseRef = String(field(pull, 'base', 'ref') ?? defaultBranch);
    const headRef = String(field(pull, 'head', 'ref') ?? '');
    if (event.name === 'pull_request_target') {
      return { ref: `refs/heads/${baseRef}`, sha: event.sha ?? defaultSha, baseRef, headRef };
    }
    const sha = event.sha ?? String(field(pull, 'merge_commit_sha') ?? field(pull, 'head', 'sha') ?? defaultSha);
    return { ref: `refs/pull/${number}/merge`, sha, baseRef, headRef };
  }
  const ref = typeof payload.ref === 'string' && payload.ref !== '' ? payload.ref : `refs/heads/${defaultBranch}`;
  const fullRef = ref.startsWith('refs/') ? ref : `refs/heads/${ref}`;
  const sha = event.sha ?? (typeof payload.after === 'string' ? payload.after : defaultSha);
  return { ref: fullRef, sha, baseRef: '', headRef: '' };
}

/** Activity types GitHub uses when a workflow names none (only these events have defaults narrower than all). */
const DEFAULT_TYPES: Record<string, string[]> = {
  pull_request: ['opened', 'synchronize', 'reopened'],
  pull_request_target: ['opened', 'synchronize', 'reopened'],
};

export type TriggerDecision = { triggered: true } | { triggered: false; reason: string };

function filterList(config: Json, include: string, exclude: string): { patterns: string[] } | undefined {
  const included = config[include] as string[] | undefined;
  const excluded = config[exclude] as string[] | undefined;
  if (included) return { patterns: included };
  if (excluded) return { patterns: ['**', ...excluded.map((p) => `!${p}`)] };
  return undefined;
}

/**
 * Whether a workflow's `on:` starts a run for the event: the event is listed, its activity type is in `types`, its
 * branch or tag passes `branches`/`tags` (and their `-ignore` forms), and a changed file passes `paths`.
 */
export function decideTrigger(events: EventsConfig, event: QueuedEvent, eventRef: EventRef): TriggerDecision {
  if (!(event.name in events)) return { triggered: false, reason: `the workflow has no 'on: ${event.name}'` };
  const config = ((events as Json)[event.name] ?? {}) as Json;

  const action = typeof event.payload.action === 'string' ? event.payload.action : undefined;
  const types = (config.types as string[] | undefined) ?? DEFAULT_TYPES[event.name];
  if (types && action !== undefined && !types.includes(action)) {
    return {
      triggered: false,
      reason: `activity type '${action}' is not in ${event.name}.types [${types.join(', ')}]`,
    };
  }

  const isTag = eventRef.ref.startsWith('refs/tags/');
  const branches = filterList(config, 'branches', 'branches-ignore');
  const tags = filterList(config, 'tags', 'tags-ignore');
  const hasPaths = 'paths' in config || 'paths-ignore' in config;
  if (event.name === 'push') {
    const name = eventRef.ref.replace(/^refs\/(heads|tags)\//, '');
    // A push with only branch filters never runs for tags and vice versa; paths filters alone ignore tags too.
    if (isTag) {
      if (tags ? !matchesFilterPatterns(name, tags.patterns) : branches || hasPaths) {
        return { triggered: false, reason: `tag '${name}' does not pass the push tag filters` };
      }
      return { triggered: true };
    }
    if (branches ? !matchesFilterPatterns(name, branches.patterns) : tags !== undefined) {
      return { triggered: false, reason: `branch '${name}' does not pass the push branch filters` };
    }
  } else if (branches) {
    // pull_request filters on the base branch; workflow_run on the triggering run's head branch.
    const name =
      event.name === 'workflow_run' ? String(field(event.payload, 'workflow_run', 'head_branch')) : eventRef.baseRef;
    if (!matchesFilterPatterns(name, branches.patterns)) {
      return { triggered: false, reason: `branch '${name}' does not pass the ${event.name} branch filters` };
    }
  }

  const paths = filterList(config, 'paths', 'paths-ignore');
  if (paths) {
    if (!event.changedFiles) {
      throw new UnsupportedConstructError(
        `on.${event.name}.paths needs the event's changedFiles (GitHub computes them from the diff; the scenario must give them)`,
      );
    }
    if (!event.changedFiles.some((file) => matchesFilterPatterns(file, paths.patterns))) {
      return { triggered: false, reason: `no changed file passes the ${event.name} paths filters` };
    }
  }
  return { triggered: true };
}
