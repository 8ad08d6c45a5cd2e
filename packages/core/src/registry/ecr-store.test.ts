import { describe, expect, it } from '@jest/globals';
import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  ImageAlreadyExistsException,
  ImageNotFoundException,
  ImageTagAlreadyExistsException,
  PutImageCommand,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { ConfigurationError } from '../action/errors.js';
import { sha256Digest } from './digest.js';
import { loginToEcr } from './ecr-login.js';
import { EcrStore } from './ecr-store.js';
import { MANIFEST_MEDIA_TYPES, OCI_INDEX } from './media-types.js';

const HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const INDEX = JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] });
const INDEX_DIGEST = sha256Digest(INDEX);

function setup() {
  const client = new ECRClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const mock = mockClient(client);
  return { mock, store: new EcrStore({ client, host: HOST, registryId: '123456789012' }) };
}

describe('EcrStore', () => {
  it('reads a manifest with every media type accepted and keeps its exact bytes', async () => {
    const { mock, store } = setup();
    mock.on(BatchGetImageCommand).resolves({
      images: [
        {
          imageManifest: INDEX,
          imageManifestMediaType: OCI_INDEX,
          imageId: { imageDigest: INDEX_DIGEST, imageTag: 'rc' },
        },
      ],
    });
    const manifest = await store.getManifest('api', 'rc');
    expect(manifest?.bytes.toString('utf8')).toBe(INDEX);
    expect(manifest).toMatchObject({ digest: INDEX_DIGEST, mediaType: OCI_INDEX });
    expect(mock.commandCalls(BatchGetImageCommand)[0]?.args[0].input).toEqual({
      registryId: '123456789012',
      repositoryName: 'api',
      imageIds: [{ imageTag: 'rc' }],
      acceptedMediaTypes: [...MANIFEST_MEDIA_TYPES],
    });
  });

  it('returns null for a missing image (BatchGetImage failure, DescribeImages exception)', async () => {
    const { mock, store } = setup();
    mock
      .on(BatchGetImageCommand)
      .resolves({ images: [], failures: [{ failureCode: 'ImageNotFound', imageId: { imageTag: 'x' } }] });
    mock.on(DescribeImagesCommand).rejects(new ImageNotFoundException({ message: 'nope', $metadata: {} }));
    expect(await store.getManifest('api', 'x')).toBeNull();
    expect(await store.headManifest('api', 'x')).toBeNull();
  });

  it('checks existence by digest or tag through DescribeImages', async () => {
    const { mock, store } = setup();
    mock
      .on(DescribeImagesCommand)
      .resolves({ imageDetails: [{ imageDigest: INDEX_DIGEST, imageManifestMediaType: OCI_INDEX }] });
    expect(await store.headManifest('api', INDEX_DIGEST)).toEqual({ digest: INDEX_DIGEST, mediaType: OCI_INDEX });
    expect(mock.commandCalls(DescribeImagesCommand)[0]?.args[0].input.imageIds).toEqual([
      { imageDigest: INDEX_DIGEST },
    ]);
  });

  it('writes with PutImage carrying media type and digest, and treats ImageAlreadyExists as done', async () => {
    const { mock, store } = setup();
    const manifest = { bytes: Buffer.from(INDEX), digest: INDEX_DIGEST, mediaType: OCI_INDEX };
    mock
      .on(PutImageCommand)
      .resolvesOnce({ image: { imageId: { imageDigest: INDEX_DIGEST } } })
      .rejectsOnce(new ImageAlreadyExistsException({ message: 'same', $metadata: {} }));
    expect(await store.putManifest('api', 'v1.0.0', manifest)).toBe(INDEX_DIGEST);
    expect(await store.putManifest('api', 'v1.0.0', manifest)).toBe(INDEX_DIGEST);
    expect(mock.commandCalls(PutImageCommand)[0]?.args[0].input).toEqual({
      registryId: '123456789012',
      repositoryName: 'api',
      imageManifest: INDEX,
      imageManifestMediaType: OCI_INDEX,
      imageTag: 'v1.0.0',
      imageDigest: INDEX_DIGEST,
    });
  });

  it('explains immutable repositories and missing repositories as configuration errors', async () => {
    const { mock, store } = setup();
    const manifest = { bytes: Buffer.from(INDEX), digest: INDEX_DIGEST, mediaType: OCI_INDEX };
    mock.on(PutImageCommand).rejects(new ImageTagAlreadyExistsException({ message: 'immutable', $metadata: {} }));
    mock.on(DescribeImagesCommand).rejects(new RepositoryNotFoundException({ message: 'no repo', $metadata: {} }));
    await expect(store.putManifest('api', 'prod', manifest)).rejects.toThrow(/tags are immutable; use a new tag/);
    await expect(store.headManifest('api', 'prod')).rejects.toThrow(
      new ConfigurationError(`ECR repository ${HOST}/api does not exist: create it, or fix the image pattern`),
    );
  });

  it('names a network failure instead of the SDK wrapper class', async () => {
    const { mock, store } = setup();
    mock.on(DescribeImagesCommand).rejects(new Error('connect ECONNREFUSED 127.0.0.1:1'));
    await expect(store.headManifest('api', 'v1')).rejects.toThrow(
      `Could not check manifest ${HOST}/api:v1: request failed (connect ECONNREFUSED 127.0.0.1:1)`,
    );
  });

  it('refuses bytes that do not hash to the digest ECR reports', async () => {
    const { mock, store } = setup();
    mock
      .on(BatchGetImageCommand)
      .resolves({ images: [{ imageManifest: INDEX, imageId: { imageDigest: `sha256:${'0'.repeat(64)}` } }] });
    await expect(store.getManifest('api', 'rc')).rejects.toThrow(/DIGEST_MISMATCH/);
  });
});

describe('loginToEcr', () => {
  it('decodes the token into docker credentials and masks token and password first', async () => {
    const client = new ECRClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const token = Buffer.from('AWS:secret-pw').toString('base64');
    mockClient(client)
      .on(GetAuthorizationTokenCommand)
      .resolves({
        authorizationData: [
          { authorizationToken: token, proxyEndpoint: `https://${HOST}`, expiresAt: new Date('2026-01-01T12:00:00Z') },
        ],
      });
    const masked: string[] = [];
    const login = await loginToEcr(client, (v) => masked.push(v));
    expect(login).toEqual({
      host: HOST,
      username: 'AWS',
      password: 'secret-pw',
      expiresAt: new Date('2026-01-01T12:00:00Z'),
    });
    expect(masked).toEqual([token, 'secret-pw']);
  });
});
