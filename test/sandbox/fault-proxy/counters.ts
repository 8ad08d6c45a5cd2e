/** Per-operation tallies: every call, the mutating ones, and the ones answered with an injected fault. */
export interface OperationCounts {
  calls: number;
  mutating: number;
  faulted: number;
}

/** Counts calls per target and operation for `GET {admin}/counters`. */
export class CallCounters {
  private counts = new Map<string, Map<string, OperationCounts>>();

  record(target: string, operation: string, mutating: boolean, faulted: boolean): void {
    let byOperation = this.counts.get(target);
    if (!byOperation) {
      byOperation = new Map();
      this.counts.set(target, byOperation);
    }
    const counts = byOperation.get(operation) ?? { calls: 0, mutating: 0, faulted: 0 };
    counts.calls += 1;
    if (mutating) counts.mutating += 1;
    if (faulted) counts.faulted += 1;
    byOperation.set(operation, counts);
  }

  /** `{ target: { operation: {calls, mutating, faulted} } }`, a copy. */
  snapshot(): Record<string, Record<string, OperationCounts>> {
    const result: Record<string, Record<string, OperationCounts>> = {};
    for (const [target, byOperation] of this.counts) {
      result[target] = Object.fromEntries([...byOperation].map(([operation, counts]) => [operation, { ...counts }]));
    }
    return result;
  }

  clear(): void {
    this.counts.clear();
  }
}
