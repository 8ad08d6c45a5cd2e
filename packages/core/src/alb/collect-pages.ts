/** No listing of ours should need more pages than this; more means a runaway marker. */
export const MAX_PAGES = 200;

/**
 * Drains an SDK paginator into one list, refusing to loop forever when a service keeps
 * returning a marker.
 */
export async function collectPages<P, T>(
  pages: AsyncIterable<P>,
  pick: (page: P) => readonly T[] | undefined,
  maxPages = MAX_PAGES,
): Promise<T[]> {
  const items: T[] = [];
  let count = 0;
  for await (const page of pages) {
    items.push(...(pick(page) ?? []));
    if (++count >= maxPages) throw new Error(`Listing stopped after ${maxPages} pages; the marker never ran out`);
  }
  return items;
}
