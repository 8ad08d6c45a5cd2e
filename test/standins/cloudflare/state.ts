import { CloudflareApiError } from './envelope.js';
import {
  assertNoConflict,
  buildDnsRecord,
  createCloudflareId,
  patchDnsRecord,
  type CloudflareDnsRecord,
  type CloudflareZone,
  type DnsRecordInput,
} from './records.js';

/** A scripted run of 429 answers: the next `remaining` API requests are refused. */
export interface RateLimitScript {
  remaining: number;
  retryAfterSeconds: number;
}

/** Everything the Cloudflare stand-in remembers: zones, records, request counters and the scripted rate limit. */
export class CloudflareState {
  readonly zones = new Map<string, CloudflareZone>();
  readonly records = new Map<string, CloudflareDnsRecord>();
  /** Requests per route template, e.g. `POST /zones/{zone_id}/dns_records`. */
  readonly counters = new Map<string, number>();
  rateLimit: RateLimitScript = { remaining: 0, retryAfterSeconds: 1 };

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Adds a zone (or returns the one with that name). */
  addZone(name: string): CloudflareZone {
    const lower = name.toLowerCase().replace(/\.$/, '');
    const existing = [...this.zones.values()].find((zone) => zone.name === lower);
    if (existing) return existing;
    const zone = { id: createCloudflareId(), name: lower, created_on: this.now().toISOString() };
    this.zones.set(zone.id, zone);
    return zone;
  }

  /** The zone with this id, or the error Cloudflare gives a token that cannot see it. */
  readZone(zoneId: string): CloudflareZone {
    const zone = this.zones.get(zoneId);
    if (zone) return zone;
    if (!/^[0-9a-f]{32}$/i.test(zoneId)) {
      throw new CloudflareApiError(
        400,
        7003,
        `Could not route to /zones/${zoneId}/dns_records, perhaps your object identifier is invalid?`,
      );
    }
    throw new CloudflareApiError(403, 10000, 'Authentication error');
  }

  /** The zone's records in creation order. */
  listRecords(zoneId: string): CloudflareDnsRecord[] {
    return [...this.records.values()].filter((record) => record.zone_id === zoneId);
  }

  /** One record, or Cloudflare's 81044 when it is not in the zone. */
  readRecord(zoneId: string, recordId: string): CloudflareDnsRecord {
    const record = this.records.get(recordId);
    if (!record || record.zone_id !== zoneId) throw new CloudflareApiError(404, 81044, 'Record does not exist.');
    return record;
  }

  /** POST semantics: validates, refuses duplicates, stores. */
  createRecord(zoneId: string, input: DnsRecordInput): CloudflareDnsRecord {
    const zone = this.readZone(zoneId);
    return this.store(buildDnsRecord(zone, input, this.now()));
  }

  /** PUT semantics: the body replaces every writable field. */
  overwriteRecord(zoneId: string, recordId: string, input: DnsRecordInput): CloudflareDnsRecord {
    const zone = this.readZone(zoneId);
    const current = this.readRecord(zoneId, recordId);
    return this.store(buildDnsRecord(zone, input, this.now(), current));
  }

  /** PATCH semantics: only the fields given change. */
  editRecord(zoneId: string, recordId: string, input: DnsRecordInput): CloudflareDnsRecord {
    const zone = this.readZone(zoneId);
    const current = this.readRecord(zoneId, recordId);
    return this.store(patchDnsRecord(zone, current, input, this.now()));
  }

  /** Removes a record; 81044 when it is not there. */
  deleteRecord(zoneId: string, recordId: string): { id: string } {
    this.readZone(zoneId);
    this.readRecord(zoneId, recordId);
    this.records.delete(recordId);
    return { id: recordId };
  }

  /** Counts one request against its route template. */
  countRequest(route: string): void {
    this.counters.set(route, (this.counters.get(route) ?? 0) + 1);
  }

  /** Consumes one scripted 429, returning the retry-after seconds, or undefined when none is left. */
  takeRateLimit(): number | undefined {
    if (this.rateLimit.remaining <= 0) return undefined;
    this.rateLimit.remaining -= 1;
    return this.rateLimit.retryAfterSeconds;
  }

  /** Forgets records, counters and the rate-limit script; zones stay so their ids remain valid. */
  reset(): void {
    this.records.clear();
    this.counters.clear();
    this.rateLimit = { remaining: 0, retryAfterSeconds: 1 };
  }

  private store(record: CloudflareDnsRecord): CloudflareDnsRecord {
    assertNoConflict(record, this.listRecords(record.zone_id));
    this.records.set(record.id, record);
    return record;
  }
}
