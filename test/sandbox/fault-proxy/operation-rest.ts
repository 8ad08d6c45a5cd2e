import { isMutatingMethod, type NamedOperation, type RequestFacts } from './operation.js';

const CLOUDFLARE_ID = /^[0-9a-f]{32}$/i;

/**
 * Names a Cloudflare call by its route, e.g. `POST /zones/{zone_id}/dns_records`: a 32-hex id segment becomes
 * `{<singular of the segment before it>_id}`.
 */
export function nameCloudflareOperation(facts: RequestFacts): NamedOperation {
  // the same whether the proxy target was given as the origin or as the /client/v4 base URL
  const segments = facts.path
    .replace(/^\/client\/v4(?=\/|$)/, '')
    .split('/')
    .filter(Boolean);
  const templated = segments.map((segment, i) => {
    if (!CLOUDFLARE_ID.test(segment)) return segment;
    const collection = segments[i - 1] ?? 'object';
    return `{${collection.replace(/s$/, '')}_id}`;
  });
  return { operation: `${facts.method} /${templated.join('/')}`, mutating: isMutatingMethod(facts.method) };
}

/**
 * Names an OCI distribution call by its route, e.g. `HEAD /v2/{name}/manifests/{reference}`; repository names
 * may hold slashes, so the route is found from the last API keyword.
 */
export function nameRegistryOperation(facts: RequestFacts): NamedOperation {
  return { operation: `${facts.method} ${templateRegistryPath(facts.path)}`, mutating: isMutatingMethod(facts.method) };
}

function templateRegistryPath(path: string): string {
  if (path === '/v2' || path === '/v2/') return '/v2/';
  if (path === '/v2/_catalog') return path;
  const patterns: [RegExp, string][] = [
    [/^\/v2\/.+\/blobs\/uploads\/?$/, '/v2/{name}/blobs/uploads/'],
    [/^\/v2\/.+\/blobs\/uploads\/[^/]+$/, '/v2/{name}/blobs/uploads/{uuid}'],
    [/^\/v2\/.+\/blobs\/[^/]+$/, '/v2/{name}/blobs/{digest}'],
    [/^\/v2\/.+\/manifests\/[^/]+$/, '/v2/{name}/manifests/{reference}'],
    [/^\/v2\/.+\/tags\/list$/, '/v2/{name}/tags/list'],
    [/^\/v2\/.+\/referrers\/[^/]+$/, '/v2/{name}/referrers/{digest}'],
  ];
  return patterns.find(([pattern]) => pattern.test(path))?.[1] ?? path;
}
