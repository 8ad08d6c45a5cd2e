import { systemClock, type Clock } from '../action/clock.js';
import { ConfigurationError } from '../action/errors.js';
import { sha256Digest } from './digest.js';
import {
  defaultRetryPolicy,
  describeNetworkError,
  fetchWithRetry,
  type RetryContext,
  type RetryPolicy,
} from './fetch-with-retry.js';
import type { Manifest, ManifestDescriptor, ManifestStore } from './manifest-store.js';
import { detectManifestMediaType, MANIFEST_ACCEPT } from './media-types.js';
import { RegistryAuthenticator, repositoryScope } from './registry-auth.js';
import type { RegistryCredentials } from './registry-credentials.js';
import { RegistryError } from './registry-error.js';

/** How to reach and authenticate to one OCI registry host. */
export interface OciClientOptions {
  /** `host[:port]`, e.g. `ghcr.io` or `127.0.0.1:5000`. */
  host: string;
  credentials?: RegistryCredentials | null;
  /** Receives every secret (passwords, tokens, header values) before first use. */
  maskSecret: (value: string) => void;
  clock?: Clock;
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  /** Defaults to http for localhost, 127.0.0.1 and [::1] (docker's insecure-localhost rule), https otherwise. */
  scheme?: 'http' | 'https';
  /** Called before each retried request. */
  onRetry?: (attempt: number, reason: string, delayMs: number) => void;
  /** Called for every HTTP request sent (token requests excluded), e.g. to count them. */
  onRequest?: (method: string, url: string) => void;
}

interface SendOptions {
  method: string;
  path: string;
  scopes: string[];
  image: string;
  operation: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** Statuses that are answers rather than failures (404 for lookups). */
  accept?: readonly number[];
}

/** The scheme docker uses for a host: plain http only on loopback names. */
export function defaultScheme(host: string): 'http' | 'https' {
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
  return name === 'localhost' || name === '127.0.0.1' || name === '[::1]' ? 'http' : 'https';
}

/** The first `{code, message}` of an OCI error body, if any. */
async function readErrorBody(response: Response): Promise<{ code?: string; message?: string }> {
  try {
    const text = await response.text();
    const parsed = JSON.parse(text) as { errors?: { code?: unknown; message?: unknown }[] };
    const first = parsed.errors?.[0];
    return {
      ...(typeof first?.code === 'string' && { code: first.code }),
      ...(typeof first?.message === 'string' && { message: first.message.slice(0, 200) }),
    };
  } catch {
    return {};
  }
}

/**
 * A client for the OCI distribution API of one registry host, over global fetch. Meets Basic and
 * Bearer challenges, retries throttling and 5xx, and maps failures to one-line errors. It is also
 * the OCI {@link ManifestStore}.
 */
export class OciClient implements ManifestStore {
  readonly type = 'oci' as const;
  readonly host: string;
  private readonly base: string;
  private readonly retry: RetryContext;
  private readonly auth: RegistryAuthenticator;
  private firstSend: Promise<void> | undefined;

  constructor(private readonly options: OciClientOptions) {
    this.host = options.host;
    this.base = `${options.scheme ?? defaultScheme(options.host)}://${options.host}`;
    const clock = options.clock ?? systemClock;
    const fetchFn = options.fetch ?? globalThis.fetch;
    this.retry = {
      fetch: fetchFn,
      clock,
      policy: { ...defaultRetryPolicy, ...options.retry },
      ...(options.onRetry && { onRetry: options.onRetry }),
    };
    this.auth = new RegistryAuthenticator({
      host: options.host,
      credentials: options.credentials ?? null,
      maskSecret: options.maskSecret,
      retry: this.retry,
    });
  }

  /** `host/repository:tag` or `host/repository@digest`, for messages. */
  describe(repository: string, reference?: string): string {
    if (!reference) return `${this.host}/${repository}`;
    return `${this.host}/${repository}${reference.includes(':') ? '@' : ':'}${reference}`;
  }

  /** {@inheritDoc ManifestStore.headManifest} */
  async headManifest(repository: string, reference: string): Promise<ManifestDescriptor | null> {
    const response = await this.send({
      method: 'HEAD',
      path: `/v2/${repository}/manifests/${reference}`,
      scopes: [repositoryScope(repository, ['pull'])],
      image: this.describe(repository, reference),
      operation: 'check manifest',
      headers: { accept: MANIFEST_ACCEPT },
      accept: [404],
    });
    if (response.status === 404) return null;
    const digest = response.headers.get('docker-content-digest');
    const mediaType = response.headers.get('content-type')?.split(';')[0]?.trim();
    if (!digest || !mediaType) {
      // Some registries omit these on HEAD; the manifest itself says both.
      return this.getManifest(repository, reference);
    }
    const size = Number(response.headers.get('content-length'));
    return { digest, mediaType, ...(Number.isFinite(size) && size > 0 && { size }) };
  }

  /** {@inheritDoc ManifestStore.getManifest} */
  async getManifest(repository: string, reference: string): Promise<Manifest | null> {
    const image = this.describe(repository, reference);
    const response = await this.send({
      method: 'GET',
      path: `/v2/${repository}/manifests/${reference}`,
      scopes: [repositoryScope(repository, ['pull'])],
      image,
      operation: 'read manifest',
      headers: { accept: MANIFEST_ACCEPT },
      accept: [404],
    });
    if (response.status === 404) {
      await response.body?.cancel().catch(() => undefined);
      return null;
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    const digest = sha256Digest(bytes);
    const expected = reference.includes(':') ? reference : response.headers.get('docker-content-digest');
    if (expected && expected.startsWith('sha256:') && expected !== digest) {
      throw new RegistryError(
        { image, operation: 'read manifest', status: response.status, code: 'DIGEST_MISMATCH' },
        `the bytes hash to ${digest}, the registry said ${expected}`,
      );
    }
    const mediaType = detectManifestMediaType(bytes, response.headers.get('content-type'));
    return { bytes, digest, mediaType, size: bytes.length };
  }

  /** {@inheritDoc ManifestStore.putManifest} */
  async putManifest(repository: string, tag: string, manifest: Manifest): Promise<string> {
    const response = await this.send({
      method: 'PUT',
      path: `/v2/${repository}/manifests/${tag}`,
      scopes: [repositoryScope(repository, ['pull', 'push'])],
      image: this.describe(repository, tag),
      operation: 'write manifest',
      headers: { 'content-type': manifest.mediaType },
      body: manifest.bytes,
    });
    await response.body?.cancel().catch(() => undefined);
    return response.headers.get('docker-content-digest') ?? sha256Digest(manifest.bytes);
  }

  /** True when the blob exists in the repository. */
  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const response = await this.send({
      method: 'HEAD',
      path: `/v2/${repository}/blobs/${digest}`,
      scopes: [repositoryScope(repository, ['pull'])],
      image: this.describe(repository, digest),
      operation: 'check blob',
      accept: [404],
    });
    return response.status !== 404;
  }

  /** Uploads a blob in one request pair (POST, then PUT ?digest=) and returns its digest. */
  async uploadBlob(repository: string, bytes: Buffer): Promise<string> {
    const digest = sha256Digest(bytes);
    const scopes = [repositoryScope(repository, ['pull', 'push'])];
    const image = this.describe(repository, digest);
    const started = await this.send({
      method: 'POST',
      path: `/v2/${repository}/blobs/uploads/`,
      scopes,
      image,
      operation: 'start upload of',
    });
    await started.body?.cancel().catch(() => undefined);
    const location = this.uploadLocation(started, image);
    location.searchParams.set('digest', digest);
    const done = await this.send({
      method: 'PUT',
      path: location.pathname + location.search,
      scopes,
      image,
      operation: 'upload blob',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    await done.body?.cancel().catch(() => undefined);
    return digest;
  }

  /**
   * Mounts a blob from another repository of the same registry without sending it.
   * Returns false when the registry would not mount (it then opened an upload, which is cancelled).
   */
  async mountBlob(repository: string, digest: string, fromRepository: string): Promise<boolean> {
    const image = this.describe(repository, digest);
    const response = await this.send({
      method: 'POST',
      path: `/v2/${repository}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(fromRepository)}`,
      scopes: [repositoryScope(repository, ['pull', 'push']), repositoryScope(fromRepository, ['pull'])],
      image,
      operation: 'mount blob',
    });
    await response.body?.cancel().catch(() => undefined);
    if (response.status === 201) return true;
    const location = this.uploadLocation(response, image);
    const cancelled = await this.send({
      method: 'DELETE',
      path: location.pathname + location.search,
      scopes: [repositoryScope(repository, ['pull', 'push'])],
      image,
      operation: 'cancel upload of',
      accept: [404],
    });
    await cancelled.body?.cancel().catch(() => undefined);
    return false;
  }

  /** Every tag of a repository, following `Link` pagination (at most 100 pages). */
  async listTags(repository: string): Promise<string[]> {
    const tags: string[] = [];
    let path: string | null = `/v2/${repository}/tags/list?n=1000`;
    for (let page = 0; path && page < 100; page++) {
      const response: Response = await this.send({
        method: 'GET',
        path,
        scopes: [repositoryScope(repository, ['pull'])],
        image: this.describe(repository),
        operation: 'list tags of',
        accept: [404],
      });
      if (response.status === 404) {
        await response.body?.cancel().catch(() => undefined);
        return [];
      }
      const body = (await response.json()) as { tags?: string[] | null };
      tags.push(...(body.tags ?? []));
      const next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(response.headers.get('link') ?? '');
      path = next
        ? new URL(next[1] as string, this.base).pathname + new URL(next[1] as string, this.base).search
        : null;
    }
    return tags;
  }

  private uploadLocation(response: Response, image: string): URL {
    const location = response.headers.get('location');
    if (!location) {
      throw new RegistryError(
        { image, operation: 'upload', status: response.status, code: 'NO_LOCATION' },
        'the registry gave no upload location',
      );
    }
    const url = new URL(location, this.base);
    if (url.origin !== new URL(this.base).origin) {
      throw new RegistryError(
        { image, operation: 'upload', status: response.status, code: 'FOREIGN_LOCATION' },
        'the upload location points to another host',
      );
    }
    return url;
  }

  /**
   * Sends with auth and retries; returns the response when its status is 2xx or in `accept`, else throws.
   * Until the first request has learned how the host authenticates, the others wait for it, so a
   * burst of concurrent requests costs one 401 instead of one each.
   */
  private send(request: SendOptions): Promise<Response> {
    if (!this.firstSend) {
      const first = this.sendNow(request);
      this.firstSend = first.then(
        () => undefined,
        () => undefined,
      );
      return first;
    }
    return this.firstSend.then(() => this.sendNow(request));
  }

  private async sendNow(request: SendOptions): Promise<Response> {
    const url = `${this.base}${request.path}`;
    for (let round = 0; round < 2; round++) {
      const headers: Record<string, string> = { ...request.headers };
      const authorization = await this.auth.authorization(request.scopes, request.image);
      if (authorization) headers.authorization = authorization;
      this.options.onRequest?.(request.method, url);
      let response: Response;
      try {
        response = await fetchWithRetry(
          url,
          { method: request.method, headers, ...(request.body && { body: request.body }) },
          this.retry,
        );
      } catch (error) {
        throw new RegistryError({ image: request.image, operation: request.operation }, describeNetworkError(error), {
          cause: error,
        });
      }
      if (response.status === 401 && round === 0) {
        const challenge = response.headers.get('www-authenticate');
        await response.body?.cancel().catch(() => undefined);
        await this.auth.meet(challenge, request.scopes, request.image, authorization);
        continue;
      }
      if (response.ok || request.accept?.includes(response.status)) return response;
      const { code, message } = request.method === 'HEAD' ? {} : await readErrorBody(response);
      if (response.status === 401 || response.status === 403) {
        throw new ConfigurationError(
          `Registry ${this.host} denied ${request.operation} ${request.image} (HTTP ${response.status}${code ? ` ${code}` : ''}): check the credentials and that they may ${request.scopes.some((s) => s.endsWith('push')) ? 'push to' : 'pull from'} this repository`,
        );
      }
      throw new RegistryError(
        { image: request.image, operation: request.operation, status: response.status, ...(code && { code }) },
        message,
      );
    }
    throw new RegistryError(
      { image: request.image, operation: request.operation, status: 401 },
      'still unauthorized after meeting the challenge',
    );
  }
}
