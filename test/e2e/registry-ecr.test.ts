import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateRepositoryCommand, DeleteRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import {
  applyPromotion,
  createManifestStore,
  loginToEcr,
  OCI_INDEX,
  OCI_MANIFEST,
  planPromotion,
  sha256Digest,
  type ManifestStore,
} from '@preview-actions/core/registry';
import { ensureSandbox } from '../sandbox/ensure.js';

const run = Date.now().toString(36);
/** A cold sandbox start (first run on a machine) takes far longer than jest's hook default. */
const SANDBOX_START_MS = 15 * 60_000;
const repository = `registry-e2e-${run}`;
let ecr: ECRClient;
let store: ManifestStore;
let host: string;

/** Setup passes imageDigest on every PutImage: moto derives digests from layer digests otherwise, where ECR hashes the bytes. */
function manifestBytes(body: object): string {
  return JSON.stringify(body, null, 3);
}

beforeAll(async () => {
  const { aws, seeded } = await ensureSandbox();
  ecr = new ECRClient({
    endpoint: aws.url,
    region: aws.region,
    credentials: { accessKeyId: aws.accessKeyId, secretAccessKey: aws.secretAccessKey },
  });
  host = `${seeded.accountId}.dkr.ecr.${aws.region}.amazonaws.com`;
  await ecr.send(new CreateRepositoryCommand({ repositoryName: repository }));
  store = await createManifestStore({ host, maskSecret: () => undefined, createEcrClient: () => ecr });
}, SANDBOX_START_MS);
afterAll(async () => {
  await ecr?.send(new DeleteRepositoryCommand({ repositoryName: repository, force: true })).catch(() => undefined);
  ecr?.destroy();
});

describe('ECR store on the sandbox (moto)', () => {
  it('promotes an index by its exact bytes and refuses to move a version tag', async () => {
    expect(store.type).toBe('ecr');
    const child = manifestBytes({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'c'.repeat(64)}`, size: 2 },
      layers: [],
    });
    await ecr.send(
      new PutImageCommand({
        repositoryName: repository,
        imageManifest: child,
        imageManifestMediaType: OCI_MANIFEST,
        imageDigest: sha256Digest(child),
      }),
    );
    const index = manifestBytes({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        {
          mediaType: OCI_MANIFEST,
          digest: sha256Digest(child),
          size: child.length,
          platform: { os: 'linux', architecture: 'amd64' },
        },
      ],
    });
    await ecr.send(
      new PutImageCommand({
        repositoryName: repository,
        imageManifest: index,
        imageManifestMediaType: OCI_INDEX,
        imageTag: 'v1.0.0-rc.1',
        imageDigest: sha256Digest(index),
      }),
    );
    const other = manifestBytes({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'d'.repeat(64)}`, size: 2 },
      layers: [],
    });
    await ecr.send(
      new PutImageCommand({
        repositoryName: repository,
        imageManifest: other,
        imageManifestMediaType: OCI_MANIFEST,
        imageTag: 'prod',
        imageDigest: sha256Digest(other),
      }),
    );

    const plan = await planPromotion(store, {
      repository,
      sourceReference: 'v1.0.0-rc.1',
      targets: [
        { tag: 'v1.0.0', immutable: true },
        { tag: 'prod', immutable: false },
      ],
    });
    expect(plan.source).toMatchObject({ digest: sha256Digest(index), mediaType: OCI_INDEX });
    expect(plan.targets.map((t) => t.action)).toEqual(['create', 'move']);
    const result = await applyPromotion(plan);
    expect(result.targets.map((t) => [t.tag, t.action, t.digest])).toEqual([
      ['v1.0.0', 'create', sha256Digest(index)],
      ['prod', 'move', sha256Digest(index)],
    ]);
    expect(result.verifiedChildren).toEqual([sha256Digest(child)]);
    expect((await store.getManifest(repository, 'prod'))?.bytes.toString()).toBe(index);

    const again = await planPromotion(store, {
      repository,
      sourceReference: 'prod',
      targets: [{ tag: 'v1.0.0', immutable: true }],
    });
    expect(again.targets[0]?.action).toBe('noop');
    await ecr.send(
      new PutImageCommand({
        repositoryName: repository,
        imageManifest: other,
        imageManifestMediaType: OCI_MANIFEST,
        imageTag: 'v2.0.0',
        imageDigest: sha256Digest(other),
      }),
    );
    const conflict = await planPromotion(store, {
      repository,
      sourceReference: 'v1.0.0',
      targets: [{ tag: 'v2.0.0', immutable: true }],
    });
    expect(conflict.targets[0]).toMatchObject({ action: 'conflict', previousDigest: sha256Digest(other) });
  });

  it('logs in with GetAuthorizationToken and masks the password', async () => {
    const masked: string[] = [];
    const login = await loginToEcr(ecr, (v) => masked.push(v));
    expect(login.username).toBe('AWS');
    expect(masked).toContain(login.password);
    expect(login.host).toMatch(/dkr\.ecr\.us-east-1\.amazonaws\.com$/);
  });
});
