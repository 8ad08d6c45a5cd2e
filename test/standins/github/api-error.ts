/** A GitHub error response: status plus the `{ message, documentation_url }` body GitHub sends. */
export class GitHubApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: { resource: string; code: string; field?: string; message?: string }[],
  ) {
    super(message);
    this.name = 'GitHubApiError';
  }

  /** The body GitHub returns for this error. */
  toBody(): Record<string, unknown> {
    return {
      message: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      documentation_url: 'https://docs.github.com/rest',
      status: String(this.status),
    };
  }
}

/** Returns the 404 GitHub answers for anything missing or hidden. */
export function notFound(): GitHubApiError {
  return new GitHubApiError(404, 'Not Found');
}

/** Returns the 403 GitHub answers an installation token (such as GITHUB_TOKEN) lacking a permission. */
export function notAccessibleByIntegration(): GitHubApiError {
  return new GitHubApiError(403, 'Resource not accessible by integration');
}

/** Returns the 422 GitHub answers for an invalid field. */
export function validationFailed(resource: string, field: string, message?: string): GitHubApiError {
  return new GitHubApiError(422, 'Validation Failed', [
    { resource, field, code: message ? 'custom' : 'invalid', ...(message ? { message } : {}) },
  ]);
}
