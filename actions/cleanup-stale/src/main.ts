import {
  type ActionContext,
  ConfigurationError,
  readInputs,
  renderTable,
  ReportedFailure,
} from '@preview-actions/core/action';
import type { AwsServices } from '@preview-actions/core/aws';
import { createCloudflareClient, findZoneId } from '@preview-actions/core/dns';
import { createRedisClient, sweepPreviews, type SweepResult } from '@preview-actions/core/lifecycle';
import { inputs } from './contract.js';
import { runExtend } from './extend.js';
import { runRestart } from './restart.js';
import { writeModeOutputs } from './write-mode-outputs.js';

function renderSummary(result: SweepResult, single: boolean): string {
  const verb = (done: string, planned: string) => (result.dryRun || result.aborted ? planned : done);
  let markdown = `### ${result.dryRun ? 'Preview cleanup plan (dry run)' : single ? 'Preview teardown' : 'Preview cleanup sweep'}\n\n`;
  if (result.aborted) markdown += `**Aborted:** ${result.aborted}\n\n`;
  const rows = result.plan.map((d) => {
    const failure = result.failures.find((f) => f.pr === d.pr);
    const env = result.inventory.get(d.pr);
    const held = env
      ? `${env.services.length} services, ${env.targetGroupArns.length} target groups, ${env.ruleArns.length} rules, ${env.dnsRecords.length} DNS, ${env.logStreams.length} log streams`
      : '';
    const action =
      d.action === 'skip'
        ? 'skip'
        : failure
          ? `${d.action} failed${failure.step ? ` at ${failure.step}` : ''}`
          : verb(`${d.action}d`, `would ${d.action}`);
    return [`#${d.pr}`, action, d.reason, held, failure?.error ?? ''];
  });
  markdown += rows.length
    ? renderTable(['PR', 'Action', 'Why', 'Resources', 'Error'], rows)
    : 'No preview environments found.\n';
  if (result.orphans.length > 0) {
    markdown += '\n#### Look-alikes without our tags (left alone)\n\n';
    markdown += renderTable(
      ['Kind', 'Name'],
      result.orphans.map((o) => [o.kind, o.name]),
    );
  }
  if (result.missing.length > 0) {
    markdown += `\n#### Pull requests GitHub says do not exist (left alone)\n\n${result.missing.map((n) => `- #${n}: tear it down with \`pr-number: ${n}\` if it is no longer needed`).join('\n')}\n`;
  }
  if (result.warned.length > 0) {
    markdown += `\n#### Warned of their expiry\n\n${result.warned.map((w) => `- #${w.pr}: expires ${w.expiresAt}`).join('\n')}\n`;
  }
  if (result.warnings.length > 0)
    markdown += `\n#### Warnings\n\n${result.warnings.map((w) => `- ${w.replace(/[<>&]/g, '')}`).join('\n')}\n`;
  return markdown;
}

/** Tears down one PR's preview, or sweeps them all: closed PRs deleted, idle or expired ones hibernated then deleted. */
export async function run(ctx: ActionContext<AwsServices>): Promise<void> {
  const values = readInputs(ctx.io, inputs);
  const cloudflareToken = values['cloudflare-api-token'] || ctx.env.CLOUDFLARE_API_TOKEN || '';
  ctx.io.setSecret(values['github-token']);
  ctx.io.setSecret(cloudflareToken);
  ctx.io.setSecret(values['redis-url']);
  const pr = values['pr-number'] ? Number(values['pr-number']) : undefined;
  if (values.extend && values.restart) {
    throw new ConfigurationError("Inputs 'extend' and 'restart' are both set: keep one");
  }
  if ((values.extend || values.restart) && values['dry-run']) {
    throw new ConfigurationError(
      `Input 'dry-run' plans a sweep or teardown only, but '${values.extend ? 'extend' : 'restart'}' is set: drop one of them`,
    );
  }
  if (values.restart) {
    await runRestart(ctx, { pr, cluster: values.cluster, timeoutMinutes: values['restart-timeout-minutes'] });
    return;
  }
  if (values.extend) {
    await runExtend(ctx, {
      pr,
      duration: values.extend,
      maxExtend: values['max-extend'],
      cluster: values.cluster,
      listenerArn: values['listener-arn'],
    });
    return;
  }
  const wantsDns = Boolean(values['cloudflare-zone-id'] || values['preview-domain']);
  if (wantsDns && !cloudflareToken) {
    throw new ConfigurationError(
      "DNS cleanup needs a token: set 'cloudflare-api-token' or CLOUDFLARE_API_TOKEN, or leave cloudflare-zone-id and preview-domain empty",
    );
  }
  if (cloudflareToken && !wantsDns) {
    // The token alone cannot say which zone holds the previews' records: without this they would be left behind.
    ctx.log.warning(
      "A Cloudflare token is set but neither 'cloudflare-zone-id' nor 'preview-domain': DNS records are not removed; set preview-domain to the environment file's domain (or cloudflare-zone-id)",
    );
  }
  if (values['redis-url'] && !/^rediss?:\/\//.test(values['redis-url'])) {
    throw new ConfigurationError("Input 'redis-url' must start with redis:// or rediss://");
  }
  const cloudflare = wantsDns ? createCloudflareClient(cloudflareToken, ctx.env) : undefined;
  const zoneId = cloudflare
    ? values['cloudflare-zone-id'] || (await findZoneId(cloudflare, values['preview-domain']))
    : '';
  const redis = values['redis-url'] && !values['dry-run'] ? createRedisClient(values['redis-url']) : undefined;
  let result: SweepResult;
  try {
    result = await sweepPreviews(
      {
        scope: {
          repo: `${ctx.run.repo.owner}/${ctx.run.repo.repo}`,
          cluster: values.cluster,
          ...(values['listener-arn'] ? { listenerArn: values['listener-arn'] } : {}),
          ...(values['log-group'] ? { logGroup: values['log-group'] } : {}),
          ...(values['name-prefix'] ? { namePrefix: values['name-prefix'] } : {}),
        },
        ...(pr !== undefined ? { pr } : {}),
        policy: {
          maxIdleHours: values['max-idle-hours'],
          hibernateGraceHours: values['hibernate-grace-hours'],
          keepLabel: values['keep-label'],
          useLogActivity: values['use-log-activity'],
          expiryWarningHours: values['expiry-warning-hours'],
        },
        dryRun: values['dry-run'],
        maxDeletions: values['max-deletions'],
        notify: values.notify,
        run: { runId: ctx.run.runId, runAttempt: ctx.run.runAttempt },
      },
      {
        ecs: ctx.aws.ecs,
        elbv2: ctx.aws.elbv2,
        logs: ctx.aws.logs,
        ...(cloudflare ? { dns: { client: cloudflare, zoneId } } : {}),
        ...(redis ? { redis } : {}),
        clock: ctx.clock,
        log: ctx.log,
        repo: ctx.run.repo,
        github: () => ctx.github(values['github-token']),
      },
    );
  } finally {
    redis?.disconnect();
  }

  writeModeOutputs(ctx.io, {
    deleted: result.deleted.map(({ pr: n, reason }) => ({ pr: n, reason })),
    hibernated: result.hibernated,
    skipped: result.skipped,
    orphans: result.orphans,
    failed: result.failures,
    missing: result.missing,
  });
  await ctx.io.appendSummary(renderSummary(result, pr !== undefined));
  for (const warning of result.warnings) ctx.log.warning(warning);
  if (result.aborted) throw new ReportedFailure(result.aborted);
  if (result.failures.length > 0) {
    throw new ReportedFailure(
      `${result.failures.length} environment(s) could not be cleaned up: ${result.failures.map((f) => `#${f.pr}`).join(', ')}; see the job summary`,
    );
  }
  ctx.log.info(
    `${result.dryRun ? 'Dry run: would delete' : 'Deleted'} ${result.deleted.length}, ${result.dryRun ? 'would hibernate' : 'hibernated'} ${result.hibernated.length}, skipped ${result.skipped.length}, ${result.orphans.length} look-alike(s).`,
  );
}
