import type { IncomingHttpHeaders } from 'node:http';

/** The backends the proxy knows how to name operations for and fault in their own dialect. */
export type TargetKind = 'aws' | 'github' | 'cloudflare' | 'registry';

/** How an AWS request is encoded; decides the shape of injected errors. */
export type AwsProtocol = 'json' | 'query' | 'ec2';

/** What the proxy learned about one request before forwarding it. */
export interface NamedOperation {
  /** e.g. `ecs:UpdateService`, `GET /repos/{owner}/{repo}/pulls/{pull_number}`. */
  operation: string;
  mutating: boolean;
  /** Set for aws targets. */
  awsProtocol?: AwsProtocol;
  /** The access key id an AWS call is SigV4-signed with, when it is signed. */
  accessKeyId?: string;
}

/** The parts of a request the namers read; `body` is present only when the proxy buffered it. */
export interface RequestFacts {
  method: string;
  /** Path without the target's base path and without the query string. */
  path: string;
  headers: IncomingHttpHeaders;
  body?: Buffer;
}

const READ_ONLY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** REST rule: anything but GET, HEAD and OPTIONS changes state. */
export function isMutatingMethod(method: string): boolean {
  return !READ_ONLY_METHODS.has(method.toUpperCase());
}
