import { describe, expect, it } from '@jest/globals';
import { createOwnershipTags, isOwnedBy, OWNERSHIP_TAG_KEYS, readOwnershipTags } from '../preview/ownership-tags.js';
import { fromEcsTags, toEcsTags } from './ecs-tags.js';

describe('ECS tag conversion', () => {
  it('round-trips a key/value map through the ECS tag list', () => {
    const tags = { a: '1', 'preview-actions:repo': 'acme/shop' };
    expect(toEcsTags(tags)).toEqual([
      { key: 'a', value: '1' },
      { key: 'preview-actions:repo', value: 'acme/shop' },
    ]);
    expect(fromEcsTags(toEcsTags(tags))).toEqual(tags);
    expect(fromEcsTags(undefined)).toEqual({});
    expect(fromEcsTags([{ value: 'orphan' }, { key: 'empty' }])).toEqual({ empty: '' });
  });
});

describe('ownership tags', () => {
  const deployedAt = new Date('2026-03-01T10:00:00Z');
  const expiresAt = new Date('2026-03-08T10:00:00Z');

  it('writes every fact under the preview-actions keys and reads them back', () => {
    const tags = createOwnershipTags({ repo: 'acme/shop', pr: 7, service: 'api', deployedAt, expiresAt });
    expect(tags).toEqual({
      'preview-actions:managed': 'true',
      'preview-actions:repo': 'acme/shop',
      'preview-actions:pr': '7',
      'preview-actions:service': 'api',
      'preview-actions:deployed-at': '2026-03-01T10:00:00.000Z',
      'preview-actions:expires-at': '2026-03-08T10:00:00.000Z',
    });
    expect(readOwnershipTags(tags)).toEqual({ repo: 'acme/shop', pr: 7, service: 'api', deployedAt, expiresAt });
    const hibernated = createOwnershipTags({ repo: 'acme/shop', pr: 7, hibernatedAt: deployedAt });
    expect(hibernated[OWNERSHIP_TAG_KEYS.hibernatedAt]).toBe('2026-03-01T10:00:00.000Z');
    expect(readOwnershipTags(hibernated)?.hibernatedAt).toEqual(deployedAt);
  });

  it('refuses resources not marked managed or with an unreadable PR, and drops unreadable dates', () => {
    expect(readOwnershipTags({ 'preview-actions:repo': 'acme/shop', 'preview-actions:pr': '7' })).toBeUndefined();
    expect(
      readOwnershipTags({ ...createOwnershipTags({ repo: 'acme/shop', pr: 7 }), 'preview-actions:pr': '07' }),
    ).toBeUndefined();
    expect(
      readOwnershipTags({ ...createOwnershipTags({ repo: 'acme/shop', pr: 7 }), 'preview-actions:repo': '' }),
    ).toBeUndefined();
    expect(
      readOwnershipTags({ ...createOwnershipTags({ repo: 'acme/shop', pr: 7 }), 'preview-actions:expires-at': 'soon' }),
    ).toEqual({ repo: 'acme/shop', pr: 7 });
  });

  it('matches the owner case-insensitively by repository and, when given, by PR', () => {
    const tags = createOwnershipTags({ repo: 'Acme/Shop', pr: 7 });
    expect(isOwnedBy(tags, { repo: 'acme/shop' })).toBe(true);
    expect(isOwnedBy(tags, { repo: 'acme/shop', pr: 7 })).toBe(true);
    expect(isOwnedBy(tags, { repo: 'acme/shop', pr: 8 })).toBe(false);
    expect(isOwnedBy(tags, { repo: 'acme/blog' })).toBe(false);
    expect(isOwnedBy({}, { repo: 'acme/shop' })).toBe(false);
  });
});
