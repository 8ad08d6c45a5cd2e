import { readFileSync } from 'node:fs';
import { sandboxFiles } from './paths.js';

/** What the sandbox seeds into moto: the state a user's Terraform would have left. */
export interface SeededAws {
  accountId: string;
  region: string;
  vpcId: string;
  availabilityZones: [string, string];
  publicSubnetIds: [string, string];
  privateSubnetIds: [string, string];
  /** The ALB's security group (443 and 80 from anywhere). */
  albSecurityGroupId: string;
  /** For preview tasks: accepts traffic from the ALB's security group only. */
  serviceSecurityGroupId: string;
  clusters: { previews: string; production: string };
  clusterArns: { previews: string; production: string };
  /** One EC2 container instance per cluster, so services with launch type EC2 get tasks. */
  containerInstanceArns: { previews: string; production: string };
  loadBalancer: {
    arn: string;
    name: string;
    dnsName: string;
    httpsListenerArn: string;
    certificateArn: string;
    /** The certificate covers `*.{domain}` and `{domain}`. */
    domain: string;
  };
  /** Repository name to URI (`{account}.dkr.ecr.{region}.amazonaws.com/{name}`). */
  ecrRepositories: Record<'api' | 'admin' | 'worker', string>;
  logGroup: string;
}

export interface RegistryEndpoint {
  /** host:port through the fault proxy. */
  host: string;
  /** host:port of the registry itself. */
  directHost: string;
  username: string;
  password: string;
}

/** Everything a test needs to reach the running sandbox; written by `pnpm sandbox up` to .sandbox/endpoints.json. */
export interface SandboxEndpoints {
  startedAt: string;
  aws: {
    /** Through the fault proxy. */
    url: string;
    /** moto itself, for seeding and assertions. */
    directUrl: string;
    region: string;
    accessKeyId: string;
    secretAccessKey: string;
  };
  github: { apiUrl: string; graphqlUrl: string; directApiUrl: string; adminUrl: string; token: string };
  cloudflare: {
    baseUrl: string;
    directBaseUrl: string;
    adminUrl: string;
    apiToken: string;
    zoneId: string;
    zoneName: string;
  };
  registries: {
    basic: RegistryEndpoint;
    token: RegistryEndpoint & { realm: string; service: string; issuer: string };
  };
  redis: { url: string };
  faultProxy: { adminUrl: string; urls: Record<string, string> };
  seeded: SeededAws;
  /** The variables `.sandbox/env` exports, by name. */
  env: Record<string, string>;
}

/** Reads .sandbox/endpoints.json; throws telling how to start the sandbox when there is none. */
export function readSandboxEndpoints(path: string = sandboxFiles.endpoints): SandboxEndpoints {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`no sandbox is running (${path} is missing); start it with: pnpm sandbox up`);
  }
  return JSON.parse(text) as SandboxEndpoints;
}
