import { describe, expect, it } from '@jest/globals';
import { ClientException, ServiceNotActiveException, ServiceNotFoundException } from '@aws-sdk/client-ecs';
import { isEcsNotFound } from './not-found.js';

describe('isEcsNotFound', () => {
  it('knows the ECS ways of saying a service or task definition is gone', () => {
    expect(isEcsNotFound(new ServiceNotFoundException({ message: 'Service not found.', $metadata: {} }))).toBe(true);
    expect(isEcsNotFound(new ServiceNotActiveException({ message: 'Service was not ACTIVE.', $metadata: {} }))).toBe(
      true,
    );
    expect(isEcsNotFound(new ClientException({ message: 'Unable to describe task definition.', $metadata: {} }))).toBe(
      true,
    );
    expect(
      isEcsNotFound(new ClientException({ message: 'The specified task definition does not exist.', $metadata: {} })),
    ).toBe(true);
  });

  it('does not swallow other errors', () => {
    expect(isEcsNotFound(new ClientException({ message: 'Too many concurrent attempts', $metadata: {} }))).toBe(false);
    expect(isEcsNotFound(new Error('Service not found.'))).toBe(false);
    expect(isEcsNotFound('not found')).toBe(false);
  });
});
