export type RateResource = 'core' | 'graphql' | 'search';

/** The numbers GitHub sends in x-ratelimit-* headers. */
export interface RateLimitWindow {
  limit: number;
  remaining: number;
  used: number;
  /** Epoch seconds when the window resets. */
  reset: number;
  resource: RateResource;
}

const hourSeconds = 3600;

/** Per-login, per-resource hourly budgets, as GitHub keeps them for a token's user. */
export class RateLimits {
  private readonly windows = new Map<string, RateLimitWindow>();

  constructor(
    private readonly now: () => Date,
    private readonly defaultLimits: Record<RateResource, number> = { core: 5000, graphql: 5000, search: 30 },
  ) {}

  private open(login: string, resource: RateResource): RateLimitWindow {
    const key = `${login.toLowerCase()} ${resource}`;
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    let window = this.windows.get(key);
    if (!window || nowSeconds >= window.reset) {
      const limit = window?.limit ?? this.defaultLimits[resource];
      window = { limit, remaining: limit, used: 0, reset: nowSeconds + hourSeconds, resource };
      this.windows.set(key, window);
    }
    return window;
  }

  /** Spends `cost` points; `exceeded` when the window had too few left (nothing is spent then). */
  consume(login: string, resource: RateResource, cost = 1): { window: RateLimitWindow; exceeded: boolean } {
    const window = this.open(login, resource);
    if (window.remaining < cost) return { window: { ...window }, exceeded: true };
    window.remaining -= cost;
    window.used += cost;
    return { window: { ...window }, exceeded: false };
  }

  /** The current window without spending anything. */
  read(login: string, resource: RateResource): RateLimitWindow {
    return { ...this.open(login, resource) };
  }

  /** Overrides a window, e.g. to drive a client into the limit. */
  set(input: {
    login: string;
    resource?: RateResource;
    remaining?: number;
    limit?: number;
    resetInSeconds?: number;
  }): RateLimitWindow {
    const window = this.open(input.login, input.resource ?? 'core');
    if (input.limit !== undefined) window.limit = input.limit;
    if (input.remaining !== undefined) {
      window.remaining = input.remaining;
      window.used = Math.max(0, window.limit - input.remaining);
    }
    if (input.resetInSeconds !== undefined)
      window.reset = Math.floor(this.now().getTime() / 1000) + input.resetInSeconds;
    return { ...window };
  }
}

/** The response headers for a window. */
export function renderRateLimitHeaders(window: RateLimitWindow): Record<string, string> {
  return {
    'x-ratelimit-limit': String(window.limit),
    'x-ratelimit-remaining': String(window.remaining),
    'x-ratelimit-used': String(window.used),
    'x-ratelimit-reset': String(window.reset),
    'x-ratelimit-resource': window.resource,
  };
}
