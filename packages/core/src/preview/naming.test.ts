import { describe, expect, it } from '@jest/globals';
import {
  createEnvironmentName,
  createPreviewHost,
  createServiceName,
  isEnvironmentRedisKey,
  readLogStreamPreviewNumber,
  readPreviewNumber,
  readPreviewServiceSuffix,
} from './naming.js';
import { createTargetGroupName } from './target-group-name.js';

describe('preview naming', () => {
  it('names the environment, its services and its host', () => {
    expect(createEnvironmentName(123)).toBe('pr-123');
    expect(createServiceName(123, 'celery-default')).toBe('pr-123-celery-default');
    expect(createPreviewHost(123, 'API.Internal.example.com.')).toBe('pr-123.api.internal.example.com');
  });

  it('starts every name with the name prefix when there is one', () => {
    expect(createEnvironmentName(12, 'shop')).toBe('shop-pr-12');
    expect(createServiceName(12, 'api', 'shop')).toBe('shop-pr-12-api');
    expect(createPreviewHost(12, 'preview.example.com', 'shop')).toBe('shop-pr-12.preview.example.com');
    expect(createTargetGroupName(12, 'api', 'shop')).toBe('shop-pr-12-api');
  });

  it('reads back only names of its own prefix', () => {
    expect(readPreviewNumber('pr-12-api')).toBe(12);
    expect(readPreviewNumber('shop-pr-12-api')).toBeUndefined();
    expect(readPreviewNumber('shop-pr-12-api', 'shop')).toBe(12);
    expect(readPreviewNumber('pr-12-api', 'shop')).toBeUndefined();
    expect(readPreviewNumber('shopx-pr-12-api', 'shop')).toBeUndefined();
    expect(readLogStreamPreviewNumber('pr-12/api/abc')).toBe(12);
    expect(readLogStreamPreviewNumber('shop-pr-12/api/abc')).toBeUndefined();
    expect(readLogStreamPreviewNumber('shop-pr-12/api/abc', 'shop')).toBe(12);
    expect(readPreviewServiceSuffix('shop-pr-12-celery-low', 'shop')).toBe('celery-low');
  });

  it('keeps Redis keys to the environment namespace', () => {
    expect(isEnvironmentRedisKey('pr-12:cache', 12)).toBe(true);
    expect(isEnvironmentRedisKey('pr-12', 12)).toBe(true);
    expect(isEnvironmentRedisKey('pr-123:cache', 12)).toBe(false);
    expect(isEnvironmentRedisKey('shop-pr-12:cache', 12)).toBe(false);
    expect(isEnvironmentRedisKey('shop-pr-12:cache', 12, 'shop')).toBe(true);
    expect(isEnvironmentRedisKey('pr-12:cache', 12, 'shop')).toBe(false);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses PR number %p', (pr) => {
    expect(() => createEnvironmentName(pr)).toThrow(/positive whole number/);
  });

  it.each(['Shop', '1shop', 'shop-', 'a'.repeat(13), 'sh_op'])('refuses name prefix %p', (prefix) => {
    expect(() => createEnvironmentName(1, prefix)).toThrow(/name-prefix/);
  });
});
