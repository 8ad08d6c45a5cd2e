import { describe, expect, it } from '@jest/globals';
import { createEnvironmentName, createPreviewHost, createServiceName } from './naming.js';

describe('preview naming', () => {
  it('names the environment, its services and its host', () => {
    expect(createEnvironmentName(123)).toBe('pr-123');
    expect(createServiceName(123, 'celery-default')).toBe('pr-123-celery-default');
    expect(createPreviewHost(123, 'API.Internal.example.com.')).toBe('pr-123.api.internal.example.com');
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses PR number %p', (pr) => {
    expect(() => createEnvironmentName(pr)).toThrow(/positive whole number/);
  });
});
