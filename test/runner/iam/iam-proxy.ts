import { randomUUID } from 'node:crypto';
import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import { forwardRequest } from '../../sandbox/fault-proxy/forward.js';
import { readAwsRequest, type AwsRequest } from './aws-request.js';
import { deriveIamChecks, isAlwaysAllowed, type IamCheck } from './derive-resources.js';
import type { LoadedRole } from './sandbox-roles.js';
import { accountOf } from './evaluate-trust.js';

/** One authorization the proxy decided, in the order calls arrived. */
export interface IamDecision {
  roleArn: string;
  sessionName: string;
  /** `service:Operation` as called, e.g. `ecs:UpdateService`. */
  operation: string;
  /** The IAM action evaluated (an operation may need several, e.g. RegisterTaskDefinition + iam:PassRole). */
  action: string;
  resource: string;
  allowed: boolean;
  /** iam-simulate's result, or `UnknownOperation` when the proxy has no resource mapping. */
  result: string;
}

/** Credentials the proxy accepts, each the session of one AssumeRoleWithWebIdentity. */
export interface ProxySession {
  accessKeyId: string;
  sessionName: string;
  /** When STS said the credentials expire (role-duration-seconds); calls after it are refused as expired. */
  expiresAt?: Date;
}

/**
 * An HTTP proxy in front of the sandbox's AWS endpoint for one role: every call is parsed, its IAM
 * authorizations derived (derive-resources.ts) and evaluated with iam-simulate against the role's
 * permission policies, action and resource; a denied call is answered as AWS answers it and never reaches
 * moto, an allowed one is forwarded unchanged. Unknown operations are denied and logged.
 */
export class IamProxy {
  readonly decisions: IamDecision[] = [];
  private readonly sessions = new Map<string, ProxySession>();
  private readonly agent = new Agent({ keepAlive: true });
  private server: Server | undefined;
  private address = '';

  constructor(
    readonly role: LoadedRole,
    readonly target: URL,
    private readonly log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {}

  /** The proxy's URL once listening (what AWS_ENDPOINT_URL is pointed at). */
  get url(): string {
    return this.address;
  }

  /** Starts listening on a free loopback port. Idempotent. */
  async listen(): Promise<string> {
    if (this.server) return this.address;
    const server = createServer((req, res) => this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    server.unref(); // never what keeps a test process alive
    this.address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.address;
  }

  /** Accepts a session's access key from now on. */
  addSession(session: ProxySession): void {
    this.sessions.set(session.accessKeyId, session);
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.agent.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Evaluates one call's checks; pure apart from recording, so tests can call it without HTTP. */
  authorize(request: AwsRequest, sessionName: string): { allowed: boolean; denied?: IamDecision } {
    const operation = `${request.service}:${request.operation}`;
    if (isAlwaysAllowed(request)) return { allowed: true };
    const checks = deriveIamChecks(request, accountOf(this.role.binding.roleArn));
    if (!checks) {
      const decision = this.record(operation, sessionName, { action: operation, resource: '?' }, 'UnknownOperation');
      this.log(
        `iam-proxy: DENIED ${operation}: no resource mapping for this operation; add it to test/runner/iam/derive-resources.ts`,
      );
      return { allowed: false, denied: decision };
    }
    for (const check of checks) {
      const result = runUnsafeSimulation(
        {
          request: {
            principal: this.sessionArn(sessionName),
            action: check.action,
            resource: { resource: check.resource, accountId: accountOf(this.role.binding.roleArn) },
            contextVariables: check.context ?? {},
          },
          identityPolicies: this.role.permissionPolicies,
          serviceControlPolicies: [],
          resourceControlPolicies: [],
        },
        {},
      );
      const decision = this.record(operation, sessionName, check, result);
      if (!decision.allowed) return { allowed: false, denied: decision };
    }
    return { allowed: true };
  }

  /** `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`, the principal AWS names in its denials. */
  sessionArn(sessionName: string): string {
    const arn = this.role.binding.roleArn;
    return `arn:aws:sts::${accountOf(arn)}:assumed-role/${arn.slice(arn.lastIndexOf('/') + 1)}/${sessionName}`;
  }

  private record(operation: string, sessionName: string, check: IamCheck, result: string): IamDecision {
    const decision: IamDecision = {
      roleArn: this.role.binding.roleArn,
      sessionName,
      operation,
      action: check.action,
      resource: check.resource,
      allowed: result === 'Allowed',
      result,
    };
    this.decisions.push(decision);
    return decision;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let request: AwsRequest | undefined;
      try {
        request = readAwsRequest(req.headers, body);
      } catch (error) {
        this.log(`iam-proxy: DENIED an unreadable request: ${(error as Error).message}`);
      }
      if (!request) {
        sendError(res, 'json', 400, 'AccessDeniedException', 'iam-proxy: not a signed AWS JSON or query call');
        return;
      }
      const session = this.sessions.get(request.accessKeyId);
      const query = request.protocol === 'query';
      if (session === undefined) {
        const message = 'The security token included in the request is invalid.';
        if (query) sendError(res, 'query', 403, 'InvalidClientTokenId', message);
        else sendError(res, 'json', 400, 'UnrecognizedClientException', message);
        return;
      }
      if (session.expiresAt && session.expiresAt.getTime() <= Date.now()) {
        const message = 'The security token included in the request is expired';
        sendError(res, request.protocol, query ? 403 : 400, query ? 'ExpiredToken' : 'ExpiredTokenException', message);
        return;
      }
      const sessionName = session.sessionName;
      const { allowed, denied } = this.authorize(request, sessionName);
      if (allowed) {
        forwardRequest(this.target, this.agent, req, res, body);
        return;
      }
      const code = request.protocol === 'query' ? 'AccessDenied' : 'AccessDeniedException';
      sendError(res, request.protocol, 400, code, denialMessage(this.sessionArn(sessionName), denied!));
    });
  }
}

/** AWS's wording for an identity-policy denial, which packages/core's explainFailure recognises. */
export function denialMessage(principal: string, decision: IamDecision): string {
  if (decision.result === 'UnknownOperation') {
    return `User: ${principal} is not authorized to perform: ${decision.operation} because the test IAM proxy has no resource mapping for it (test/runner/iam/derive-resources.ts)`;
  }
  const why =
    decision.result === 'ExplicitlyDenied'
      ? 'with an explicit deny in an identity-based policy'
      : `because no identity-based policy allows the ${decision.action} action`;
  return `User: ${principal} is not authorized to perform: ${decision.action} on resource: ${decision.resource} ${why}`;
}

function sendError(
  res: ServerResponse,
  protocol: 'json' | 'query',
  status: number,
  code: string,
  message: string,
): void {
  const requestId = randomUUID();
  const [type, body] =
    protocol === 'json'
      ? ['application/x-amz-json-1.1', JSON.stringify({ __type: code, message })]
      : [
          'text/xml',
          `<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><Error><Type>Sender</Type>` +
            `<Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
        ];
  res.writeHead(status, {
    'content-type': type,
    'content-length': String(Buffer.byteLength(body)),
    'x-amzn-requestid': requestId,
    ...(protocol === 'json' ? { 'x-amzn-errortype': code } : {}),
  });
  res.end(body);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const proxies = new Map<string, IamProxy>();

/** The proxy for a role in front of a target, made and started on first use (one per role and target per process). */
export async function iamProxyFor(role: LoadedRole, target: string): Promise<IamProxy> {
  const key = `${role.binding.roleArn} ${target} ${JSON.stringify(role.placeholders)}`;
  let proxy = proxies.get(key);
  if (!proxy) {
    proxy = new IamProxy(role, new URL(target));
    proxies.set(key, proxy);
  }
  await proxy.listen();
  return proxy;
}

/**
 * The sandbox endpoint behind `url` when `url` is one of this process's proxies (a job that configures
 * credentials a second time), else `url` itself: a new role's proxy must sit in front of the sandbox, not of
 * the previous role's proxy.
 */
export function upstreamOf(url: string): string {
  const proxy = [...proxies.values()].find((p) => p.url === url);
  return proxy ? proxy.target.toString().replace(/\/$/, '') : url;
}

/** Every decision of every proxy of this process, in call order per proxy. */
export function listIamDecisions(): IamDecision[] {
  return [...proxies.values()].flatMap((p) => p.decisions);
}

/** Forgets recorded decisions (between scenarios); the proxies keep running. */
export function clearIamDecisions(): void {
  for (const p of proxies.values()) p.decisions.length = 0;
}

/** Stops every proxy (at the end of a test file). */
export async function closeIamProxies(): Promise<void> {
  const all = [...proxies.values()];
  proxies.clear();
  await Promise.all(all.map((p) => p.close()));
}
