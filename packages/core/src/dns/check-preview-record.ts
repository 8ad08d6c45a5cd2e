import { ConfigurationError } from '../action/errors.js';
import { listRecordsByName, normalizeDnsName, type DnsRecord, type DnsZone } from './list-records.js';
import { isOwnerComment, type RecordOwner } from './owner-comment.js';

/**
 * Refuses records of `name` that a deploy of `owner` may not take over: any record whose comment does not name
 * this pull request, or more than one of ours.
 * @throws ConfigurationError naming the records and what to do.
 */
export function assertRecordsOwnable(records: readonly DnsRecord[], owner: RecordOwner, name: string): void {
  const foreign = records.filter((record) => !isOwnerComment(record.comment, owner));
  if (foreign.length > 0) {
    throw new ConfigurationError(
      `DNS name ${name} already has records not made by preview-actions for ${owner.repo}#${owner.pr} (ids ${foreign.map((r) => r.id).join(', ')}): remove them or use another preview-domain`,
    );
  }
  if (records.length > 1) {
    throw new ConfigurationError(
      `DNS name ${name} has ${records.length} preview records (ids ${records.map((r) => r.id).join(', ')}): delete all but one`,
    );
  }
}

/**
 * Checks, before a deploy writes anything, that the preview's DNS name is free or this pull request's, so a
 * foreign record fails the deploy before the services and routes exist rather than after.
 */
export async function checkPreviewRecord(zone: DnsZone, name: string, owner: RecordOwner): Promise<void> {
  const host = normalizeDnsName(name);
  assertRecordsOwnable(await listRecordsByName(zone, host), owner, host);
}
