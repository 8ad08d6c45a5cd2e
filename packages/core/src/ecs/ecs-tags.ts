import type { Tag } from '@aws-sdk/client-ecs';

/** Converts a key/value map to the `{ key, value }` list the ECS API takes. */
export function toEcsTags(tags: Readonly<Record<string, string>>): Tag[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

/** Converts an ECS tag list (possibly absent) to a key/value map. */
export function fromEcsTags(tags: readonly Tag[] | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const tag of tags ?? []) {
    if (tag.key !== undefined) map[tag.key] = tag.value ?? '';
  }
  return map;
}
