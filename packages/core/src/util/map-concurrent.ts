/**
 * Maps items through an async function with at most `limit` calls in flight, keeping
 * the input order in the result. Every item is attempted even if others fail; the
 * results say which failed, so callers can report all failures at once.
 */
export async function mapSettled<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: 'fulfilled', value: await work(items[index] as T, index) };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
    }
  });
  await Promise.all(lanes);
  return results;
}

/** Like {@link mapSettled}, but rejects with the first failure once every call has settled. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const settled = await mapSettled(items, limit, work);
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<R>).value);
}

/**
 * Like {@link mapSettled}, but once every call has settled throws one error naming each item that
 * failed ("Could not <what>: <name>: <why>; ..."), so one bad item never hides the others.
 */
export async function mapEachOrThrow<T, R>(
  items: readonly T[],
  limit: number,
  what: string,
  nameOf: (item: T) => string,
  work: (item: T) => Promise<R>,
  describeReason: (reason: unknown) => string,
): Promise<R[]> {
  const settled = await mapSettled(items, limit, (item) => work(item));
  const failed = settled.flatMap((r, i) =>
    r.status === 'rejected' ? [`${nameOf(items[i] as T)}: ${describeReason(r.reason)}`] : [],
  );
  if (failed.length > 0) throw new Error(`Could not ${what}: ${failed.join('; ')}`);
  return settled.map((r) => (r as PromiseFulfilledResult<R>).value);
}
