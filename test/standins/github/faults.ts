/** A canned failure the stand-in answers instead of the real route, to exercise retries and error paths. */
export interface FaultInput {
  /** Matches any method when absent. */
  method?: string;
  /** An OpenAPI template (/repos/{owner}/{repo}/pulls) or a concrete path (/repos/o/r/pulls/1). */
  path: string;
  status: number;
  /** How many matching requests fail; default 1. */
  times?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Pending faults, consumed first-in first-out. */
export class Faults {
  private pending: (FaultInput & { left: number })[] = [];

  /** Queues a fault. */
  add(input: FaultInput): void {
    this.pending.push({ ...input, left: input.times ?? 1 });
  }

  /** Removes every pending fault. */
  clear(): void {
    this.pending = [];
  }

  /** Takes the first fault matching the request, if any. */
  take(method: string, template: string | undefined, pathname: string): FaultInput | undefined {
    const fault = this.pending.find(
      (f) => (!f.method || f.method.toUpperCase() === method) && (f.path === template || f.path === pathname),
    );
    if (!fault) return undefined;
    fault.left -= 1;
    if (fault.left <= 0) this.pending = this.pending.filter((f) => f !== fault);
    return fault;
  }
}
