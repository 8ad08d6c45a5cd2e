import type { Tag } from '@aws-sdk/client-elastic-load-balancing-v2';

/** Converts a key/value map to the `{ Key, Value }` list ELBv2 takes. */
export function toElbTags(tags: Readonly<Record<string, string>>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** Converts an ELBv2 tag list (possibly absent) to a key/value map. */
export function fromElbTags(tags: readonly Tag[] | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) map[tag.Key] = tag.Value ?? '';
  return map;
}
