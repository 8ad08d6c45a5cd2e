import { readFileSync } from 'node:fs';
import { createSandboxAwsClients, destroySandboxAwsClients } from './aws-clients.js';
import type { SeededAws } from './endpoints.js';
import { sandboxAwsRegion, sandboxZoneName } from './sandbox-constants.js';
import { seedAws } from './seed-aws.js';

/** Seeds the sandbox's moto at `motoUrl` with the ALB serving the certificate in the given PEM files. */
export async function seedSandboxAws(
  motoUrl: string,
  certificate: { certPath: string; keyPath: string },
): Promise<SeededAws> {
  const clients = createSandboxAwsClients(motoUrl);
  try {
    return await seedAws(clients, {
      region: sandboxAwsRegion,
      certificatePem: readFileSync(certificate.certPath, 'utf8'),
      privateKeyPem: readFileSync(certificate.keyPath, 'utf8'),
      domain: sandboxZoneName,
    });
  } finally {
    destroySandboxAwsClients(clients);
  }
}
