import type { RenderContext } from './render-context.js';
import type { UserRecord } from './records.js';

/** One authenticated REST call, as handlers see it. */
export interface RouteRequest {
  method: string;
  /** The OpenAPI path template that matched, e.g. /repos/{owner}/{repo}/pulls/{pull_number}. */
  template: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  user: UserRecord;
  /** The token acts like a workflow's GITHUB_TOKEN (see TokenRecord.workflow). */
  workflowToken: boolean;
  /** The request path and query as received, for pagination links. */
  path: string;
}

export interface RouteResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (request: RouteRequest, context: RenderContext) => RouteResponse;

export interface Route {
  method: string;
  template: string;
  handler: RouteHandler;
  pattern: RegExp;
  names: string[];
}

/**
 * Declares a route by its OpenAPI template, so the same string finds the response schema.
 * A trailing `{ref}` swallows slashes (refs are `heads/x`, `tags/v1`).
 */
export function defineRoute(method: string, template: string, handler: RouteHandler): Route {
  const names: string[] = [];
  const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return name === 'ref' ? '(.+)' : '([^/]+)';
  });
  return { method, template, handler, names, pattern: new RegExp(`^${source}/?$`) };
}

/** Finds the route for a method and decoded-on-match path. */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  pathname: string,
): { route: Route; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]));
    return { route, params };
  }
  return undefined;
}

/** `owner/repo` from the route parameters. */
export function readRepoName(request: RouteRequest): string {
  return `${request.params.owner ?? ''}/${request.params.repo ?? ''}`;
}
