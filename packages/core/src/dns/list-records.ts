import type Cloudflare from 'cloudflare';
import { formatOwnerCommentPrefix, isOwnerComment, parseOwnerComment } from './owner-comment.js';

/** The fields of a DNS record we look at. */
export interface DnsRecord {
  id: string;
  name: string;
  type: string;
  content: string;
  proxied: boolean;
  comment: string | null;
}

/** A record {@link listOwnedRecords} found, with the pull request its comment names. */
export interface OwnedDnsRecord extends DnsRecord {
  pr: number;
}

/** Where records live. */
export interface DnsZone {
  client: Cloudflare;
  zoneId: string;
}

type RecordQuery = Omit<Cloudflare.DNS.Records.RecordListParams, 'zone_id' | 'page' | 'per_page'>;

const PER_PAGE = 100;
const MAX_RECORDS = 10_000;

/** A hostname as Cloudflare compares it: trimmed, lower-case, without a trailing dot. */
export function normalizeDnsName(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

/** Every record with exactly this name, whatever its type or owner. */
export async function listRecordsByName(zone: DnsZone, name: string): Promise<DnsRecord[]> {
  return listRecords(zone, { name: { exact: name } });
}

/**
 * The records this repository's previews made (one pull request's, when given), found by
 * Cloudflare's comment filter and then checked with the strict comment parser, since the
 * filter is only a case-insensitive prefix match.
 */
export async function listOwnedRecords(zone: DnsZone, owner: { repo: string; pr?: number }): Promise<OwnedDnsRecord[]> {
  const records = await listRecords(zone, { comment: { startswith: formatOwnerCommentPrefix(owner.repo) } });
  return records.flatMap((record) =>
    isOwnerComment(record.comment, owner) ? [{ ...record, pr: parseOwnerComment(record.comment)!.pr }] : [],
  );
}

async function listRecords(zone: DnsZone, query: RecordQuery): Promise<DnsRecord[]> {
  const found: DnsRecord[] = [];
  for await (const record of zone.client.dns.records.list({ zone_id: zone.zoneId, per_page: PER_PAGE, ...query })) {
    found.push({
      id: record.id,
      name: record.name,
      type: record.type,
      content: String(record.content ?? ''),
      proxied: record.proxied ?? false,
      comment: record.comment ?? null,
    });
    if (found.length >= MAX_RECORDS) {
      throw new Error(`Listing DNS records in zone ${zone.zoneId} found more than ${MAX_RECORDS}; narrow the filter`);
    }
  }
  return found;
}
