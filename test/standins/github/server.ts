import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdminOperations, type AdminOperations } from './admin-operations.js';
import { GitHubApiError, notAccessibleByIntegration } from './api-error.js';
import { Faults } from './faults.js';
import { answerGraphQL } from './graphql-endpoint.js';
import { createOpenApiValidator } from './openapi-validator.js';
import { RateLimits, renderRateLimitHeaders } from './rate-limits.js';
import { RequestLog } from './request-log.js';
import type { RenderContext } from './render-context.js';
import { matchRoute, type Route, type RouteResponse } from './router.js';
import { createGitHubRoutes } from './routes.js';
import { GitHubState } from './state.js';
import { deniedGraphQLField, grants, restPermission } from './token-permissions.js';
import type { UserRecord } from './records.js';

export interface GitHubStandInOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** The token the default login authenticates with; the harness's default token when absent. */
  token?: string;
  /** Login of the default token; a `[bot]` suffix makes it a Bot. */
  login?: string;
  /** `owner/name` repositories to create at start; default octo-org/octo-repo, the harness's default. */
  repositories?: string[];
  /** Check every REST response against GitHub's OpenAPI description; violations are logged and kept in `violations`. */
  validateResponses?: boolean;
  now?: () => Date;
  /** Where violations and handler crashes are written; default stderr. */
  log?: (line: string) => void;
}

export interface GitHubStandIn {
  /** REST base URL, for Octokit's baseUrl or GITHUB_API_URL. */
  url: string;
  /** GraphQL endpoint, for GITHUB_GRAPHQL_URL. */
  graphqlUrl: string;
  /** POST {adminUrl}/{operation} with a JSON body to seed or inspect from another process. */
  adminUrl: string;
  state: GitHubState;
  requests: RequestLog;
  rateLimits: RateLimits;
  faults: Faults;
  admin: AdminOperations;
  /** OpenAPI violations found with `validateResponses`. */
  violations: string[];
  /** The REST routes served, for coverage checks. */
  routes: readonly Route[];
  close(): Promise<void>;
}

/** The token run-action.ts hands actions when a test gives none. */
export const defaultStandInToken = 'ghs_harnessToken000000000000000000000000';
export const defaultStandInLogin = 'preview-actions[bot]';
const adminPrefix = '/_admin';
const maxBodyBytes = 5 * 1024 * 1024;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(new GitHubApiError(413, 'Payload Too Large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseJson(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // falls through to GitHub's answer for unparsable bodies
  }
  throw new GitHubApiError(400, 'Problems parsing JSON');
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, {
    ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    'x-github-media-type': 'github.v3; format=json',
    'x-github-request-id': randomUUID().toUpperCase(),
    'x-github-api-version-selected': '2022-11-28',
    ...headers,
  });
  response.end(text);
}

function readToken(request: IncomingMessage): string | undefined {
  const match = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/**
 * Starts a stateful GitHub REST and GraphQL stand-in on 127.0.0.1. Requests must carry
 * `Authorization: token|Bearer <token>`; tokens map to logins (add more through `admin.addToken`).
 */
export async function startGitHubStandIn(options: GitHubStandInOptions = {}): Promise<GitHubStandIn> {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const state = new GitHubState({ now });
  const rateLimits = new RateLimits(now);
  const faults = new Faults();
  const requests = new RequestLog();
  const violations: string[] = [];
  const admin = createAdminOperations({ state, rateLimits, faults, requests, violations });
  const validator = options.validateResponses ? createOpenApiValidator() : undefined;

  state.addToken({ token: options.token ?? defaultStandInToken, login: options.login ?? defaultStandInLogin });
  for (const fullName of options.repositories ?? ['octo-org/octo-repo']) {
    const [owner = '', name = ''] = fullName.split('/');
    state.createRepository({ owner, name });
  }

  const context: RenderContext = { state, apiUrl: '', htmlUrl: 'https://github.com' };
  const routes = createGitHubRoutes(rateLimits);

  function checkResponse(method: string, template: string, answer: RouteResponse): void {
    if (!validator || answer.body === undefined) return;
    let line: string;
    try {
      const result = validator.checkResponse(method, template, answer.status, answer.body);
      if (result.valid) return;
      line = `OpenAPI violation: ${method} ${template} ${answer.status}: ${result.errors.slice(0, 10).join('; ')}`;
    } catch (error) {
      line = `OpenAPI schema for ${method} ${template} ${answer.status} did not compile: ${(error as Error).message}`;
    }
    violations.push(line);
    log(line);
  }

  async function handleAdmin(pathname: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const operation = pathname.slice(adminPrefix.length + 1) as keyof AdminOperations;
    if (!Object.hasOwn(admin, operation)) {
      send(
        response,
        404,
        { message: `unknown admin operation '${operation}'; known: ${Object.keys(admin).join(', ')}` },
        {},
      );
      return;
    }
    try {
      const input = parseJson(await readBody(request));
      const run = admin[operation] as (input: unknown) => unknown;
      const result = run(input);
      send(response, 200, result === undefined ? { ok: true } : result, {});
    } catch (error) {
      const status = error instanceof GitHubApiError ? error.status : 400;
      send(response, status, { message: (error as Error).message }, {});
    }
  }

  async function handleApi(url: URL, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = (request.method ?? 'GET').toUpperCase();
    const path = `${url.pathname}${url.search}`;
    const isGraphQL = url.pathname === '/graphql' || url.pathname === '/api/graphql';
    const match = isGraphQL ? undefined : matchRoute(routes, method, url.pathname);
    const route = isGraphQL ? '/graphql' : match?.route.template;
    const token = readToken(request);
    const identity = token === undefined ? undefined : state.readToken(token);
    const user: UserRecord | undefined = identity?.user;
    const finish = (status: number, body: unknown, headers: Record<string, string>): void => {
      requests.record({ method, path, status, ...(route ? { route } : {}), ...(user ? { login: user.login } : {}) });
      send(response, status, body, headers);
    };

    if (!user) {
      const window = rateLimits.consume(`anonymous ${request.socket.remoteAddress ?? ''}`, 'core').window;
      const message = token === undefined ? 'Requires authentication' : 'Bad credentials';
      finish(
        401,
        new GitHubApiError(401, message).toBody(),
        renderRateLimitHeaders({ ...window, limit: 60, remaining: Math.max(0, 60 - window.used) }),
      );
      return;
    }

    let body: Record<string, unknown>;
    try {
      body = parseJson(await readBody(request));
    } catch (error) {
      const failure = error instanceof GitHubApiError ? error : new GitHubApiError(400, 'Problems parsing JSON');
      finish(failure.status, failure.toBody(), renderRateLimitHeaders(rateLimits.read(user.login, 'core')));
      return;
    }

    if (isGraphQL && method === 'POST') {
      const fault = faults.take(method, route, url.pathname);
      if (fault) {
        finish(fault.status, fault.body ?? { message: 'Injected failure' }, {
          ...renderRateLimitHeaders(rateLimits.read(user.login, 'graphql')),
          ...fault.headers,
        });
        return;
      }
      const deniedField =
        identity?.permissions && typeof body.query === 'string'
          ? deniedGraphQLField(body.query, identity.permissions)
          : undefined;
      if (deniedField) {
        // GitHub answers GraphQL permission failures with 200 and a FORBIDDEN error on the field
        finish(
          200,
          {
            data: null,
            errors: [{ type: 'FORBIDDEN', path: [deniedField], message: 'Resource not accessible by integration' }],
          },
          renderRateLimitHeaders(rateLimits.read(user.login, 'graphql')),
        );
        return;
      }
      const answer = answerGraphQL({
        body,
        render: context,
        viewer: user,
        workflowToken: identity?.workflow ?? false,
        rateLimits,
      });
      finish(answer.status, answer.body, renderRateLimitHeaders(answer.window));
      return;
    }

    const free = url.pathname === '/rate_limit';
    const { window, exceeded } = free
      ? { window: rateLimits.read(user.login, 'core'), exceeded: false }
      : rateLimits.consume(user.login, 'core');
    const headers = renderRateLimitHeaders(window);
    if (exceeded) {
      finish(
        403,
        {
          message: `API rate limit exceeded for user ID ${user.id}.`,
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        },
        headers,
      );
      return;
    }
    const fault = faults.take(method, route, url.pathname);
    if (fault) {
      finish(fault.status, fault.body ?? { message: 'Injected failure' }, { ...headers, ...fault.headers });
      return;
    }
    if (!match) {
      log(`github stand-in: no route for ${method} ${url.pathname}; answering 404 as GitHub would`);
      finish(404, new GitHubApiError(404, 'Not Found').toBody(), headers);
      return;
    }

    if (identity?.permissions) {
      const required = restPermission(method, match.route.template);
      if (!required) {
        log(`github stand-in: ${method} ${match.route.template} has no permission mapping; denied to a scoped token`);
      }
      if (!required || !grants(identity.permissions, required)) {
        finish(403, notAccessibleByIntegration().toBody(), headers);
        return;
      }
    }

    let answer: RouteResponse;
    try {
      answer = match.route.handler(
        {
          method,
          template: match.route.template,
          params: match.params,
          query: url.searchParams,
          body,
          user,
          workflowToken: identity?.workflow ?? false,
          path,
        },
        context,
      );
    } catch (error) {
      if (error instanceof GitHubApiError) {
        answer = { status: error.status, body: error.toBody() };
      } else {
        log(`github stand-in: ${method} ${match.route.template} crashed: ${(error as Error).stack ?? String(error)}`);
        answer = { status: 500, body: { message: 'Server Error' } };
      }
    }
    checkResponse(method, match.route.template, answer);
    finish(answer.status, answer.body, { ...headers, ...answer.headers });
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', context.apiUrl || 'http://127.0.0.1');
    const handled = url.pathname.startsWith(`${adminPrefix}/`)
      ? handleAdmin(url.pathname, request, response)
      : handleApi(url, request, response);
    handled.catch((error: unknown) => {
      log(`github stand-in: ${(error as Error).stack ?? String(error)}`);
      if (!response.headersSent) send(response, 500, { message: 'Server Error' }, {});
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 30_000;
  server.keepAliveTimeout = 1_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  context.apiUrl = url;

  return {
    url,
    graphqlUrl: `${url}/graphql`,
    adminUrl: `${url}${adminPrefix}`,
    state,
    requests,
    rateLimits,
    faults,
    admin,
    violations,
    routes,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
