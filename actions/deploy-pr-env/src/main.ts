import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ActionContext,
  ConfigurationError,
  escapeMarkdown,
  readInputs,
  renderDetails,
  renderTable,
  ReportedFailure,
  writeOutputs,
} from '@preview-actions/core/action';
import { readListenerDnsName } from '@preview-actions/core/alb';
import type { AwsServices } from '@preview-actions/core/aws';
import { deployPreview, deriveBasicAuth, type DeployPreviewResult } from '@preview-actions/core/deploy';
import { createCloudflareClient, findZoneId } from '@preview-actions/core/dns';
import { renderDiagnosticsMarkdown } from '@preview-actions/core/ecs';
import { createPreviewDeployment, setDeploymentStatus } from '@preview-actions/core/github';
import { parseEnvironmentFile, parseTaskDefinitionTemplate } from '@preview-actions/core/preview';
import { createActionStoreResolver, parseImageReference } from '@preview-actions/core/registry';
import { inputs, type outputs } from './contract.js';

type Inputs = ReturnType<typeof readInputs<typeof inputs>>;

function readPrNumber(ctx: ActionContext, values: Inputs): number {
  if (values['pr-number']) return Number(values['pr-number']);
  const payload = ctx.run.payload as {
    pull_request?: { number?: number };
    issue?: { number?: number; pull_request?: unknown };
  };
  const number = payload.pull_request?.number ?? (payload.issue?.pull_request ? payload.issue.number : undefined);
  if (!number) {
    throw new ConfigurationError("No pull request: run on pull_request or a PR comment, or set 'pr-number'");
  }
  return number;
}

function readHeadSha(ctx: ActionContext, values: Inputs): string {
  if (values.sha) return values.sha;
  const payload = ctx.run.payload as { pull_request?: { head?: { sha?: string } } };
  return payload.pull_request?.head?.sha ?? ctx.run.sha;
}

function readDigests(text: string): Map<string, string> {
  if (!text) return new Map();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ConfigurationError("Input 'images' is not JSON: pass build-double-tag's images output as it is");
  }
  const digests = new Map<string, string>();
  for (const [service, value] of Object.entries((data ?? {}) as Record<string, { digest?: unknown }>)) {
    if (typeof value?.digest === 'string' && /^sha256:[0-9a-f]{64}$/.test(value.digest))
      digests.set(service, value.digest);
  }
  return digests;
}

/** Which rule ends the environment: its ttl-hours expiry, or inactivity (kept until an `/extend` runs out). */
function describeLifetime(result: DeployPreviewResult): string {
  if (result.expiresAt) return `Expires ${result.expiresAt.toISOString()} (ttl-hours; \`/extend\` for longer)`;
  const kept = result.keptUntil ? `, not before ${result.keptUntil.toISOString()} (/extend)` : '';
  return `No expiry by time: removed after a period without activity${kept}`;
}

function renderSummary(
  result: DeployPreviewResult,
  basicAuth: { username: string; password: string } | undefined,
): string {
  let markdown = `### Preview ${result.environment}: ${result.failure ? 'failed' : 'ready'}\n\n`;
  markdown += renderTable(
    ['Service', 'ECS service', 'Action', 'URL', 'Image'],
    result.services.map((s) => [s.name, s.serviceName, s.action, result.urls[s.name] ?? '(no route)', s.image]),
  );
  markdown += `\n${describeLifetime(result)} · about $${result.cost.totalUsd.toFixed(2)} a day\n`;
  if (basicAuth) {
    markdown += `\nBasic auth: user \`${basicAuth.username}\`, password \`${basicAuth.password}\` (also masked in logs)\n`;
  }
  const diagnostics = result.rollout.flatMap((o) => (o.diagnostics ? [o.diagnostics] : []));
  if (diagnostics.length > 0)
    markdown += `\n${renderDetails('ECS diagnostics', renderDiagnosticsMarkdown(diagnostics))}`;
  if (result.failure) markdown += `\n**Failed:** ${escapeMarkdown(result.failure)}\n`;
  return markdown;
}

/** Deploys or updates the pull request's preview environment and reports its URLs. */
export async function run(ctx: ActionContext<AwsServices>): Promise<void> {
  const values = readInputs(ctx.io, inputs);
  for (const secret of ['cloudflare-api-token', 'basic-auth-secret', 'registry-password', 'github-token'] as const) {
    ctx.io.setSecret(values[secret]);
  }
  const pr = readPrNumber(ctx, values);
  const workspace = ctx.env.GITHUB_WORKSPACE || process.cwd();
  const file = values['environment-file'];
  const text = await readFile(join(workspace, file), 'utf8').catch(() => {
    throw new ConfigurationError(
      `Environment file ${file} was not found: check out the repository first, or set environment-file`,
    );
  });
  const config = parseEnvironmentFile(text, file);
  const template = config.taskDefinitionTemplate
    ? parseTaskDefinitionTemplate(
        await readFile(join(workspace, config.taskDefinitionTemplate), 'utf8'),
        config.taskDefinitionTemplate,
      )
    : undefined;
  const digests = readDigests(values.images);
  if (values['basic-auth'] && !values['basic-auth-secret']) {
    throw new ConfigurationError("basic-auth is on but 'basic-auth-secret' is empty: pass a repository secret");
  }
  if (values['dns-mode'] === 'record' && !values['cloudflare-api-token']) {
    throw new ConfigurationError(
      "dns-mode is record but 'cloudflare-api-token' is empty: pass the token, or set dns-mode: wildcard or none",
    );
  }
  const repo = `${ctx.run.repo.owner}/${ctx.run.repo.repo}`;
  const basicAuth = values['basic-auth'] ? deriveBasicAuth(values['basic-auth-secret'], repo, pr) : undefined;
  if (basicAuth) ctx.io.setSecret(basicAuth.password);

  const cloudflare =
    values['dns-mode'] === 'record' ? createCloudflareClient(values['cloudflare-api-token'], ctx.env) : undefined;
  const dns = cloudflare
    ? {
        client: cloudflare,
        zoneId:
          values['cloudflare-zone-id'] ||
          (await findZoneId(cloudflare, config.domain, `domain in ${values['environment-file']}`)),
      }
    : undefined;
  const albDnsName =
    values['alb-dns-name'] ||
    (values['dns-mode'] === 'record' ? await readListenerDnsName(ctx.aws.elbv2, config.listenerArn) : '');

  const octokit = values['github-deployment'] ? await ctx.github(values['github-token']) : undefined;
  const deploymentId = octokit
    ? await createPreviewDeployment({
        octokit,
        repo: ctx.run.repo,
        pr,
        ref: readHeadSha(ctx, values),
        description: `Preview of #${pr}`,
      })
    : undefined;
  const status = (state: 'in_progress' | 'success' | 'failure', environmentUrl?: string) =>
    octokit && deploymentId !== undefined
      ? setDeploymentStatus({
          octokit,
          repo: ctx.run.repo,
          deploymentId,
          state,
          ...(environmentUrl && { environmentUrl }),
        })
      : Promise.resolve();
  await status('in_progress');

  // One store per registry host, shared by every service's digest lookup (one token exchange, not one each).
  const storeFor = createActionStoreResolver(
    ctx,
    values['registry-username'] ? { username: values['registry-username'], password: values['registry-password'] } : {},
  );
  let result: DeployPreviewResult;
  try {
    result = await deployPreview(
      {
        config,
        ...(template && { template }),
        pr,
        repo,
        region: ctx.aws.region,
        digests,
        ...(values.sha && { commit: values.sha }),
        dnsMode: values['dns-mode'],
        albDnsName,
        ...(basicAuth && { basicAuth }),
        prices: {
          compute: {
            kind: 'fargate',
            vcpuHour: Number(values['price-vcpu-hour']),
            gbHour: Number(values['price-gb-hour']),
          },
        },
        waitTimeoutMs: values['wait-timeout'] * 1000,
        healthTimeoutMs: values['health-timeout'] * 1000,
      },
      {
        ecs: ctx.aws.ecs,
        elbv2: ctx.aws.elbv2,
        ...(dns && { dns }),
        resolveDigest: async (image) => {
          try {
            const ref = parseImageReference(image);
            if (ref.digest) return ref.digest;
            const store = await storeFor(ref.host);
            const found = await store.headManifest(ref.repository, ref.tag ?? 'latest');
            return found ? found.digest : null;
          } catch (error) {
            ctx.log.debug(`Digest lookup of ${image} failed: ${(error as Error).message}`);
            return undefined;
          }
        },
        clock: ctx.clock,
        log: ctx.log,
      },
    );
  } catch (error) {
    await status('failure');
    throw error;
  }
  await status(result.failure ? 'failure' : 'success', result.url);

  const out: Record<keyof typeof outputs, string | object> = {
    environment: result.environment,
    url: result.url,
    urls: result.urls,
    services: Object.fromEntries(
      result.services.map((s) => [
        s.name,
        { 'service-name': s.serviceName, image: s.image, 'task-definition': s.taskDefinition, action: s.action },
      ]),
    ),
    'expires-at': result.expiresAt?.toISOString() ?? '',
    'estimated-cost-per-day': result.cost.totalUsd.toFixed(2),
  };
  writeOutputs(ctx.io, out);
  await ctx.io.appendSummary(renderSummary(result, basicAuth));
  if (result.failure) throw new ReportedFailure(result.failure);
  ctx.log.info(`${result.environment} is ready at ${result.url}`);
}
