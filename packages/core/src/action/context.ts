import type { getOctokit } from '@actions/github';
import type { Clock } from './clock.js';
import type { RunContext } from './event.js';
import type { ActionIO } from './io.js';
import type { Logger } from './logger.js';

/** The Octokit client our use cases talk to GitHub with. */
export type Octokit = ReturnType<typeof getOctokit>;

/** Builds an authenticated Octokit for a token; injected so tests can point it anywhere. Async so
 * the client code is loaded only by runs that talk to GitHub. */
export type OctokitFactory = (token: string) => Promise<Octokit>;

/**
 * Everything an action touches outside itself, built once by the entrypoint and passed
 * to `run(ctx)`. Unit tests build one with fakes. `Services` carries the outside clients
 * an action needs (AWS, Cloudflare, a registry), so an action that needs none bundles none.
 */
export type ActionContext<Services extends object = object> = {
  readonly io: ActionIO;
  readonly log: Logger;
  readonly clock: Clock;
  readonly env: Readonly<NodeJS.ProcessEnv>;
  readonly run: RunContext;
  readonly github: OctokitFactory;
} & Services;
