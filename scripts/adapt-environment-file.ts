// try-preview --file: runs a user's own environment file on the local sandbox. Their services, ports, paths, sizes,
// variables and networking are kept; what names their AWS account (domain, cluster, listener, VPC, subnets,
// security groups, image repository) is replaced by the sandbox's, since the sandbox has none of theirs.
import { parseDocument } from 'yaml';
import type { SandboxEndpoints } from '../test/sandbox/endpoints.js';

/** The adapted file and what was replaced, to tell the user. */
export interface AdaptedEnvironmentFile {
  text: string;
  replaced: string[];
}

/** Rewrites `text` (an environment file) to run on `sandbox`; see the file header. */
export function adaptEnvironmentFileToSandbox(text: string, sandbox: SandboxEndpoints): AdaptedEnvironmentFile {
  const document = parseDocument(text);
  const seeded = sandbox.seeded;
  const replaced: string[] = [];
  const set = (key: string, value: unknown): void => {
    if (document.has(key)) replaced.push(key);
    document.set(key, value);
  };
  set('domain', sandbox.cloudflare.zoneName);
  set('cluster', seeded.clusters.previews);
  set('listener-arn', seeded.loadBalancer.httpsListenerArn);
  set('vpc-id', seeded.vpcId);
  set('image-repository', `${sandbox.registries.basic.host}/previews/app`);
  if (document.has('subnets')) set('subnets', [...seeded.privateSubnetIds]);
  if (document.has('security-groups')) set('security-groups', [seeded.serviceSecurityGroupId]);
  if (document.has('task-definition-template')) {
    document.delete('task-definition-template');
    replaced.push('task-definition-template (removed: the generated task definition is used)');
  }
  const services = document.get('services') as { items?: { has(k: string): boolean; delete(k: string): void }[] };
  let images = 0;
  for (const service of services?.items ?? []) {
    if (service.has?.('image')) {
      service.delete('image');
      images += 1;
    }
  }
  if (images) replaced.push(`image of ${images} service(s) (the sandbox registry's image is used)`);
  return { text: document.toString(), replaced };
}
