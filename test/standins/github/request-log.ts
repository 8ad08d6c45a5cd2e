/** One request the stand-in answered. */
export interface RequestEntry {
  method: string;
  path: string;
  /** The OpenAPI template or /graphql; absent for unknown routes. */
  route?: string;
  status: number;
  login?: string;
}

const keptEntries = 5000;

/** Counts requests per route (`GET /repos/{owner}/{repo}/pulls`) so tests can bound API usage. */
export class RequestLog {
  counts: Record<string, number> = {};
  entries: RequestEntry[] = [];

  /** Records one answered request. */
  record(entry: RequestEntry): void {
    const key = `${entry.method} ${entry.route ?? entry.path}`;
    this.counts[key] = (this.counts[key] ?? 0) + 1;
    this.entries.push(entry);
    if (this.entries.length > keptEntries) this.entries.splice(0, this.entries.length - keptEntries);
  }

  /** How many requests hit `method route`; all routes when no key is given. */
  count(key?: string): number {
    if (key) return this.counts[key] ?? 0;
    return Object.values(this.counts).reduce((sum, n) => sum + n, 0);
  }

  /** Forgets everything. */
  reset(): void {
    this.counts = {};
    this.entries = [];
  }
}
