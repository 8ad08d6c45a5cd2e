import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ENVIRONMENT_FILE_SCHEMA, parseEnvironmentFile } from '@preview-actions/core/preview';
import { ENVIRONMENT_FILE_EXAMPLES } from '../../scripts/environment-file-examples.js';
import { renderEnvironmentFileReference } from '../../scripts/render-environment-file-reference.js';

const root = join(import.meta.dirname, '..', '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');
const examples = ENVIRONMENT_FILE_EXAMPLES.map((e) => ({ ...e, text: read(e.path) }));

describe('docs/preview-file.md examples', () => {
  it.each(examples.map((e) => [e.path, e.text]))('%s is accepted by the parser deploy-pr-env uses', (path, text) => {
    expect(() => parseEnvironmentFile(text, path)).not.toThrow();
  });

  it('the EC2 example is a bridge-networked monolith: api, admin and three celery workers from one image', () => {
    const config = parseEnvironmentFile(read('docs/examples/preview-ec2-bridge.yml'), 'ec2');
    expect(config.services.map((s) => [s.name, s.launchType, s.networkMode, s.image])).toEqual(
      ['api', 'admin', 'celery-default', 'celery-async', 'celery-low'].map((n) => [
        n,
        'EC2',
        'bridge',
        '{repository}:pr-{pr}',
      ]),
    );
  });

  it('the Fargate example runs every service on FARGATE with awsvpc, subnets, security groups and both roles', () => {
    const config = parseEnvironmentFile(read('docs/examples/preview-fargate.yml'), 'fargate');
    expect(new Set(config.services.map((s) => `${s.launchType}/${s.networkMode}`))).toEqual(
      new Set(['FARGATE/awsvpc']),
    );
    expect(config.subnets).toHaveLength(2);
    expect(config.securityGroups).toHaveLength(1);
    expect(config.executionRoleArn).toMatch(/^arn:aws:iam::/);
    expect(config.taskRoleArn).toMatch(/^arn:aws:iam::/);
  });
});

describe('the schema documents itself', () => {
  it('every default the schema states is the one the parser fills in', () => {
    const minimal = read('docs/examples/preview-single-web.yml');
    const config = parseEnvironmentFile(
      `${minimal.replace(/services:[\s\S]*/, '')}services: [{ name: web, port: 80, paths: ['/*'] }, { name: worker }]`,
      'minimal',
    );
    const top = ENVIRONMENT_FILE_SCHEMA.properties;
    const service = ENVIRONMENT_FILE_SCHEMA.$defs.service.properties;
    const [web, worker] = config.services;
    expect(`${config.priorityRange.min}-${config.priorityRange.max}`).toBe(top['priority-range'].default);
    expect(config.ttlHours).toBeUndefined();
    expect(top['ttl-hours']).not.toHaveProperty('default');
    expect(config.subnets).toEqual(top.subnets.default);
    expect(config.securityGroups).toEqual(top['security-groups'].default);
    expect(web?.launchType).toBe(top['launch-type'].default);
    expect(web?.image).toBe(service.image.default);
    expect(worker?.paths).toEqual(service.paths.default);
    expect(web?.healthCheckPath).toBe(service['health-check-path'].default);
    expect(web?.cpu).toBe(service.cpu.default);
    expect(web?.memory).toBe(service.memory.default);
    expect(web?.desiredCount).toBe(service['desired-count'].default);
    expect(web?.environment).toEqual(service.environment.default);
    expect(web?.secrets).toEqual(service.secrets.default);
    expect(web?.placementConstraints).toEqual(service.placement.properties.constraints.default);
    expect(web?.placementStrategy).toEqual(service.placement.properties.strategy.default);
  });

  it('the committed docs/preview-file.md is the one the schema and examples render', () => {
    // Prettier re-pads the tables; compare the cells, not the padding.
    const cells = (text: string): string[] =>
      text
        .split('\n')
        .filter((line) => line.startsWith('| `'))
        .map((line) => line.replace(/\s+/g, ' '));
    const rendered = renderEnvironmentFileReference(examples);
    expect(cells(read('docs/preview-file.md'))).toEqual(cells(rendered));
    for (const example of examples) expect(read('docs/preview-file.md')).toContain(example.text.trimEnd());
  });
});
