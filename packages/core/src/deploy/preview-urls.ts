import type { PreviewServiceConfig } from '../preview/environment-config.js';

/**
 * The URL a reviewer opens for each routed service: the host plus the service's first path
 * pattern up to its first wildcard (`/api/*` → `https://pr-12.example.com/api/`).
 */
export function createPreviewUrls(host: string, services: readonly PreviewServiceConfig[]): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const service of services) {
    const path = service.paths[0];
    if (path === undefined) continue;
    const prefix = path.split('*')[0]!.replace(/\/?$/, '/');
    urls[service.name] = `https://${host}${prefix.startsWith('/') ? prefix : `/${prefix}`}`;
  }
  return urls;
}
