import { ConfigurationError } from '../action/errors.js';
import { quoteValue } from '../action/quote.js';
import { readServiceName } from '../ecs/service-name.js';

/**
 * Which ECS services run which image, as `[service in 'services', ECS service name]` pairs in the
 * order given. One image may run as several ECS services (a monolith: `web=api-prod`,
 * `web=admin-prod`, `web=celery-default-prod` on separate lines); an ECS service runs one image.
 */
export type EcsServiceMapping = readonly (readonly [string, string])[];

/**
 * Checks `ecs-services` pairs against `services` before anything changes: every image named is
 * promoted, every ECS service name is given, and no ECS service is listed twice (under one image
 * or two: it can only run one, and it would be redeployed twice).
 * @throws ConfigurationError, one line that says what to change.
 */
export function checkEcsServiceMapping(
  pairs: readonly (readonly [string, string])[],
  services: readonly string[],
): EcsServiceMapping {
  const imageOf = new Map<string, string>();
  for (const [service, ecsService] of pairs) {
    if (!services.includes(service)) {
      throw new ConfigurationError(
        `Input 'ecs-services' maps ${quoteValue(service)}, which is not in 'services': add it there or fix the name`,
      );
    }
    if (ecsService === '') {
      throw new ConfigurationError(
        `Input 'ecs-services' maps ${quoteValue(service)} to nothing: write ${service}=<ECS service name>`,
      );
    }
    // An ARN and a bare name of the same service are one service.
    const name = readServiceName(ecsService);
    const before = imageOf.get(name);
    if (before !== undefined) {
      throw new ConfigurationError(
        before === service
          ? `Input 'ecs-services' lists ECS service ${quoteValue(name)} twice under ${quoteValue(service)}: keep one line`
          : `Input 'ecs-services' lists ECS service ${quoteValue(name)} under both ${quoteValue(before)} and ${quoteValue(service)}: an ECS service runs one image, keep one`,
      );
    }
    imageOf.set(name, service);
  }
  return pairs;
}
