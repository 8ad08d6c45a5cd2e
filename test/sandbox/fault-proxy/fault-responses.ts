import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NamedOperation, TargetKind } from './operation.js';
import type { Fault } from './rules.js';

interface FaultAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Answers a call with an injected fault in the backend's own dialect: AWS JSON/query/EC2 error documents,
 * GitHub's secondary-rate-limit 403, Cloudflare's 429 envelope (code 971), OCI TOOMANYREQUESTS; or, for a
 * reset, destroys the socket without a byte of answer.
 */
export function sendFault(
  kind: TargetKind,
  named: NamedOperation,
  fault: Fault,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  if (fault.kind === 'reset') {
    req.socket.destroy();
    return;
  }
  const answer =
    fault.kind === 'throttle'
      ? throttleAnswer(kind, named, fault.retryAfterSeconds, req)
      : fault.kind === 'expired-token'
        ? expiredTokenAnswer(kind, named)
        : errorAnswer(kind, named, fault.code);
  const body = req.method === 'HEAD' ? '' : answer.body;
  res.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) });
  res.end(body);
}

function throttleAnswer(
  kind: TargetKind,
  named: NamedOperation,
  retryAfter: number,
  req: IncomingMessage,
): FaultAnswer {
  const requestId = randomUUID();
  switch (kind) {
    case 'aws':
      if (named.awsProtocol === 'ec2') {
        return ec2Error(503, 'RequestLimitExceeded', 'Request limit exceeded.', requestId);
      }
      if (named.awsProtocol === 'query') return queryError(400, 'Sender', 'Throttling', 'Rate exceeded', requestId);
      return jsonError(400, 'ThrottlingException', 'Rate exceeded', requestId, {
        // clients of awsQueryCompatible services announce themselves and read the query-style code from here
        ...(req.headers['x-amzn-query-mode'] ? { 'x-amzn-query-error': 'Throttling;Sender' } : {}),
      });
    case 'github':
      return {
        status: 403,
        headers: { 'content-type': JSON_TYPE, 'retry-after': String(retryAfter), 'x-github-request-id': requestId },
        body: JSON.stringify({
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach ' +
            `out to GitHub Support for help, please include the request ID ${requestId}.`,
          documentation_url:
            'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
          status: '403',
        }),
      };
    case 'cloudflare':
      return cloudflareError(429, 971, 'Please wait and consider throttling your request speed', {
        'retry-after': String(retryAfter),
      });
    case 'registry':
      return {
        status: 429,
        headers: {
          'content-type': JSON_TYPE,
          'retry-after': String(retryAfter),
          'docker-distribution-api-version': 'registry/2.0',
        },
        body: JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'too many requests', detail: {} }] }),
      };
  }
}

/** What each backend answers a caller whose credentials have expired; no client retries it. */
function expiredTokenAnswer(kind: TargetKind, named: NamedOperation): FaultAnswer {
  const requestId = randomUUID();
  const expired = 'The security token included in the request is expired';
  switch (kind) {
    case 'aws':
      if (named.awsProtocol === 'ec2') return ec2Error(400, 'RequestExpired', expired, requestId);
      if (named.awsProtocol === 'query') return queryError(400, 'Sender', 'ExpiredToken', expired, requestId);
      return jsonError(400, 'ExpiredTokenException', expired, requestId);
    case 'github':
      return {
        status: 401,
        headers: { 'content-type': JSON_TYPE, 'x-github-request-id': requestId },
        body: JSON.stringify({ message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' }),
      };
    case 'cloudflare':
      return cloudflareError(403, 10000, 'Authentication error');
    case 'registry':
      return {
        status: 401,
        headers: { 'content-type': JSON_TYPE, 'docker-distribution-api-version': 'registry/2.0' },
        body: JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: null }] }),
      };
  }
}

function errorAnswer(kind: TargetKind, named: NamedOperation, status: number): FaultAnswer {
  const requestId = randomUUID();
  const unavailable = status === 503;
  switch (kind) {
    case 'aws':
      if (named.awsProtocol === 'ec2') {
        return unavailable
          ? ec2Error(status, 'Unavailable', 'The service is unavailable. Please try again shortly.', requestId)
          : ec2Error(status, 'InternalError', 'An internal error has occurred', requestId);
      }
      if (named.awsProtocol === 'query') {
        return queryError(
          status,
          'Receiver',
          unavailable ? 'ServiceUnavailable' : 'InternalFailure',
          'Injected fault',
          requestId,
        );
      }
      return jsonError(
        status,
        unavailable ? 'ServiceUnavailableException' : 'InternalFailure',
        'Injected fault',
        requestId,
      );
    case 'github':
      return {
        status,
        headers: { 'content-type': JSON_TYPE, 'x-github-request-id': requestId },
        body: JSON.stringify({ message: 'Server Error' }),
      };
    case 'cloudflare':
      return cloudflareError(status, 10001, 'Internal Server Error (injected by the fault proxy)');
    case 'registry':
      return {
        status,
        headers: { 'content-type': JSON_TYPE, 'docker-distribution-api-version': 'registry/2.0' },
        body: JSON.stringify({
          errors: [{ code: 'UNKNOWN', message: 'unknown error', detail: 'injected by the fault proxy' }],
        }),
      };
  }
}

function jsonError(
  status: number,
  type: string,
  message: string,
  requestId: string,
  headers: Record<string, string> = {},
): FaultAnswer {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId, ...headers },
    body: JSON.stringify({ __type: type, message }),
  };
}

function queryError(status: number, type: string, code: string, message: string, requestId: string): FaultAnswer {
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body:
      `<ErrorResponse><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error>` +
      `<RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

function ec2Error(status: number, code: string, message: string, requestId: string): FaultAnswer {
  return {
    status,
    headers: { 'content-type': 'text/xml;charset=UTF-8' },
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message>` +
      `</Error></Errors><RequestID>${requestId}</RequestID></Response>`,
  };
}

function cloudflareError(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): FaultAnswer {
  return {
    status,
    headers: { 'content-type': JSON_TYPE, ...headers },
    body: JSON.stringify({ result: null, success: false, errors: [{ code, message }], messages: [] }),
  };
}
