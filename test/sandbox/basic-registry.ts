import { OciClient } from '@preview-actions/core/registry';
import type { SandboxEndpoints } from './endpoints.js';

/**
 * A client of the sandbox's basic-auth registry (direct, no proxy), paired with the host task definitions and
 * actions name it by: the `registry` argument pushBehaviourImage takes.
 */
export function openBasicRegistry(sandbox: SandboxEndpoints): { client: OciClient; host: string } {
  const { basic } = sandbox.registries;
  return {
    client: new OciClient({
      host: basic.directHost,
      credentials: { username: basic.username, password: basic.password },
      maskSecret: () => undefined,
    }),
    host: basic.host,
  };
}
