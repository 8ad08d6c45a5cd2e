import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../action/errors.js';
import { renderImagePattern } from './image-pattern.js';
import { formatImageReference, parseImageReference } from './image-reference.js';
import { detectRegistryType, parseEcrHost } from './registry-type.js';
import { validateTag } from './validate-tag.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseImageReference', () => {
  it('splits host with port, nested path, tag and digest', () => {
    expect(parseImageReference(`127.0.0.1:5000/team/api:v1.2.3@${DIGEST}`)).toEqual({
      host: '127.0.0.1:5000',
      repository: 'team/api',
      tag: 'v1.2.3',
      digest: DIGEST,
    });
    expect(parseImageReference('ghcr.io/owner/web')).toEqual({ host: 'ghcr.io', repository: 'owner/web' });
    expect(parseImageReference('localhost/api:latest')).toEqual({
      host: 'localhost',
      repository: 'api',
      tag: 'latest',
    });
    expect(parseImageReference('[::1]:5000/api:x')).toEqual({ host: '[::1]:5000', repository: 'api', tag: 'x' });
  });

  it('round-trips through formatImageReference', () => {
    const text = `ghcr.io/o/a:v1@${DIGEST}`;
    expect(formatImageReference(parseImageReference(text))).toBe(text);
  });

  it('refuses a reference without a host and says how to write one', () => {
    expect(() => parseImageReference('owner/api:v1')).toThrow(/has no registry host: write it in full, e.g. ghcr.io/);
  });

  it('refuses upper-case repositories, bad tags and short digests with ConfigurationError', () => {
    expect(() => parseImageReference('ghcr.io/Owner/api')).toThrow(ConfigurationError);
    expect(() => parseImageReference('ghcr.io/owner/api:-bad')).toThrow(/use 1 to 128 letters/);
    expect(() => parseImageReference('ghcr.io/owner/api@sha256:abc')).toThrow(/64 lower-case hex/);
    expect(() => parseImageReference('ghcr.io/owner//api')).toThrow(/repository/);
  });
});

describe('renderImagePattern', () => {
  it('fills variables and parses the result', () => {
    expect(renderImagePattern('{registry}/acme/{service}', { registry: 'ghcr.io', service: 'api' })).toEqual({
      host: 'ghcr.io',
      repository: 'acme/api',
    });
  });

  it('names an unknown variable and lists the known ones', () => {
    expect(() =>
      renderImagePattern('{registry}/{svc}', { registry: 'ghcr.io', service: 'api' }, "Input 'image'"),
    ).toThrow("Input 'image' uses unknown variable '{svc}': use one of {registry}, {service}");
  });

  it('refuses an unmatched brace', () => {
    expect(() => renderImagePattern('{registry}/{service', { registry: 'ghcr.io', service: 'a' })).toThrow(
      /unmatched brace/,
    );
  });
});

describe('validateTag', () => {
  it('accepts the OCI grammar up to 128 characters and refuses the rest', () => {
    expect(validateTag('v1.2.3-rc.1')).toBe('v1.2.3-rc.1');
    expect(validateTag('_x'.padEnd(128, 'y'))).toHaveLength(128);
    for (const bad of ['', '.x', '-x', 'a/b', 'a:b', 'x'.repeat(129)]) {
      expect(() => validateTag(bad, "Input 'env-tag'")).toThrow(/^Input 'env-tag' is .*not starting with '\.' or '-'$/);
    }
  });
});

describe('detectRegistryType', () => {
  it('picks ECR for ECR hosts (commercial, China, FIPS) and OCI for the rest', () => {
    expect(detectRegistryType('123456789012.dkr.ecr.eu-west-1.amazonaws.com')).toBe('ecr');
    expect(detectRegistryType('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn')).toBe('ecr');
    expect(parseEcrHost('123456789012.dkr.ecr-fips.us-east-1.amazonaws.com')).toEqual({
      registryId: '123456789012',
      region: 'us-east-1',
    });
    expect(detectRegistryType('ghcr.io')).toBe('oci');
    expect(detectRegistryType('12345.dkr.ecr.us-east-1.amazonaws.com')).toBe('oci');
    expect(detectRegistryType('123456789012.dkr.ecr.us-east-1.amazonaws.com', 'oci')).toBe('oci');
  });

  it('refuses ecr for a non-ECR host and unknown settings', () => {
    expect(() => detectRegistryType('ghcr.io', 'ecr')).toThrow(/is not an ECR host/);
    expect(() => detectRegistryType('ghcr.io', 'gcr')).toThrow(
      "Registry type 'gcr' is unknown: use 'auto', 'ecr' or 'oci'",
    );
  });
});
