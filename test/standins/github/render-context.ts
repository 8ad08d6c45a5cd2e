import type { GitHubState } from './state.js';

/** What every renderer needs: the store and the stand-in's own API address. */
export interface RenderContext {
  state: GitHubState;
  /** Base URL API links point at, e.g. http://127.0.0.1:PORT. */
  apiUrl: string;
  /** Base URL web links point at; never fetched. */
  htmlUrl: string;
}

/** A GitHub-style global node id: base64 of "<kind>:<Type><id>". */
export function createNodeId(type: string, id: number): string {
  return Buffer.from(`0${type.length}:${type}${id}`).toString('base64');
}
