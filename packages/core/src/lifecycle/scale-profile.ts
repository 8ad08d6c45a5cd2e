import { ConfigurationError } from '../action/errors.js';

/** Reduced desired counts by service-name pattern (`*` matches any run of characters). */
export interface ScaleProfile {
  entries: { pattern: string; matcher: RegExp; count: number }[];
}

/**
 * Reads a profile such as `api=1,admin=0,celery-*=0` (given as key/value pairs).
 * @throws ConfigurationError for a count that is not a whole number from 0 to 100.
 */
export function parseScaleProfile(pairs: ReadonlyMap<string, string>): ScaleProfile {
  return {
    entries: [...pairs].map(([pattern, value]) => {
      if (!/^\d{1,3}$/.test(value) || Number(value) > 100) {
        throw new ConfigurationError(
          `Profile entry ${pattern}=${value}: the count must be a whole number from 0 to 100`,
        );
      }
      const source = pattern
        .split('*')
        .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*');
      return { pattern, matcher: new RegExp(`^${source}$`), count: Number(value) };
    }),
  };
}

/** The reduced count for a service (the first matching entry wins), or undefined when the profile leaves it alone. */
export function readProfileCount(profile: ScaleProfile, service: string): number | undefined {
  return profile.entries.find((entry) => entry.matcher.test(service))?.count;
}
