import { ManualClock } from '../action/clock.js';
import type { ActionContext, Octokit } from '../action/context.js';
import type { RunContext } from '../action/event.js';
import { MemoryIO } from '../action/io.js';
import { createLogger, type Logger } from '../action/logger.js';

export interface TestContextOptions<S extends object> {
  inputs?: Record<string, string>;
  run?: Partial<RunContext>;
  env?: NodeJS.ProcessEnv;
  clock?: ManualClock;
  github?: (token: string) => Octokit;
  services?: S;
}

/**
 * An {@link ActionContext} for unit tests: in-memory io, a manual clock, and whatever
 * fakes the test hands in. Asking for GitHub without a fake fails the test loudly.
 */
export function createTestContext<S extends object = object>(
  options: TestContextOptions<S> = {},
): ActionContext<S> & { io: MemoryIO; clock: ManualClock } {
  const io = new MemoryIO(options.inputs);
  return {
    io,
    log: createLogger(io),
    clock: options.clock ?? new ManualClock(),
    env: options.env ?? {},
    run: {
      eventName: 'push',
      payload: {},
      repo: { owner: 'octo-org', repo: 'octo-repo' },
      sha: '0123456789abcdef0123456789abcdef01234567',
      ref: 'refs/heads/main',
      actor: 'octocat',
      runId: '1',
      runAttempt: '1',
      serverUrl: 'https://github.com',
      apiUrl: 'https://api.github.com',
      graphqlUrl: 'https://api.github.com/graphql',
      ...options.run,
    },
    github: async (token) => {
      if (!options.github) throw new Error('This test gave no GitHub fake');
      return options.github(token);
    },
    ...(options.services ?? ({} as S)),
  };
}

/** A logger for unit tests that keeps each line as `<level> <message>`; groups run their work inline. */
export function createRecordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    debug: (m) => lines.push(`debug ${m}`),
    info: (m) => lines.push(`info ${m}`),
    warning: (m) => lines.push(`warning ${m}`),
    error: (m) => lines.push(`error ${m}`),
    group: async (name, work) => {
      lines.push(`group ${name}`);
      return work();
    },
  };
}
export * from './memory-manifest-store.js';
