import { describe, expect, it } from '@jest/globals';
import { isConfigurationError } from '../action/errors.js';
import type { PreviewServiceConfig } from './environment-config.js';
import { renderTaskDefinition } from './render-task-definition.js';
import { parseTaskDefinitionTemplate } from './task-definition-template.js';

const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/monolithic-api';
const DIGEST = `sha256:${'c'.repeat(64)}`;
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf';

function service(over: Partial<PreviewServiceConfig> = {}): PreviewServiceConfig {
  return {
    name: 'api',
    image: '{repository}:pr-{pr}',
    command: ['./run_api.sh'],
    port: 8000,
    paths: ['/api/*'],
    healthCheckPath: '/api/health',
    cpu: 256,
    memory: 512,
    desiredCount: 1,
    environment: { DJANGO_SETTINGS_MODULE: 'config.settings.development' },
    secrets: { DATABASE_URL: SECRET },
    placementConstraints: [],
    placementStrategy: [],
    launchType: 'EC2',
    networkMode: 'bridge',
    ...over,
  };
}

/** The RFC's base template, comments removed. */
const RFC_TEMPLATE = JSON.stringify({
  family: 'pr-${PR_NUMBER}-${SERVICE}',
  networkMode: 'bridge',
  requiresCompatibilities: ['EC2'],
  placementConstraints: [{ type: 'memberOf', expression: 'attribute:environment == pr-environments' }],
  containerDefinitions: [
    {
      name: '${SERVICE}',
      image: '${ECR_REPO}:pr-${PR_NUMBER}',
      essential: true,
      portMappings: [{ hostPort: 0, containerPort: 8000, protocol: 'tcp' }],
      environment: [
        { name: 'PR_NUMBER', value: 'wrong' },
        { name: 'FROM_TEMPLATE', value: 'env-${ENVIRONMENT}' },
      ],
      ulimits: [{ name: 'nofile', softLimit: 4096, hardLimit: 8192 }],
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-region': '${AWS_REGION}' } },
    },
    { name: 'proxy', image: 'public.ecr.aws/nginx/nginx:1.27', essential: false },
  ],
  revision: 3,
  status: 'ACTIVE',
});

describe('renderTaskDefinition', () => {
  it('renders family, image, reserved variables, logs, secrets and a dynamic host port', () => {
    const input = renderTaskDefinition({
      pr: 42,
      service: service(),
      environment: { imageRepository: REPO },
      region: 'us-east-1',
    });
    expect(input.family).toBe('pr-42-api');
    expect(input.networkMode).toBe('bridge');
    expect(input.requiresCompatibilities).toEqual(['EC2']);
    expect(input.cpu).toBe('256');
    expect(input.memory).toBe('512');
    const [container] = input.containerDefinitions ?? [];
    expect(container).toMatchObject({
      name: 'api',
      image: `${REPO}:pr-42`,
      essential: true,
      command: ['./run_api.sh'],
      portMappings: [{ containerPort: 8000, hostPort: 0, protocol: 'tcp' }],
      secrets: [{ name: 'DATABASE_URL', valueFrom: SECRET }],
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': '/ecs/pr-environments',
          'awslogs-region': 'us-east-1',
          'awslogs-stream-prefix': 'pr-42',
        },
      },
    });
    expect(container?.environment).toEqual([
      { name: 'DJANGO_SETTINGS_MODULE', value: 'config.settings.development' },
      { name: 'PR_NUMBER', value: '42' },
      { name: 'REDIS_PREFIX', value: 'pr-42' },
      { name: 'SERVICE_TYPE', value: 'api' },
    ]);
    expect(container?.healthCheck).toBeUndefined();
    expect('tags' in input).toBe(false);
  });

  it('pins the image by digest when one is given', () => {
    const input = renderTaskDefinition({
      pr: 42,
      service: service(),
      environment: { imageRepository: REPO },
      region: 'us-east-1',
      digest: DIGEST,
    });
    expect(input.containerDefinitions?.[0]?.image).toBe(`${REPO}@${DIGEST}`);
  });

  it('maps the host port to the container port under awsvpc and renders the container health check', () => {
    const input = renderTaskDefinition({
      pr: 5,
      service: service({
        networkMode: 'awsvpc',
        launchType: 'FARGATE',
        healthCheckCommand: 'curl -f http://localhost:8000/api/health || exit 1',
      }),
      environment: { imageRepository: REPO, executionRoleArn: 'arn:aws:iam::123456789012:role/exec' },
      region: 'eu-west-1',
    });
    expect(input.requiresCompatibilities).toEqual(['FARGATE']);
    expect(input.executionRoleArn).toBe('arn:aws:iam::123456789012:role/exec');
    expect(input.containerDefinitions?.[0]?.portMappings).toEqual([
      { containerPort: 8000, hostPort: 8000, protocol: 'tcp' },
    ]);
    expect(input.containerDefinitions?.[0]?.healthCheck).toEqual({
      command: ['CMD-SHELL', 'curl -f http://localhost:8000/api/health || exit 1'],
      interval: 30,
      timeout: 5,
      retries: 3,
      startPeriod: 60,
    });
  });

  it('uses a template as the base: placeholders filled, extra fields and sidecars kept, reserved variables ours', () => {
    const template = parseTaskDefinitionTemplate(RFC_TEMPLATE, '.github/preview-task.json');
    expect(template.revision).toBeUndefined();
    const input = renderTaskDefinition({
      pr: 9,
      service: service(),
      environment: { imageRepository: REPO },
      region: 'us-east-2',
      template,
    });
    expect(input.placementConstraints).toEqual([
      { type: 'memberOf', expression: 'attribute:environment == pr-environments' },
    ]);
    expect(input.containerDefinitions).toHaveLength(2);
    const [main, proxy] = input.containerDefinitions ?? [];
    expect(main?.name).toBe('api');
    expect(main?.ulimits).toEqual([{ name: 'nofile', softLimit: 4096, hardLimit: 8192 }]);
    expect(main?.environment).toEqual(
      expect.arrayContaining([
        { name: 'FROM_TEMPLATE', value: 'env-pr-9' },
        { name: 'PR_NUMBER', value: '9' },
      ]),
    );
    expect(main?.environment?.filter((e) => e.name === 'PR_NUMBER')).toHaveLength(1);
    expect(main?.logConfiguration?.options?.['awslogs-region']).toBe('us-east-2');
    expect(proxy).toEqual({ name: 'proxy', image: 'public.ecr.aws/nginx/nginx:1.27', essential: false });
  });

  it('substitutes inside parsed strings only, so a value with quotes cannot change the JSON', () => {
    const template = parseTaskDefinitionTemplate(
      JSON.stringify({
        containerDefinitions: [
          { name: '${SERVICE}' },
          { name: 'x', dockerLabels: { svc: '${SERVICE}', img: '${IMAGE}' } },
        ],
      }),
      't.json',
    );
    const image = 'ghcr.io/o/a:"},{"privileged":true';
    const input = renderTaskDefinition({
      pr: 1,
      service: service({ image }),
      environment: {},
      region: 'us-east-1',
      template,
    });
    const sidecar = input.containerDefinitions?.find((c) => c.name === 'x');
    expect(sidecar).toEqual({ name: 'x', dockerLabels: { svc: 'api', img: image } });
    expect(input.containerDefinitions?.some((c) => 'privileged' in c)).toBe(false);
  });

  it('refuses templates with unknown placeholders or comments before any AWS call', () => {
    const unknown = () => parseTaskDefinitionTemplate('{"family":"${FAMILY}"}', 't.json');
    expect(unknown).toThrow(/unknown placeholders \$\{FAMILY\} at family/);
    const commented = () => parseTaskDefinitionTemplate('{ "hostPort": 0 // dynamic\n}', 't.json');
    expect(commented).toThrow(/not valid JSON.*no comments/);
    try {
      commented();
    } catch (error) {
      expect(isConfigurationError(error)).toBe(true);
    }
  });

  it('accepts DescribeTaskDefinition output as a template', () => {
    const template = parseTaskDefinitionTemplate(
      JSON.stringify({ taskDefinition: { family: 'x', taskDefinitionArn: 'arn', compatibilities: ['EC2'] } }),
      't.json',
    );
    expect(template).toEqual({ family: 'x' });
  });
});
