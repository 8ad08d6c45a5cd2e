import { describe, expect, it } from '@jest/globals';
import { isConfigurationError } from '../action/errors.js';
import { EnvironmentFileError } from './environment-file-error.js';
import { parseEnvironmentFile } from './parse-environment-file.js';

const LISTENER =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/previews/0123456789abcdef/fedcba9876543210';
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:preview/db-AbCdEf';

const RFC_STACK = `
domain: api.internal.example.com
cluster: pr-environments
listener-arn: ${LISTENER}
vpc-id: vpc-0123456789abcdef0
priority-range: 2000-2999
ttl-hours: 48
image-repository: 123456789012.dkr.ecr.us-east-1.amazonaws.com/monolithic-api
execution-role-arn: arn:aws:iam::123456789012:role/preview-execution
services:
  - name: api
    command: ["./run_api.sh"]
    port: 8000
    paths: ["/api/*"]
    health-check-path: /api/health
    environment:
      DJANGO_SETTINGS_MODULE: config.settings.development
    secrets:
      DATABASE_URL: ${SECRET}
    placement:
      constraints: [{ type: memberOf, expression: "attribute:environment == pr-environments" }]
      strategy: [{ type: spread, field: instanceId }, { type: binpack, field: memory }]
  - name: admin
    command: ["./run_admin.sh"]
    port: 8000
    paths: ["/admin/*"]
    health-check-path: /admin/health
  - name: celery-default
    command: ["./run_celery.sh", "default"]
    environment: { CELERY_QUEUE_TYPE: default }
  - name: celery-async
    command: ["./run_celery.sh", "async"]
  - name: celery-low
    command: ["./run_celery.sh", "low"]
`;

function problemsOf(text: string): string[] {
  try {
    parseEnvironmentFile(text, '.github/preview.yml');
  } catch (error) {
    expect(error).toBeInstanceOf(EnvironmentFileError);
    expect(isConfigurationError(error)).toBe(true);
    return [...(error as EnvironmentFileError).problems];
  }
  throw new Error('expected the file to be refused');
}

function minimal(extra: string): string {
  return `domain: preview.example.com\ncluster: c\nlistener-arn: ${LISTENER}\nvpc-id: vpc-0123456789abcdef0\nimage-repository: ghcr.io/o/app\n${extra}`;
}

describe('parseEnvironmentFile', () => {
  it('reads the RFC stack and fills in defaults', () => {
    const config = parseEnvironmentFile(RFC_STACK, '.github/preview.yml');
    expect(config.priorityRange).toEqual({ min: 2000, max: 2999 });
    expect(config.ttlHours).toBe(48);
    expect(config.services.map((s) => s.name)).toEqual([
      'api',
      'admin',
      'celery-default',
      'celery-async',
      'celery-low',
    ]);
    const [api, , worker] = config.services;
    expect(api).toMatchObject({
      image: '{repository}:pr-{pr}',
      port: 8000,
      paths: ['/api/*'],
      healthCheckPath: '/api/health',
      cpu: 256,
      memory: 512,
      desiredCount: 1,
      launchType: 'EC2',
      networkMode: 'bridge',
      secrets: { DATABASE_URL: SECRET },
      placementStrategy: [
        { type: 'spread', field: 'instanceId' },
        { type: 'binpack', field: 'memory' },
      ],
    });
    expect(worker).toMatchObject({ paths: [], environment: { CELERY_QUEUE_TYPE: 'default' } });
    expect(worker?.healthCheckPath).toBeUndefined();
  });

  it('defaults the priority range to 1000-1999 and leaves the ttl unset (no expiry by time)', () => {
    const config = parseEnvironmentFile(minimal('services: [{ name: web, port: 80, paths: ["/*"] }]'), 'p.yml');
    expect(config.priorityRange).toEqual({ min: 1000, max: 1999 });
    expect(config.ttlHours).toBeUndefined();
    expect(config.services[0]?.healthCheckPath).toBe('/');
  });

  it('points at the field of a bad port and says the allowed range', () => {
    const problems = problemsOf(minimal('services:\n  - name: a\n  - name: b\n  - name: c\n    port: 70000\n'));
    expect(problems).toEqual(['services[2].port: must be an integer from 1 to 65535']);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf(minimal('ttl-hours: 0\nservices:\n  - name: Bad_Name\n    port: x\n    cpu: 1\n'));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ttl-hours: must be a whole number of hours/),
        expect.stringMatching(/^services\[0\]\.name: must be 1 to 32 lower-case/),
        'services[0].port: must be an integer from 1 to 65535',
        expect.stringMatching(/^services\[0\]\.cpu: must be CPU units/),
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('treats an unknown key as a typo and suggests the right one', () => {
    const problems = problemsOf(minimal('services:\n  - name: api\n    prot: 8000\n'));
    expect(problems).toEqual(['services[0].prot: unknown key; did you mean port?']);
    expect(problemsOf(minimal('servics: []\nservices: [{ name: a }]'))).toEqual([
      'servics: unknown key; did you mean services?',
    ]);
  });

  it('names missing required fields', () => {
    const problems = problemsOf('domain: preview.example.com\nservices: [{ name: a }]\n');
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^cluster: is required/),
        expect.stringMatching(/^listener-arn: is required/),
        expect.stringMatching(/^vpc-id: is required/),
      ]),
    );
  });

  it('accepts secrets only as Secrets Manager or SSM parameter ARNs', () => {
    const problems = problemsOf(
      minimal(
        'execution-role-arn: arn:aws:iam::123456789012:role/x\nservices:\n  - name: a\n    secrets: { TOKEN: hunter2 }\n',
      ),
    );
    expect(problems).toEqual([
      'services[0].secrets.TOKEN: must be a Secrets Manager secret ARN or an SSM parameter ARN, never the secret itself',
    ]);
    const ssm = 'arn:aws:ssm:us-east-1:123456789012:parameter/preview/token';
    const config = parseEnvironmentFile(
      minimal(
        `execution-role-arn: arn:aws:iam::123456789012:role/x\nservices: [{ name: a, secrets: { TOKEN: "${ssm}" } }]`,
      ),
      'p',
    );
    expect(config.services[0]?.secrets).toEqual({ TOKEN: ssm });
  });

  it('refuses the variables preview-actions sets itself', () => {
    expect(problemsOf(minimal('services: [{ name: a, environment: { PR_NUMBER: "7", REDIS_PREFIX: x } }]'))).toEqual([
      'services[0].environment.PR_NUMBER: is set by preview-actions for every service; remove it',
      'services[0].environment.REDIS_PREFIX: is set by preview-actions for every service; remove it',
    ]);
  });

  it('checks rules that span fields', () => {
    const problems = problemsOf(
      `domain: preview.example.com\ncluster: c\nlistener-arn: ${LISTENER}\nvpc-id: vpc-0123456789abcdef0\npriority-range: 3000-2000\nservices:\n` +
        '  - { name: api, paths: ["/api/*"] }\n' +
        '  - { name: api, port: 80, paths: ["/api/*"], launch-type: FARGATE, network-mode: bridge }\n' +
        '  - { name: worker, health-check-path: /health, image: "ghcr.io/o/w:{branch}" }\n',
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^priority-range: '3000-2000' must be low-high/),
        expect.stringMatching(/^image-repository: is required because services\[0\] \(api\) the default image/),
        'services[1].network-mode: FARGATE needs awsvpc; remove network-mode or set it to awsvpc',
        expect.stringMatching(/^execution-role-arn: is required because services\[1\]/),
        'services[0].port: is required because the service has paths; set the port the container listens on',
        expect.stringMatching(/^services\[2\]\.health-check-path: only routed services/),
        'services[2].image: unknown placeholder {branch}; use {repository}, {pr} or {service}',
        "services[1].name: 'api' is already used by services[0]; give each service its own name",
        "services[1].paths: '/api/*' is already routed to services[0]; route each path to one service",
      ]),
    );
  });

  it('needs subnets for awsvpc networking', () => {
    expect(problemsOf(minimal('services: [{ name: a, network-mode: awsvpc }]'))).toEqual([
      'subnets: is required because services[0] (a) uses awsvpc networking; list the subnets its tasks run in',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const problems = problemsOf('domain: [unclosed\n');
    expect(problems[0]).toMatch(/^YAML: .* at line \d+, column \d+/);
    expect(problemsOf('domain: a.b\ndomain: c.d\n')[0]).toMatch(/^YAML: .*(duplicate|unique)/i);
  });

  it('refuses a template path that climbs out of the repository', () => {
    expect(problemsOf(minimal('task-definition-template: ../secrets.json\nservices: [{ name: a }]'))[0]).toMatch(
      /^task-definition-template: must be a repository-relative path/,
    );
  });

  it('takes a top-level launch-type for every service that does not set its own', () => {
    const subnets = 'subnets: [subnet-0123456789abcdef0]\nexecution-role-arn: arn:aws:iam::123456789012:role/x\n';
    const config = parseEnvironmentFile(
      minimal(`launch-type: FARGATE\n${subnets}services: [{ name: a }, { name: b, launch-type: EC2 }]`),
      'p',
    );
    expect(config.services.map((s) => [s.launchType, s.networkMode])).toEqual([
      ['FARGATE', 'awsvpc'],
      ['EC2', 'bridge'],
    ]);
  });

  it('checks each service against the top-level launch-type', () => {
    expect(problemsOf(minimal('launch-type: FARGATE\nservices: [{ name: a }]'))).toEqual([
      'subnets: is required because services[0] (a) uses awsvpc networking; list the subnets its tasks run in',
      'execution-role-arn: is required because services[0] (a) runs on FARGATE (image pulls and logs need it)',
    ]);
    expect(problemsOf(minimal('launch-type: fargate\nservices: [{ name: a }]'))).toEqual([
      'launch-type: must be EC2, FARGATE or EXTERNAL',
    ]);
  });
});
