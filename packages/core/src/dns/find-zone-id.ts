import type Cloudflare from 'cloudflare';
import { ConfigurationError } from '../action/errors.js';

/**
 * Finds the zone that holds `domain`: the domain itself or the nearest parent that is a
 * zone the token can see (previews under `preview.example.com` usually live in the
 * `example.com` zone).
 * @param source where the user set the domain, named in the message (an input, or the environment file's field).
 */
export async function findZoneId(client: Cloudflare, domain: string, source = 'preview-domain'): Promise<string> {
  const labels = domain.trim().toLowerCase().replace(/\.$/, '').split('.');
  for (let start = 0; start <= labels.length - 2; start += 1) {
    const name = labels.slice(start).join('.');
    const page = await client.zones.list({ name, per_page: 5 });
    const zone = page.result.find((candidate) => candidate.name.toLowerCase() === name);
    if (zone) return zone.id;
  }
  throw new ConfigurationError(
    `No Cloudflare zone holds ${domain}: check ${source}, or give the API token Zone:Read on the zone (or set cloudflare-zone-id)`,
  );
}
