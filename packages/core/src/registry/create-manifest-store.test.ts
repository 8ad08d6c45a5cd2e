import { describe, expect, it } from '@jest/globals';
import { ECRClient } from '@aws-sdk/client-ecr';
import { createManifestStore } from './create-manifest-store.js';
import { EcrStore } from './ecr-store.js';
import { parseRetryAfter } from './fetch-with-retry.js';
import { defaultScheme, OciClient } from './oci-client.js';

describe('createManifestStore', () => {
  it('builds an ECR store for an ECR host with a client for its region', async () => {
    const regions: string[] = [];
    const store = await createManifestStore({
      host: '123456789012.dkr.ecr.eu-central-1.amazonaws.com',
      maskSecret: () => undefined,
      createEcrClient: (region) => {
        regions.push(region);
        return new ECRClient({ region });
      },
    });
    expect(store).toBeInstanceOf(EcrStore);
    expect(regions).toEqual(['eu-central-1']);
  });

  it('builds an OCI client for other hosts, masking explicit credentials', async () => {
    const masked: string[] = [];
    const store = await createManifestStore({
      host: 'ghcr.io',
      username: 'u',
      password: 'tok',
      env: { HOME: '/nonexistent' },
      maskSecret: (v) => masked.push(v),
    });
    expect(store).toBeInstanceOf(OciClient);
    expect(store.type).toBe('oci');
    expect(masked).toContain('tok');
  });
});

describe('defaultScheme', () => {
  it('uses http only for loopback hosts, like docker', () => {
    expect(defaultScheme('localhost:5000')).toBe('http');
    expect(defaultScheme('127.0.0.1:5000')).toBe('http');
    expect(defaultScheme('[::1]:5000')).toBe('http');
    expect(defaultScheme('ghcr.io')).toBe('https');
    expect(defaultScheme('127.0.0.1.nip.io')).toBe('https');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores garbage', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
