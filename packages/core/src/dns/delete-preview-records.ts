import type { Logger } from '../action/logger.js';
import { isCloudflareNotFound } from './cloudflare-error.js';
import { listOwnedRecords, type DnsZone } from './list-records.js';

/**
 * Deletes the records this repository's previews own (one pull request's, when `pr` is given).
 * A record already gone counts as deleted. Returns the ids removed.
 */
export async function deletePreviewRecords(
  zone: DnsZone & { log?: Logger },
  owner: { repo: string; pr?: number },
): Promise<string[]> {
  return deleteRecords(zone, await listOwnedRecords(zone, owner));
}

/** Deletes these records (found earlier, e.g. by a sweep's discovery); one already gone counts as deleted. Returns the ids removed. */
export async function deleteRecords(
  zone: DnsZone & { log?: Logger },
  records: readonly { id: string; name: string }[],
): Promise<string[]> {
  const deleted: string[] = [];
  for (const record of records) {
    try {
      await zone.client.dns.records.delete(record.id, { zone_id: zone.zoneId });
    } catch (error) {
      if (!isCloudflareNotFound(error)) throw error;
    }
    zone.log?.info(`Deleted DNS record ${record.name}`);
    deleted.push(record.id);
  }
  return deleted;
}
