import {
  type ActionContext,
  ConfigurationError,
  readInputs,
  renderTable,
  ReportedFailure,
  writeOutputs,
} from '@preview-actions/core/action';
import type { AwsServices } from '@preview-actions/core/aws';
import { renderDiagnosticsMarkdown } from '@preview-actions/core/ecs';
import { notifyWebhook } from '@preview-actions/core/notify';
import { createActionStoreResolver } from '@preview-actions/core/registry';
import {
  promoteRelease,
  readPromotionTargets,
  recordPromotion,
  resolveServiceImages,
  type EcsRollout,
  type PromoteReleaseResult,
} from '@preview-actions/core/release';
import { inputs, type outputs } from './contract.js';

type Inputs = ReturnType<typeof readInputs<typeof inputs>>;

function readRollout(
  ctx: ActionContext<AwsServices>,
  values: Inputs,
  services: readonly string[],
): EcsRollout | undefined {
  const mapping = values['ecs-services'];
  if (!values.cluster && mapping.size === 0) return undefined;
  if (!values.cluster)
    throw new ConfigurationError("Input 'ecs-services' is set but 'cluster' is empty: name the ECS cluster");
  if (mapping.size === 0) {
    throw new ConfigurationError(
      "Input 'cluster' is set but 'ecs-services' is empty: add service=ecs-service-name lines",
    );
  }
  for (const service of mapping.keys()) {
    if (!services.includes(service)) {
      throw new ConfigurationError(
        `Input 'ecs-services' maps '${service}', which is not in 'services': add it there or fix the name`,
      );
    }
  }
  return {
    ecs: ctx.aws.ecs,
    cluster: values.cluster,
    services: mapping,
    timeoutMs: values['wait-timeout'] * 1000,
    verifyRunningDigest: values['verify-running-digest'],
    rollbackOnFailure: values['rollback-on-failure'],
  };
}

function renderSummary(result: PromoteReleaseResult, sourceTag: string, dryRun: boolean): string {
  const rows = result.services.flatMap((s) =>
    s.plan.map((t) => [
      s.service,
      { markdown: `\`${s.image}:${t.tag}\`` },
      dryRun ? `would ${t.action}` : t.action,
      t.previousDigest ?? '',
      s.digest,
    ]),
  );
  let markdown = `### ${dryRun ? 'Promotion plan (dry run)' : 'Promotion'} of ${sourceTag}\n\n`;
  markdown += renderTable(['Service', 'Tag', 'Action', 'Held before', 'Digest'], rows);
  if (result.rollout.length > 0) {
    markdown += '\n#### ECS\n\n';
    markdown += renderTable(
      ['ECS service', 'State', 'Why'],
      [...result.rollout, ...result.rollbackRollout].map((o) => [o.service, o.state, o.reason]),
    );
    const diagnostics = result.rollout.flatMap((o) => (o.diagnostics ? [o.diagnostics] : []));
    if (diagnostics.length > 0) markdown += `\n${renderDiagnosticsMarkdown(diagnostics)}`;
  }
  if (result.failure) markdown += `\n**Failed:** ${result.failure.replace(/[<>&]/g, '')}\n`;
  return markdown;
}

/** Promotes the exact source image of every service to the target tags, then redeploys ECS. */
export async function run(ctx: ActionContext<AwsServices>): Promise<void> {
  const values = readInputs(ctx.io, inputs);
  ctx.io.setSecret(values['registry-password']);
  ctx.io.setSecret(values['notify-webhook']);
  ctx.io.setSecret(values['github-token']);
  const images = resolveServiceImages(values.services, values.image, values.registry);
  const targets = readPromotionTargets(values['target-tags'], values['source-tag']);
  const rollout = readRollout(ctx, values, values.services);

  const storeFor = createActionStoreResolver(ctx, {
    registryType: values['registry-type'],
    username: values['registry-username'],
    password: values['registry-password'],
  });

  const result = await promoteRelease(
    { images, sourceTag: values['source-tag'], targets, dryRun: values['dry-run'], ...(rollout && { rollout }) },
    { storeFor, clock: ctx.clock, log: ctx.log },
  );

  if (!values['dry-run']) {
    await recordPromotion({
      octokit: () => ctx.github(values['github-token']),
      repo: ctx.run.repo,
      sourceTag: values['source-tag'],
      targets,
      result,
      logUrl: `${ctx.run.serverUrl}/${ctx.run.repo.owner}/${ctx.run.repo.repo}/actions/runs/${ctx.run.runId}`,
      log: ctx.log,
    });
  }

  const out: Record<keyof typeof outputs, unknown> = {
    digests: Object.fromEntries(result.services.map((s) => [s.service, s.digest])),
    'previous-digests': result.previousDigests,
    deployed: String(result.deployed),
    'rolled-back': String(result.rolledBack),
  };
  writeOutputs(ctx.io, out as Record<keyof typeof outputs, string | object>);
  await ctx.io.appendSummary(renderSummary(result, values['source-tag'], values['dry-run']));

  const verdict = result.failure ?? `${values['source-tag']} promoted to ${values['target-tags'].join(', ')}`;
  if (values['notify-webhook'] && !values['dry-run']) await notifyWebhook(values['notify-webhook'], verdict, ctx.log);
  if (result.failure) throw new ReportedFailure(result.failure);
  ctx.log.info(values['dry-run'] ? `Dry run: nothing written. ${result.services.length} service(s) planned.` : verdict);
}
