/** The Cloudflare error codes an SDK error carries (`errors[].code`); empty for other errors. */
export function readCloudflareErrorCodes(error: unknown): number[] {
  const errors = (error as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.flatMap((entry) =>
    typeof (entry as { code?: unknown })?.code === 'number' ? [(entry as { code: number }).code] : [],
  );
}

/** True when Cloudflare says the record is not there (HTTP 404 or code 81044). */
export function isCloudflareNotFound(error: unknown): boolean {
  return (error as { status?: unknown } | null)?.status === 404 || readCloudflareErrorCodes(error).includes(81044);
}
