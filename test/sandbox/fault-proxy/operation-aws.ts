import type { NamedOperation, RequestFacts } from './operation.js';

const READ_ONLY_PREFIXES = ['Describe', 'List', 'Get', 'BatchGet'];

/**
 * Names an AWS call `service:Operation`: the service from the SigV4 credential scope, the operation from
 * `X-Amz-Target` (JSON protocols), the `Action` form field (query protocols: ELBv2, EC2, IAM...) or the
 * rpc-v2 path. Operations starting with Describe/List/Get/BatchGet are reads, everything else mutates.
 */
export function nameAwsOperation(facts: RequestFacts): NamedOperation {
  const named = nameUnsignedAwsOperation(facts);
  const accessKeyId = readAccessKeyId(facts.headers.authorization);
  return accessKeyId ? { ...named, accessKeyId } : named;
}

function nameUnsignedAwsOperation(facts: RequestFacts): NamedOperation {
  const service = readSigningService(facts.headers.authorization) ?? 'unknown';
  const target = facts.headers['x-amz-target'];
  if (typeof target === 'string' && target.includes('.')) {
    return describe(service, target.slice(target.lastIndexOf('.') + 1), 'json');
  }
  const rpc = /^\/service\/[^/]+\/operation\/([^/]+)$/.exec(facts.path);
  if (rpc) return describe(service, rpc[1]!, 'json');
  const action = facts.body ? new URLSearchParams(facts.body.toString('utf8')).get('Action') : null;
  if (action) return describe(service, action, service === 'ec2' ? 'ec2' : 'query');
  return {
    operation: `${service}:${facts.method} ${facts.path}`,
    mutating: facts.method !== 'GET',
    awsProtocol: 'json',
  };
}

/** True when the body must be read before the operation can be named (query protocol puts Action there). */
export function needsAwsBody(facts: Omit<RequestFacts, 'body'>): boolean {
  const type = facts.headers['content-type'] ?? '';
  return facts.headers['x-amz-target'] === undefined && type.startsWith('application/x-www-form-urlencoded');
}

function describe(service: string, action: string, protocol: 'json' | 'query' | 'ec2'): NamedOperation {
  return {
    operation: `${service}:${action}`,
    mutating: !READ_ONLY_PREFIXES.some((prefix) => action.startsWith(prefix)),
    awsProtocol: protocol,
  };
}

function readAccessKeyId(authorization: string | undefined): string | undefined {
  return /Credential=([^/]+)\//.exec(authorization ?? '')?.[1];
}

function readSigningService(authorization: string | undefined): string | undefined {
  // Credential=AKID/20240101/us-east-1/ecs/aws4_request
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  return scope?.[1];
}
