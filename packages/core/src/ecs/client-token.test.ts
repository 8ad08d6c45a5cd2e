import { describe, expect, it } from '@jest/globals';
import { createServiceClientToken } from './client-token.js';

describe('createServiceClientToken', () => {
  it('is stable, at most 36 characters, and reads only family:revision from an ARN', () => {
    const token = createServiceClientToken('c1', 'pr-7-api', 'arn:aws:ecs:us-east-1:1:task-definition/pr-7-api:3');
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(createServiceClientToken('c1', 'pr-7-api', 'pr-7-api:3')).toBe(token);
  });

  it('differs when the cluster, the service or the revision differs', () => {
    const base = createServiceClientToken('c1', 'pr-7-api', 'pr-7-api:3');
    expect(createServiceClientToken('c2', 'pr-7-api', 'pr-7-api:3')).not.toBe(base);
    expect(createServiceClientToken('c1', 'pr-7-web', 'pr-7-api:3')).not.toBe(base);
    expect(createServiceClientToken('c1', 'pr-7-api', 'pr-7-api:4')).not.toBe(base);
  });
});
