import { ConfigurationError } from '../action/errors.js';
import { parseAuthChallenges, type AuthChallenge } from './auth-challenge.js';
import { fetchWithRetry, type RetryContext } from './fetch-with-retry.js';
import type { RegistryCredentials } from './registry-credentials.js';
import { RegistryError } from './registry-error.js';

/** What {@link RegistryAuthenticator} needs. */
export interface RegistryAuthOptions {
  host: string;
  credentials: RegistryCredentials | null;
  maskSecret: (value: string) => void;
  retry: RetryContext;
}

interface CachedToken {
  /** resource name → granted actions, e.g. `repository:api` → {pull, push}. */
  grants: Map<string, Set<string>>;
  authorization: string;
  expiresAt: number;
}

/** Tokens are dropped this long before they expire, so a request never carries a dying one. */
const EXPIRY_MARGIN_MS = 10000;
const DEFAULT_TOKEN_LIFETIME_S = 60;

/** `repository:api:pull,push` → [`repository:api`, [pull, push]]. */
function splitScope(scope: string): [string, string[]] {
  const last = scope.lastIndexOf(':');
  return [
    scope.slice(0, last),
    scope
      .slice(last + 1)
      .split(',')
      .filter(Boolean),
  ];
}

/** The scope string a token request sends for a repository and actions. */
export function repositoryScope(repository: string, actions: readonly string[]): string {
  return `repository:${repository}:${actions.join(',')}`;
}

/**
 * Meets a registry's authentication challenges and remembers what it learned: once a host is
 * known to use Basic the header is sent up front; once it is known to use Bearer, tokens are
 * fetched per scope before the request and cached until shortly before they expire.
 */
export class RegistryAuthenticator {
  private scheme: 'none' | 'basic' | 'bearer' | null = null;
  private realm: { url: string; service: string | undefined } | null = null;
  private readonly tokens: CachedToken[] = [];
  private readonly pending = new Map<string, Promise<CachedToken>>();
  private readonly basicHeader: string | undefined;

  constructor(private readonly options: RegistryAuthOptions) {
    const { credentials, maskSecret } = options;
    if (credentials) {
      const encoded = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
      maskSecret(credentials.password);
      maskSecret(encoded);
      this.basicHeader = `Basic ${encoded}`;
    }
  }

  /** The Authorization header to send up front for these scopes, fetching a token if the host uses Bearer. */
  async authorization(scopes: readonly string[], image: string): Promise<string | undefined> {
    if (this.scheme === 'basic') return this.basicHeader;
    if (this.scheme === 'bearer') return (await this.token(scopes, image)).authorization;
    return undefined;
  }

  /**
   * Learns from a 401 and prepares credentials for the retry. `image` names what was asked for;
   * `sent` is the Authorization the refused request carried (concurrent requests may have been
   * refused before the first challenge was met, and must not count as refused credentials).
   * @throws ConfigurationError when the registry wants credentials we do not have or refused them.
   */
  async meet(header: string | null, scopes: readonly string[], image: string, sent: string | undefined): Promise<void> {
    const challenges = parseAuthChallenges(header ?? '');
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
    const basic = challenges.find((c) => c.scheme === 'basic');
    if (bearer) {
      this.learnBearer(bearer);
      const wanted = bearer.params.scope ? [...scopes, ...bearer.params.scope.split(' ')] : scopes;
      await this.token(wanted, image, sent !== undefined);
      return;
    }
    if (basic) {
      if (!this.basicHeader) throw this.missingCredentials(image);
      if (sent === this.basicHeader) throw this.refused(image, 401);
      this.scheme = 'basic';
      return;
    }
    throw new RegistryError(
      { image, operation: 'authenticate to', status: 401, code: 'UNSUPPORTED_CHALLENGE' },
      'the registry offered no Basic or Bearer challenge',
    );
  }

  private learnBearer(challenge: AuthChallenge): void {
    let url: URL;
    try {
      url = new URL(challenge.params.realm as string);
    } catch {
      throw new RegistryError(
        { image: this.options.host, operation: 'authenticate to', status: 401, code: 'BAD_REALM' },
        'the token realm is not a URL',
      );
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new RegistryError(
        { image: this.options.host, operation: 'authenticate to', status: 401, code: 'BAD_REALM' },
        'the token realm is not http(s)',
      );
    }
    this.scheme = 'bearer';
    this.realm = { url: url.toString(), service: challenge.params.service };
  }

  private async token(scopes: readonly string[], image: string, fresh = false): Promise<CachedToken> {
    const now = this.options.retry.clock.now().getTime();
    const wanted = scopes.map(splitScope);
    if (!fresh) {
      const cached = this.tokens.find(
        (t) =>
          t.expiresAt > now &&
          wanted.every(([resource, actions]) => actions.every((a) => t.grants.get(resource)?.has(a))),
      );
      if (cached) return cached;
    }
    const merged = new Map<string, Set<string>>();
    for (const [resource, actions] of wanted) {
      const set = merged.get(resource) ?? new Set<string>();
      actions.forEach((a) => set.add(a));
      merged.set(resource, set);
    }
    const key = [...merged]
      .map(([r, a]) => `${r}:${[...a].sort().join(',')}`)
      .sort()
      .join(' ');
    let request = this.pending.get(key);
    if (!request) {
      request = this.requestToken(merged, image).finally(() => this.pending.delete(key));
      this.pending.set(key, request);
    }
    return request;
  }

  private async requestToken(grants: Map<string, Set<string>>, image: string): Promise<CachedToken> {
    const realm = this.realm as { url: string; service: string | undefined };
    const url = new URL(realm.url);
    if (realm.service) url.searchParams.set('service', realm.service);
    for (const [resource, actions] of grants) url.searchParams.append('scope', `${resource}:${[...actions].join(',')}`);
    if (this.options.credentials) url.searchParams.set('account', this.options.credentials.username);
    const headers: Record<string, string> = this.basicHeader ? { authorization: this.basicHeader } : {};
    let response: Response;
    try {
      response = await fetchWithRetry(url.toString(), { method: 'GET', headers }, this.options.retry);
    } catch (error) {
      throw new RegistryError({ image, operation: 'get a token for' }, `token endpoint ${url.host} unreachable`, {
        cause: error,
      });
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel().catch(() => undefined);
      throw this.basicHeader ? this.refused(image, response.status) : this.missingCredentials(image);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new RegistryError(
        { image, operation: 'get a token for', status: response.status },
        `token endpoint ${url.host}`,
      );
    }
    let body: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      body = (await response.json()) as typeof body;
    } catch {
      throw new RegistryError(
        { image, operation: 'get a token for', status: response.status, code: 'BAD_TOKEN_RESPONSE' },
        'the token endpoint did not answer JSON',
      );
    }
    const token = typeof body.token === 'string' && body.token ? body.token : body.access_token;
    if (typeof token !== 'string' || token === '') {
      throw new RegistryError(
        { image, operation: 'get a token for', status: response.status, code: 'BAD_TOKEN_RESPONSE' },
        'the token endpoint answered no token',
      );
    }
    this.options.maskSecret(token);
    const lifetime =
      typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_LIFETIME_S;
    const entry: CachedToken = {
      grants,
      authorization: `Bearer ${token}`,
      expiresAt: this.options.retry.clock.now().getTime() + lifetime * 1000 - EXPIRY_MARGIN_MS,
    };
    this.tokens.push(entry);
    if (this.tokens.length > 256) this.tokens.shift();
    return entry;
  }

  private missingCredentials(image: string): ConfigurationError {
    return new ConfigurationError(
      `Registry ${this.options.host} wants credentials for ${image}: log in with docker/login-action before this step, or pass a username and password`,
    );
  }

  private refused(image: string, status: number): ConfigurationError {
    return new ConfigurationError(
      `Registry ${this.options.host} refused the credentials for ${image} (HTTP ${status}): check the username, password/token and its permissions`,
    );
  }
}
