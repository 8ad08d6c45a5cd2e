import { describe, expect, it } from '@jest/globals';
import { computeExpiresAt, extendExpiry, parseDuration } from './expiry.js';

const HOUR = 3_600_000;
const NOW = new Date('2026-03-01T12:00:00Z');

describe('expiry', () => {
  it('expires ttl-hours after the deploy', () => {
    expect(computeExpiresAt(NOW, 24).toISOString()).toBe('2026-03-02T12:00:00.000Z');
  });

  it('parses minutes, hours and days', () => {
    expect(parseDuration('90m')).toBe(90 * 60_000);
    expect(parseDuration('2h')).toBe(2 * HOUR);
    expect(parseDuration(' 1D ')).toBe(24 * HOUR);
  });

  it.each(['', 'abc', '2', '1.5h', '0h', '-1h', '2w', '2h30m'])('refuses %p with a ConfigurationError', (text) => {
    expect(() => parseDuration(text)).toThrow(
      expect.objectContaining({ name: 'ConfigurationError', message: expect.stringMatching(/e\.g\. 90m, 2h or 1d/) }),
    );
  });

  it('extends from the current expiry while it is in the future', () => {
    const current = new Date(NOW.getTime() + 3 * HOUR);
    expect(extendExpiry(current, NOW, '2h', 72 * HOUR)).toEqual({
      expiresAt: new Date(NOW.getTime() + 5 * HOUR),
      capped: false,
    });
  });

  it('extends from now once the preview has expired', () => {
    const current = new Date(NOW.getTime() - 5 * HOUR);
    expect(extendExpiry(current, NOW, '1d', 72 * HOUR).expiresAt).toEqual(new Date(NOW.getTime() + 24 * HOUR));
  });

  it('caps the expiry at now + max and says so', () => {
    const current = new Date(NOW.getTime() + 60 * HOUR);
    expect(extendExpiry(current, NOW, '1d', 72 * HOUR)).toEqual({
      expiresAt: new Date(NOW.getTime() + 72 * HOUR),
      capped: true,
    });
  });

  it('never shortens an expiry that is already past the cap', () => {
    const current = new Date(NOW.getTime() + 100 * HOUR);
    expect(extendExpiry(current, NOW, '1h', 72 * HOUR)).toEqual({ expiresAt: current, capped: true });
  });
});
