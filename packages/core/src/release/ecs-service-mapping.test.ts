import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../action/errors.js';
import { checkEcsServiceMapping } from './ecs-service-mapping.js';

const monolith: [string, string][] = [
  ['web', 'api-prod'],
  ['web', 'admin-prod'],
  ['web', 'celery-default-prod'],
  ['worker', 'worker-prod'],
];

describe('checkEcsServiceMapping', () => {
  it('accepts one image run as several ECS services, in the order given', () => {
    expect(checkEcsServiceMapping(monolith, ['web', 'worker'])).toEqual(monolith);
  });

  it('accepts an image of services that no ECS service runs (promoted, not redeployed)', () => {
    expect(checkEcsServiceMapping([['web', 'api-prod']], ['web', 'migrations'])).toEqual([['web', 'api-prod']]);
  });

  it('refuses an image that is not in services', () => {
    expect(() => checkEcsServiceMapping([['wbe', 'api-prod']], ['web'])).toThrow(
      new ConfigurationError(
        "Input 'ecs-services' maps 'wbe', which is not in 'services': add it there or fix the name",
      ),
    );
  });

  it('refuses an ECS service listed under two images: it runs one', () => {
    expect(() =>
      checkEcsServiceMapping(
        [
          ['web', 'api-prod'],
          ['worker', 'api-prod'],
        ],
        ['web', 'worker'],
      ),
    ).toThrow(
      new ConfigurationError(
        "Input 'ecs-services' lists ECS service 'api-prod' under both 'web' and 'worker': an ECS service runs one image, keep one",
      ),
    );
  });

  it('refuses an ECS service listed twice under one image, also when once as an ARN', () => {
    expect(() =>
      checkEcsServiceMapping(
        [
          ['web', 'api-prod'],
          ['web', 'arn:aws:ecs:us-east-1:123456789012:service/services-prod/api-prod'],
        ],
        ['web'],
      ),
    ).toThrow(
      new ConfigurationError("Input 'ecs-services' lists ECS service 'api-prod' twice under 'web': keep one line"),
    );
  });

  it('refuses an image mapped to no ECS service name', () => {
    expect(() => checkEcsServiceMapping([['web', '']], ['web'])).toThrow(
      new ConfigurationError("Input 'ecs-services' maps 'web' to nothing: write web=<ECS service name>"),
    );
  });

  it('quotes what it did not recognise, so a hostile value stays one line', () => {
    expect(() => checkEcsServiceMapping([['a\nb', 'x']], ['web'])).toThrow(/maps 'a\\u000ab', which/);
  });
});
