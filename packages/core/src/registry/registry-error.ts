/** What went wrong talking to a registry, with the pieces a caller may branch on. */
export interface RegistryErrorDetails {
  /** The image the request was about, e.g. `ghcr.io/owner/api:v1`. */
  image: string;
  /** What we were doing, e.g. `read manifest`. */
  operation: string;
  /** HTTP status, absent for network errors. */
  status?: number;
  /** First OCI error code of the response body (or the AWS error name), e.g. `MANIFEST_UNKNOWN`. */
  code?: string;
}

/**
 * A registry request that failed after retries. The message is one line naming the image,
 * the operation and the HTTP status / error code; it never holds credentials.
 */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  readonly image: string;
  readonly operation: string;
  readonly status: number | undefined;
  readonly code: string | undefined;
  constructor(details: RegistryErrorDetails, detail?: string, options?: { cause?: unknown }) {
    const what = [details.status !== undefined ? `HTTP ${details.status}` : undefined, details.code]
      .filter(Boolean)
      .join(' ');
    super(
      `Could not ${details.operation} ${details.image}: ${what || 'request failed'}${detail ? ` (${detail})` : ''}`,
      options,
    );
    this.image = details.image;
    this.operation = details.operation;
    this.status = details.status;
    this.code = details.code;
  }
}

/**
 * Maps an AWS SDK failure to a {@link RegistryError}: the service's error name and HTTP status when
 * AWS answered, else the network failure (the SDK names those plain `Error`).
 */
export function awsRegistryError(error: unknown, image: string, operation: string): RegistryError {
  const e = error as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number } } | null;
  const status = e?.$metadata?.httpStatusCode;
  const name = typeof e?.name === 'string' && e.name !== 'Error' ? e.name : undefined;
  const detail = name === undefined && typeof e?.message === 'string' ? e.message.slice(0, 200) : undefined;
  return new RegistryError(
    { image, operation, ...(status !== undefined && { status }), ...(name && { code: name }) },
    detail,
    { cause: error },
  );
}
