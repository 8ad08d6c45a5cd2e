import type { Logger } from '../action/logger.js';
import { isCloudflareNotFound, readCloudflareErrorCodes } from './cloudflare-error.js';
import { listRecordsByName, normalizeDnsName, type DnsRecord, type DnsZone } from './list-records.js';
import { assertRecordsOwnable } from './check-preview-record.js';
import { formatOwnerComment, type RecordOwner } from './owner-comment.js';

/** What {@link upsertPreviewRecord} should make. */
export interface PreviewRecordSpec extends DnsZone {
  /** Full hostname, e.g. `pr-12.preview.example.com`. */
  name: string;
  /** The load balancer's DNS name the CNAME points at. */
  target: string;
  owner: RecordOwner;
  log?: Logger;
}

/** What happened to the record. */
export interface PreviewRecordResult {
  action: 'created' | 'updated' | 'unchanged';
  recordId: string;
}

/** Codes Cloudflare answers a create with when a record of that name appeared meanwhile. */
const ALREADY_EXISTS = new Set([81053, 81054, 81057]);
const MAX_ATTEMPTS = 3;

/**
 * Makes `name` a proxied CNAME to `target`, marked as this pull request's in its comment.
 * A record of that name we do not own is never touched; several records of that name
 * fail with their ids; an identical record is left alone; and when a concurrent run creates
 * or deletes the record between our read and our write, we read again and reconcile.
 */
export async function upsertPreviewRecord(spec: PreviewRecordSpec): Promise<PreviewRecordResult> {
  const name = normalizeDnsName(spec.name);
  const desired = {
    type: 'CNAME' as const,
    name,
    content: normalizeDnsName(spec.target),
    proxied: true,
    ttl: 1 as const,
    comment: formatOwnerComment(spec.owner),
  };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const existing = await listRecordsByName(spec, name);
    assertRecordsOwnable(existing, spec.owner, name);
    const [current] = existing;
    if (current) {
      if (isDesired(current, desired)) return { action: 'unchanged', recordId: current.id };
      try {
        const updated = await spec.client.dns.records.update(current.id, { zone_id: spec.zoneId, ...desired });
        spec.log?.info(`Updated DNS record ${name} → ${desired.content}`);
        return { action: 'updated', recordId: updated.id };
      } catch (error) {
        if (!isCloudflareNotFound(error)) throw error;
        spec.log?.info(`DNS record ${name} was deleted while updating it; reading it again`);
        continue;
      }
    }
    try {
      const created = await spec.client.dns.records.create({ zone_id: spec.zoneId, ...desired });
      spec.log?.info(`Created DNS record ${name} → ${desired.content}`);
      return { action: 'created', recordId: created.id };
    } catch (error) {
      if (!readCloudflareErrorCodes(error).some((code) => ALREADY_EXISTS.has(code))) throw error;
      spec.log?.info(`DNS record ${name} appeared while creating it; reading it again`);
    }
  }
  throw new Error(`DNS record ${name} kept changing under us after ${MAX_ATTEMPTS} attempts; retry the deploy`);
}

function isDesired(
  record: DnsRecord,
  desired: { type: string; content: string; proxied: boolean; comment: string },
): boolean {
  return (
    record.type === desired.type &&
    normalizeDnsName(record.content) === desired.content &&
    record.proxied === desired.proxied &&
    record.comment === desired.comment
  );
}
