import type { AdminOperationName, AdminOperations } from './admin-operations.js';

export type AdminInput<K extends AdminOperationName> = Parameters<AdminOperations[K]>[0];
export type AdminOutput<K extends AdminOperationName> = ReturnType<AdminOperations[K]>;

/** Calls the stand-in's admin operations over HTTP, for tests whose stand-in runs in another process. */
export interface GitHubAdminClient {
  call<K extends AdminOperationName>(operation: K, input?: AdminInput<K>): Promise<AdminOutput<K>>;
  /**
   * Makes `token` a job's GITHUB_TOKEN for `login`, limited to `permissions` (scope → read | write | none,
   * workflow spelling: `pull-requests`, `contents`, …): calls outside them get GitHub's 403
   * "Resource not accessible by integration". metadata: read is always granted, as GitHub does.
   */
  registerScopedToken(input: AdminInput<'registerScopedToken'>): Promise<AdminOutput<'registerScopedToken'>>;
}

/** Returns a client for `adminUrl` (as printed by main.ts or returned by startGitHubStandIn). */
export function createGitHubAdminClient(adminUrl: string, timeoutMs = 10_000): GitHubAdminClient {
  const client: GitHubAdminClient = {
    registerScopedToken: (input) => client.call('registerScopedToken', input),
    async call(operation, input) {
      const response = await fetch(`${adminUrl}/${operation}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body: unknown = await response.json();
      if (!response.ok)
        throw new Error(
          `github stand-in admin ${operation} failed (${response.status}): ${(body as { message?: string }).message}`,
        );
      return body as never;
    },
  };
  return client;
}
