import type { ServerResponse } from 'node:http';

/** One entry of a Cloudflare v4 `errors` array. */
export interface CloudflareErrorDetail {
  code: number;
  message: string;
}

/** An API failure carried to the router, written out in Cloudflare's error envelope. */
export class CloudflareApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Writes `{ success: true, errors: [], messages: [], result }` with optional `result_info`. */
export function sendCloudflareResult(
  res: ServerResponse,
  status: number,
  result: unknown,
  resultInfo?: Record<string, number>,
): void {
  const body: Record<string, unknown> = { result, success: true, errors: [], messages: [] };
  if (resultInfo) body.result_info = resultInfo;
  sendJson(res, status, body);
}

/** Writes Cloudflare's failure envelope: `{ success: false, errors: [{code, message}], messages: [], result: null }`. */
export function sendCloudflareError(res: ServerResponse, error: CloudflareApiError): void {
  sendJson(
    res,
    error.status,
    { result: null, success: false, errors: [{ code: error.code, message: error.message }], messages: [] },
    error.headers,
  );
}

/** Writes a JSON body with an exact content-length. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}
