/** One AWS API call as the IAM proxy read it off the wire. */
export interface AwsRequest {
  /** The SigV4 signing name, which is also the IAM service prefix for the services we call (ecs, ecr, logs, elasticloadbalancing, sts). */
  service: string;
  /** The API operation, e.g. `UpdateService`. */
  operation: string;
  /** `json` (X-Amz-Target + JSON body) or `query` (form body with `Action`, ELBv2). */
  protocol: 'json' | 'query';
  region: string;
  /** The access key id the caller signed with. */
  accessKeyId: string;
  /** JSON body for json; for query, the form fields by name (`Tags.member.1.Key`, …). */
  params: Record<string, unknown>;
}

/**
 * Reads the service, region and access key from the SigV4 credential scope and the operation from
 * `X-Amz-Target` or the form's `Action` (as test/sandbox/fault-proxy/operation-aws.ts names calls).
 * Returns undefined when the request is not a signed JSON or query call.
 */
export function readAwsRequest(
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): AwsRequest | undefined {
  const authorization = String(headers.authorization ?? '');
  const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization);
  if (!scope) return undefined;
  const [, accessKeyId, region, service] = scope as unknown as [string, string, string, string];
  const target = headers['x-amz-target'];
  if (typeof target === 'string' && target.includes('.')) {
    const text = body.toString('utf8');
    return {
      service,
      region,
      accessKeyId,
      operation: target.slice(target.lastIndexOf('.') + 1),
      protocol: 'json',
      params: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  }
  const form = new URLSearchParams(body.toString('utf8'));
  const action = form.get('Action');
  if (!action) return undefined;
  return { service, region, accessKeyId, operation: action, protocol: 'query', params: Object.fromEntries(form) };
}

/** The values of a query-protocol list (`Names.member.1`, `Names.member.2`, …). */
export function queryList(params: Record<string, unknown>, name: string): string[] {
  const values: string[] = [];
  for (let i = 1; typeof params[`${name}.member.${i}`] === 'string'; i += 1) {
    values.push(params[`${name}.member.${i}`] as string);
  }
  return values;
}
