/** The HTTP status an Octokit request error carries, or undefined for other errors. */
export function readHttpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}
