import { randomBytes } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { CloudflareApiError } from './envelope.js';

/** A zone as the stand-in keeps it. */
export interface CloudflareZone {
  id: string;
  name: string;
  created_on: string;
}

/** A DNS record in the shape `GET /zones/{zone_id}/dns_records/{id}` returns it. */
export interface CloudflareDnsRecord {
  id: string;
  zone_id: string;
  zone_name: string;
  name: string;
  type: string;
  content: string;
  proxiable: boolean;
  proxied: boolean;
  ttl: number;
  comment: string | null;
  tags: string[];
  settings: Record<string, unknown>;
  meta: Record<string, unknown>;
  created_on: string;
  modified_on: string;
  comment_modified_on?: string;
  tags_modified_on?: string;
  priority?: number;
}

/** The writable fields of a record, as a request body carries them. */
export interface DnsRecordInput {
  name?: unknown;
  type?: unknown;
  content?: unknown;
  proxied?: unknown;
  ttl?: unknown;
  comment?: unknown;
  tags?: unknown;
  settings?: unknown;
  priority?: unknown;
}

const PROXIABLE_TYPES = new Set(['A', 'AAAA', 'CNAME']);
const KNOWN_TYPES = new Set([
  'A',
  'AAAA',
  'CAA',
  'CERT',
  'CNAME',
  'DNSKEY',
  'DS',
  'HTTPS',
  'LOC',
  'MX',
  'NAPTR',
  'NS',
  'OPENPGPKEY',
  'PTR',
  'SMIMEA',
  'SRV',
  'SSHFP',
  'SVCB',
  'TLSA',
  'TXT',
  'URI',
]);

/** A fresh 32-hex-digit identifier, the form Cloudflare uses for zones and records. */
export function createCloudflareId(): string {
  return randomBytes(16).toString('hex');
}

/**
 * Expands a record name the way Cloudflare does: `@` is the apex, a name outside the zone gets the zone appended,
 * and names are stored lower-case without a trailing dot.
 */
export function qualifyRecordName(name: string, zoneName: string): string {
  const trimmed = name.trim().replace(/\.$/, '').toLowerCase();
  if (trimmed === '@' || trimmed === '') return zoneName;
  if (trimmed === zoneName || trimmed.endsWith(`.${zoneName}`)) return trimmed;
  return `${trimmed}.${zoneName}`;
}

/**
 * Validates a full record body (POST and PUT) and returns the new record; `previous` keeps id and created_on
 * on overwrite.
 */
export function buildDnsRecord(
  zone: CloudflareZone,
  input: DnsRecordInput,
  now: Date,
  previous?: CloudflareDnsRecord,
): CloudflareDnsRecord {
  const type = readType(input.type);
  if (typeof input.name !== 'string' || input.name.trim() === '') {
    throw new CloudflareApiError(400, 9007, 'DNS name is invalid.');
  }
  const timestamp = now.toISOString();
  const record: CloudflareDnsRecord = {
    id: previous?.id ?? createCloudflareId(),
    zone_id: zone.id,
    zone_name: zone.name,
    name: qualifyRecordName(input.name, zone.name),
    type,
    content: readContent(type, input.content),
    proxiable: PROXIABLE_TYPES.has(type),
    proxied: readProxied(type, input.proxied),
    ttl: readTtl(input.ttl),
    comment: readComment(input.comment),
    tags: readTags(input.tags),
    settings: readSettings(type, input.settings),
    meta: {},
    created_on: previous?.created_on ?? timestamp,
    modified_on: timestamp,
  };
  if (input.priority !== undefined) record.priority = readPriority(input.priority);
  stampSideFields(record, previous, timestamp);
  return record;
}

/** Applies a PATCH body: fields that are absent keep their current value. */
export function patchDnsRecord(
  zone: CloudflareZone,
  current: CloudflareDnsRecord,
  input: DnsRecordInput,
  now: Date,
): CloudflareDnsRecord {
  const merged: DnsRecordInput = {
    name: input.name ?? current.name,
    type: input.type ?? current.type,
    content: input.content ?? current.content,
    proxied: input.proxied ?? current.proxied,
    ttl: input.ttl ?? current.ttl,
    comment: input.comment === undefined ? current.comment : input.comment,
    tags: input.tags ?? current.tags,
    settings: input.settings ?? current.settings,
    priority: input.priority ?? current.priority,
  };
  return buildDnsRecord(zone, merged, now, current);
}

/**
 * Throws the error Cloudflare gives when `candidate` collides with a record already in the zone:
 * 81053 for a CNAME on a name that has A/AAAA/CNAME records, 81054 for another type on a CNAME's name,
 * 81057 for an identical record.
 */
export function assertNoConflict(candidate: CloudflareDnsRecord, existing: Iterable<CloudflareDnsRecord>): void {
  for (const other of existing) {
    if (other.id === candidate.id || other.name !== candidate.name) continue;
    if (candidate.type === 'CNAME' && PROXIABLE_TYPES.has(other.type)) {
      throw new CloudflareApiError(400, 81053, 'An A, AAAA, or CNAME record with that host already exists.');
    }
    if (other.type === 'CNAME') {
      throw new CloudflareApiError(400, 81054, 'A CNAME record with that host already exists.');
    }
    if (other.type === candidate.type && other.content.toLowerCase() === candidate.content.toLowerCase()) {
      throw new CloudflareApiError(400, 81057, 'Record already exists.');
    }
  }
}

function stampSideFields(
  record: CloudflareDnsRecord,
  previous: CloudflareDnsRecord | undefined,
  timestamp: string,
): void {
  const commentChanged = previous ? previous.comment !== record.comment : record.comment !== null;
  const commentStamp = commentChanged ? timestamp : previous?.comment_modified_on;
  if (commentStamp && record.comment !== null) record.comment_modified_on = commentStamp;
  const tagsChanged = previous ? previous.tags.join('\n') !== record.tags.join('\n') : record.tags.length > 0;
  const tagsStamp = tagsChanged ? timestamp : previous?.tags_modified_on;
  if (tagsStamp && record.tags.length > 0) record.tags_modified_on = tagsStamp;
}

function readType(value: unknown): string {
  const type = typeof value === 'string' ? value.toUpperCase() : '';
  if (!KNOWN_TYPES.has(type)) throw new CloudflareApiError(400, 9020, 'Invalid DNS record type');
  return type;
}

function readContent(type: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new CloudflareApiError(400, 9005, 'Content is required.');
  if (type === 'A' && !isIPv4(value)) {
    throw new CloudflareApiError(400, 9005, 'Content for A record must be a valid IPv4 address.');
  }
  if (type === 'AAAA' && !isIPv6(value)) {
    throw new CloudflareApiError(400, 9006, 'Content for AAAA record must be a valid IPv6 address.');
  }
  if (type === 'CNAME' || type === 'NS' || type === 'MX' || type === 'PTR')
    return value.replace(/\.$/, '').toLowerCase();
  return value;
}

function readProxied(type: string, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw new CloudflareApiError(400, 9003, "Invalid 'proxied' value, must be a boolean");
  if (value && !PROXIABLE_TYPES.has(type))
    throw new CloudflareApiError(400, 9004, 'This record type cannot be proxied.');
  return value;
}

function readTtl(value: unknown): number {
  if (value === undefined || value === null) return 1;
  if (typeof value === 'number' && Number.isInteger(value) && (value === 1 || (value >= 30 && value <= 86400))) {
    return value;
  }
  throw new CloudflareApiError(400, 9021, 'Invalid TTL. Must be between 30 and 86400 seconds, or 1 for Automatic.');
}

function readComment(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw new CloudflareApiError(400, 9000, 'DNS record comment must be a string.');
  return value;
}

function readTags(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((tag) => typeof tag !== 'string' || !/^[^:]+:.*$/.test(tag))) {
    throw new CloudflareApiError(400, 9000, 'DNS record tags must be strings of the form <name>:<value>.');
  }
  return [...(value as string[])];
}

function readSettings(type: string, value: unknown): Record<string, unknown> {
  const given = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  return type === 'CNAME' ? { flatten_cname: false, ...given } : { ...given };
}

function readPriority(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535) return value;
  throw new CloudflareApiError(400, 9000, 'Priority must be an integer between 0 and 65535.');
}
