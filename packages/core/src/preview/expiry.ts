import { ConfigurationError } from '../action/errors.js';
import { quoteValue } from '../action/quote.js';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d{1,5})\s*(m|h|d)$/i;

/** When a preview deployed at `deployedAt` expires: `ttl-hours` later. */
export function computeExpiresAt(deployedAt: Date, ttlHours: number): Date {
  return new Date(deployedAt.getTime() + ttlHours * UNIT_MS.h);
}

/**
 * Parses a duration like `90m`, `2h` or `1d` (one number, one unit) into milliseconds.
 * @throws ConfigurationError saying what a good duration looks like.
 */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text.trim());
  const amount = match ? Number(match[1]) : 0;
  if (!match || amount === 0) {
    throw new ConfigurationError(
      `Duration ${quoteValue(text)} is not understood: write a whole number and m, h or d, e.g. 90m, 2h or 1d`,
    );
  }
  return amount * UNIT_MS[(match[2] as string).toLowerCase() as keyof typeof UNIT_MS];
}

/** The result of `/extend`: the new expiry, and whether it was cut to the allowed maximum. */
export interface ExtendedExpiry {
  expiresAt: Date;
  capped: boolean;
}

/**
 * Applies `/extend <duration>`: the expiry moves `duration` past the later of the current expiry
 * and now (extending an already expired preview counts from now), and never beyond `now + maxAheadMs`,
 * so repeated extensions cannot keep a preview alive forever.
 */
export function extendExpiry(current: Date, now: Date, durationText: string, maxAheadMs: number): ExtendedExpiry {
  const duration = parseDuration(durationText);
  const from = Math.max(current.getTime(), now.getTime());
  const limit = now.getTime() + maxAheadMs;
  const wanted = from + duration;
  return wanted > limit
    ? { expiresAt: new Date(Math.max(limit, current.getTime())), capped: true }
    : { expiresAt: new Date(wanted), capped: false };
}
