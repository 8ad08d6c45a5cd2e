/** The slice of the `github` expression context that action.yml defaults use. */
export interface GitHubExpressionContext {
  ref_name: string;
  ref: string;
  sha: string;
  token: string;
  repository: string;
  repository_owner: string;
  actor: string;
  run_id: string;
  run_attempt: string;
  server_url: string;
  api_url: string;
  event_name: string;
  event: unknown;
}

function lookup(root: unknown, path: string[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * Fills `${{ github.x.y }}` in an action.yml default the way the runner does. Only
 * property paths under `github` are understood; anything else is refused loudly so a
 * test never runs with a default the harness silently got wrong.
 */
export function evaluateDefault(template: string, github: GitHubExpressionContext): string {
  return template.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_whole, expression: string) => {
    const path = expression.split('.');
    if (path[0] !== 'github' || path.some((part) => !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(part))) {
      throw new Error(`The runner harness cannot evaluate the default expression '${expression}'`);
    }
    const value = lookup(github, path.slice(1));
    if (value === undefined || value === null) return '';
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}
