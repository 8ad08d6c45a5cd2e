import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isMutatingMethod, type NamedOperation, type RequestFacts } from './operation.js';

interface RouteNode {
  literals: Map<string, RouteNode>;
  params: Map<string, RouteNode>;
  /** The template when a path ends here, e.g. `/repos/{owner}/{repo}`. */
  template?: string;
}

let routeTree: RouteNode | undefined;

/**
 * Names a GitHub call by its REST route template from GitHub's own OpenAPI description
 * (`GET /repos/{owner}/{repo}/pulls/{pull_number}`); `POST /graphql` is one operation, mutating only when its
 * body is a `mutation`. Paths the description does not know fall back to numbers → `{id}`, shas → `{sha}`.
 */
export function nameGitHubOperation(facts: RequestFacts): NamedOperation {
  if (facts.path === '/graphql' || facts.path === '/api/graphql') {
    return { operation: `${facts.method} /graphql`, mutating: isGraphQLMutation(facts.body) };
  }
  // GitHub Enterprise Server serves the same routes under /api/v3
  const segments = facts.path
    .replace(/^\/api\/v3(?=\/|$)/, '')
    .split('/')
    .filter(Boolean)
    .map(safeDecode);
  const template = matchRoute(readRouteTree(), segments, 0) ?? templateUnknownPath(segments);
  return { operation: `${facts.method} ${template}`, mutating: isMutatingMethod(facts.method) };
}

/** True when the proxy must read the body to name the call (GraphQL: query or mutation). */
export function needsGitHubBody(facts: Omit<RequestFacts, 'body'>): boolean {
  return (facts.path === '/graphql' || facts.path === '/api/graphql') && facts.method === 'POST';
}

function isGraphQLMutation(body: Buffer | undefined): boolean {
  if (!body) return true;
  try {
    const { query } = JSON.parse(body.toString('utf8')) as { query?: unknown };
    return typeof query === 'string' && /^\s*mutation\b/.test(query.replace(/^\s*(#[^\n]*\n\s*)*/, ''));
  } catch {
    return true;
  }
}

function matchRoute(node: RouteNode, segments: string[], index: number): string | undefined {
  if (index === segments.length) return node.template;
  const literal = node.literals.get(segments[index]!);
  const viaLiteral = literal && matchRoute(literal, segments, index + 1);
  if (viaLiteral) return viaLiteral;
  for (const child of node.params.values()) {
    const viaParam = matchRoute(child, segments, index + 1);
    if (viaParam) return viaParam;
  }
  // a trailing {path} or {ref} may itself contain slashes (contents/a/b.txt, git/ref/heads/main)
  for (const child of node.params.values()) {
    if (child.template && child.literals.size === 0 && child.params.size === 0) return child.template;
  }
  return undefined;
}

function readRouteTree(): RouteNode {
  if (routeTree) return routeTree;
  const require = createRequire(import.meta.url);
  const specPath = require.resolve('@octokit/openapi/generated/api.github.com.json');
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as { paths: Record<string, unknown> };
  const root: RouteNode = { literals: new Map(), params: new Map() };
  for (const template of Object.keys(spec.paths)) {
    let node = root;
    for (const segment of template.split('/').filter(Boolean)) {
      const isParam = /^\{[^}]+\}$/.test(segment);
      const children = isParam ? node.params : node.literals;
      let next = children.get(segment);
      if (!next) {
        next = { literals: new Map(), params: new Map() };
        children.set(segment, next);
      }
      node = next;
    }
    node.template = template;
  }
  routeTree = root;
  return root;
}

function templateUnknownPath(segments: string[]): string {
  const templated = segments.map((segment) => {
    if (/^\d+$/.test(segment)) return '{id}';
    if (/^[0-9a-f]{40}$/i.test(segment)) return '{sha}';
    return segment;
  });
  return `/${templated.join('/')}`;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
