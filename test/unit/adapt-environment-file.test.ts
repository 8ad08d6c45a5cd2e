import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parseEnvironmentFile } from '@preview-actions/core/preview';
import { adaptEnvironmentFileToSandbox } from '../../scripts/adapt-environment-file.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';

const root = join(import.meta.dirname, '..', '..');
const LISTENER =
  'arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/preview-actions/1111111111111111/2222222222222222';
/** The parts of the sandbox's endpoints the adapter reads. */
const sandbox = {
  cloudflare: { zoneName: 'example.com' },
  registries: { basic: { host: '127.0.0.1:5001' } },
  seeded: {
    vpcId: 'vpc-0aaaaaaaaaaaaaaaa',
    privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'],
    serviceSecurityGroupId: 'sg-0aaaaaaaaaaaaaaaa',
    clusters: { previews: 'pr-environments' },
    loadBalancer: { httpsListenerArn: LISTENER },
  },
} as unknown as SandboxEndpoints;

describe('try-preview --file: a user’s environment file on the sandbox', () => {
  it("keeps the user's services and networking, and puts the sandbox's ids where theirs were", () => {
    const text = readFileSync(join(root, 'docs', 'examples', 'preview-fargate.yml'), 'utf8');
    const adapted = adaptEnvironmentFileToSandbox(`${text}\ntask-definition-template: .github/task.json\n`, sandbox);
    const config = parseEnvironmentFile(adapted.text, 'adapted');
    const original = parseEnvironmentFile(text, 'original');
    expect(config).toMatchObject({
      domain: 'example.com',
      cluster: 'pr-environments',
      listenerArn: LISTENER,
      vpcId: 'vpc-0aaaaaaaaaaaaaaaa',
      imageRepository: '127.0.0.1:5001/previews/app',
      subnets: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'],
      securityGroups: ['sg-0aaaaaaaaaaaaaaaa'],
    });
    expect(config.taskDefinitionTemplate).toBeUndefined();
    expect(config.services).toEqual(original.services);
    expect(adapted.replaced).toEqual(
      expect.arrayContaining(['domain', 'cluster', 'listener-arn', 'vpc-id', 'subnets', 'security-groups']),
    );
  });

  it('uses the sandbox registry for services that name their own image', () => {
    const text = readFileSync(join(root, 'docs', 'examples', 'preview-single-web.yml'), 'utf8').replace(
      '  - name: web\n',
      '  - name: web\n    image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:latest\n',
    );
    const adapted = adaptEnvironmentFileToSandbox(text, sandbox);
    expect(parseEnvironmentFile(adapted.text, 'adapted').services[0]?.image).toBe('{repository}:pr-{pr}');
    expect(adapted.replaced).toContain("image of 1 service(s) (the sandbox registry's image is used)");
  });
});
