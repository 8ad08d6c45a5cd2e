import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createTargetGroupName, fitTargetGroupName, TARGET_GROUP_NAME_LIMIT } from './target-group-name.js';

const VALID = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
const serviceName = fc.stringMatching(/^[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?$/);
const pr = fc.integer({ min: 1, max: 2_000_000_000 });

describe('createTargetGroupName', () => {
  it('keeps a name that already fits', () => {
    expect(createTargetGroupName(123, 'api')).toBe('pr-123-api');
  });

  it('cuts a long name and appends six hex digits of its sha256', () => {
    const name = createTargetGroupName(123, 'celery-very-long-queue-name-worker');
    expect(name).toMatch(/^pr-123-celery-very-long-q-[0-9a-f]{6}$/);
    expect(name.length).toBeLessThanOrEqual(TARGET_GROUP_NAME_LIMIT);
  });

  it('always yields a valid target-group name (property)', () => {
    fc.assert(
      fc.property(pr, serviceName, (n, s) => {
        const name = createTargetGroupName(n, s);
        expect(name.length).toBeLessThanOrEqual(TARGET_GROUP_NAME_LIMIT);
        expect(name).toMatch(VALID);
      }),
      { numRuns: 2000 },
    );
  });

  it('fits any string, even with forbidden characters (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (raw) => {
        const name = fitTargetGroupName(raw);
        expect(name.length).toBeLessThanOrEqual(TARGET_GROUP_NAME_LIMIT);
        expect(name).toMatch(VALID);
        expect(name.startsWith('internal-')).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('is deterministic (property)', () => {
    fc.assert(
      fc.property(pr, serviceName, (n, s) => expect(createTargetGroupName(n, s)).toBe(createTargetGroupName(n, s))),
    );
  });

  it('never gives two different services the same name, even when both are cut (property)', () => {
    const longService = fc.stringMatching(/^[a-z][a-z0-9-]{24,40}[a-z0-9]$/);
    fc.assert(
      fc.property(
        pr,
        fc.uniqueArray(fc.oneof(serviceName, longService), { minLength: 2, maxLength: 30 }),
        (n, services) => {
          const names = services.map((s) => createTargetGroupName(n, s));
          expect(new Set(names).size).toBe(services.length);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps two long names with the same first 25 characters apart', () => {
    const a = createTargetGroupName(7, 'shared-prefix-of-a-long-name-a');
    const b = createTargetGroupName(7, 'shared-prefix-of-a-long-name-b');
    expect(a.slice(0, -6)).toBe(b.slice(0, -6));
    expect(a).not.toBe(b);
  });
});
