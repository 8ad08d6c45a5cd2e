import { CloudflareApiError } from './envelope.js';
import type { CloudflareDnsRecord } from './records.js';

type Predicate = (record: CloudflareDnsRecord) => boolean;

/** The page of records a list request asked for, with Cloudflare's `result_info`. */
export interface RecordPage {
  result: CloudflareDnsRecord[];
  resultInfo: { page: number; per_page: number; count: number; total_count: number; total_pages: number };
}

const TEXT_OPERATORS = ['exact', 'contains', 'startswith', 'endswith'] as const;
type TextOperator = (typeof TEXT_OPERATORS)[number];
const ORDER_FIELDS = new Set(['type', 'name', 'content', 'ttl', 'proxied']);
const MAX_PER_PAGE = 5_000_000;

/**
 * Filters, orders and pages records as `GET /zones/{zone_id}/dns_records` does. Supports `name`, `content` and
 * `comment` (plain, `.exact`, `.contains`, `.startswith`, `.endswith`; comment also `.present`/`.absent`), `type`,
 * `proxied`, `search`, `tag` (`name:value` or `name`, plus the dotted operators) combined by `tag_match`, all other
 * filters combined by `match`, `order`/`direction`, `page`/`per_page`. Text filters are case-insensitive.
 */
export function selectRecordPage(records: CloudflareDnsRecord[], query: URLSearchParams): RecordPage {
  const match = readChoice(query, 'match', ['all', 'any']);
  const tagMatch = readChoice(query, 'tag_match', ['all', 'any']);
  const predicates = readFieldPredicates(query);
  const tagPredicates = readTagPredicates(query);
  if (tagPredicates.length > 0) predicates.push(combine(tagPredicates, tagMatch));
  const selected = records.filter(combine(predicates, match));
  sortRecords(selected, query);
  const perPage = readInteger(query, 'per_page', 100, 1, MAX_PER_PAGE);
  const page = readInteger(query, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
  const result = selected.slice((page - 1) * perPage, page * perPage);
  return {
    result,
    resultInfo: {
      page,
      per_page: perPage,
      count: result.length,
      total_count: selected.length,
      total_pages: Math.ceil(selected.length / perPage),
    },
  };
}

function readFieldPredicates(query: URLSearchParams): Predicate[] {
  const predicates: Predicate[] = [];
  for (const field of ['name', 'content', 'comment'] as const) {
    for (const value of query.getAll(field)) predicates.push(textPredicate((r) => r[field], 'exact', value));
    for (const operator of TEXT_OPERATORS) {
      for (const value of query.getAll(`${field}.${operator}`)) {
        predicates.push(textPredicate((r) => r[field], operator, value));
      }
    }
  }
  if (query.has('comment.present')) predicates.push((r) => r.comment !== null);
  if (query.has('comment.absent')) predicates.push((r) => r.comment === null);
  for (const type of query.getAll('type')) predicates.push((r) => r.type === type.toUpperCase());
  const proxied = query.get('proxied');
  if (proxied !== null) predicates.push((r) => r.proxied === (proxied === 'true'));
  const search = query.get('search');
  if (search !== null) {
    predicates.push((r) => [r.name, r.content, r.comment ?? ''].some((text) => matchText(text, 'contains', search)));
  }
  return predicates;
}

function readTagPredicates(query: URLSearchParams): Predicate[] {
  const predicates: Predicate[] = [];
  for (const value of query.getAll('tag')) {
    const [name, tagValue] = splitTag(value);
    predicates.push(tagValue === undefined ? hasTag(name) : tagPredicate(name, 'exact', tagValue));
  }
  for (const operator of TEXT_OPERATORS) {
    for (const value of query.getAll(`tag.${operator}`)) {
      const [name, tagValue] = splitTag(value);
      predicates.push(tagPredicate(name, operator, tagValue ?? ''));
    }
  }
  for (const name of query.getAll('tag.present')) predicates.push(hasTag(name));
  for (const name of query.getAll('tag.absent')) {
    const present = hasTag(name);
    predicates.push((r) => !present(r));
  }
  return predicates;
}

function splitTag(value: string): [string, string | undefined] {
  const colon = value.indexOf(':');
  return colon < 0 ? [value, undefined] : [value.slice(0, colon), value.slice(colon + 1)];
}

function hasTag(name: string): Predicate {
  return (r) => r.tags.some((tag) => splitTag(tag)[0].toLowerCase() === name.toLowerCase());
}

function tagPredicate(name: string, operator: TextOperator, value: string): Predicate {
  return (r) =>
    r.tags.some((tag) => {
      const [tagName, tagValue] = splitTag(tag);
      return tagName.toLowerCase() === name.toLowerCase() && matchText(tagValue ?? '', operator, value);
    });
}

function textPredicate(
  read: (r: CloudflareDnsRecord) => string | null,
  operator: TextOperator,
  value: string,
): Predicate {
  return (r) => {
    const text = read(r);
    return text !== null && matchText(text, operator, value);
  };
}

function matchText(text: string, operator: TextOperator, wanted: string): boolean {
  const a = text.toLowerCase();
  const b = wanted.toLowerCase();
  switch (operator) {
    case 'exact':
      return a === b;
    case 'contains':
      return a.includes(b);
    case 'startswith':
      return a.startsWith(b);
    case 'endswith':
      return a.endsWith(b);
  }
}

function combine(predicates: Predicate[], mode: string): Predicate {
  if (predicates.length === 0) return () => true;
  return mode === 'any' ? (r) => predicates.some((p) => p(r)) : (r) => predicates.every((p) => p(r));
}

function sortRecords(records: CloudflareDnsRecord[], query: URLSearchParams): void {
  const order = query.get('order');
  if (order === null) return;
  if (!ORDER_FIELDS.has(order)) throw new CloudflareApiError(400, 1004, `Invalid order field '${order}'.`);
  const sign = readChoice(query, 'direction', ['asc', 'desc']) === 'desc' ? -1 : 1;
  const key = order as 'type' | 'name' | 'content' | 'ttl' | 'proxied';
  records.sort((x, y) => {
    const a = x[key];
    const b = y[key];
    return sign * (a < b ? -1 : a > b ? 1 : 0);
  });
}

function readChoice(query: URLSearchParams, name: string, choices: string[]): string {
  const value = query.get(name) ?? choices[0]!;
  if (!choices.includes(value)) {
    throw new CloudflareApiError(400, 1004, `Invalid value for '${name}': expected one of ${choices.join(', ')}.`);
  }
  return value;
}

function readInteger(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const text = query.get(name);
  if (text === null) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new CloudflareApiError(400, 1004, `Invalid '${name}': must be an integer between ${min} and ${max}.`);
  }
  return value;
}
