import { OciClient } from '@preview-actions/core/registry';
import type { SandboxEndpoints } from './endpoints.js';

/**
 * A client of the sandbox's basic-auth registry (direct, past the fault proxy) and the host that image references
 * name (the one ECS resolves, through the proxy), as pushBehaviourImage takes them.
 */
export function connectBasicRegistry(sandbox: SandboxEndpoints): { client: OciClient; host: string } {
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
