import { readFileSync } from 'node:fs';

/** One action's documented GitHub token permissions and the REST routes / GraphQL endpoint it calls. */
export interface GitHubEndpoints {
  action: string;
  permissions: Record<string, string>;
  endpoints: string[];
}

/**
 * Reads the fenced ```json blocks of docs/github-permissions.md that carry `action` and `endpoints`; the prose
 * around them is for people, the blocks are what pnpm check-permissions compares.
 */
export function parseGitHubEndpoints(markdown: string): Map<string, GitHubEndpoints> {
  const byAction = new Map<string, GitHubEndpoints>();
  for (const match of markdown.matchAll(/```json\n([\s\S]*?)\n```/g)) {
    const block = JSON.parse(match[1]!) as Partial<GitHubEndpoints>;
    if (typeof block.action !== 'string' || !Array.isArray(block.endpoints)) continue;
    if (byAction.has(block.action)) throw new Error(`docs/github-permissions.md lists ${block.action} twice`);
    byAction.set(block.action, {
      action: block.action,
      permissions: block.permissions ?? {},
      endpoints: block.endpoints,
    });
  }
  return byAction;
}

/** Reads and parses docs/github-permissions.md. */
export function readGitHubEndpoints(path: string): Map<string, GitHubEndpoints> {
  return parseGitHubEndpoints(readFileSync(path, 'utf8'));
}
