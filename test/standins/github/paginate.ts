import type { RenderContext } from './render-context.js';
import type { RouteRequest, RouteResponse } from './router.js';

/**
 * Slices `items` by `per_page` (default 30, at most 100) and `page`, and adds the Link header
 * GitHub sends (next, last, first, prev) so Octokit's paginate walks it.
 */
export function paginate(request: RouteRequest, context: RenderContext, items: unknown[]): RouteResponse {
  const perPage = Math.min(100, Math.max(1, Number(request.query.get('per_page') ?? 30) || 30));
  const page = Math.max(1, Number(request.query.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (target: number, rel: string): string => {
    const url = new URL(request.path, context.apiUrl);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(target));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  return {
    status: 200,
    body: items.slice((page - 1) * perPage, page * perPage),
    ...(links.length > 0 ? { headers: { link: links.join(', ') } } : {}),
  };
}
