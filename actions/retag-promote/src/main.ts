import {
  type ActionContext,
  ConfigurationError,
  readInputs,
  renderTable,
  ReportedFailure,
  writeOutputs,
} from '@preview-actions/core/action';
import { createAwsClients, type AwsServices } from '@preview-actions/core/aws';
import { renderWaitOutcomesMarkdown } from '@preview-actions/core/ecs';
import {
  notifyWebhook,
  resolveNotifyFormat,
  type NotifyFormat,
  type ReleaseNotice,
} from '@preview-actions/core/notify';
import { createActionStoreResolver } from '@preview-actions/core/registry';
import {
  checkEcsServiceMapping,
  finishPromotionRecord,
  promoteRelease,
  readPromotionTargets,
  readRecordedPreviousDigests,
  resolveServiceImages,
  startPromotionRecord,
  type EcsRollout,
  type PromoteReleaseResult,
  type PromotionRecord,
} from '@preview-actions/core/release';
import { inputs, type outputs } from './contract.js';

type Inputs = ReturnType<typeof readInputs<typeof inputs>>;

/** The state key under which the main step leaves an unfinished rollback for the post step. */
export const ROLLBACK_STATE = 'rollback-plan';

function readRollout(
  ctx: ActionContext<AwsServices>,
  values: Inputs,
  services: readonly string[],
): EcsRollout | undefined {
  const pairs = values['ecs-services'];
  if (!values.cluster && pairs.length === 0) return undefined;
  if (!values.cluster)
    throw new ConfigurationError("Input 'ecs-services' is set but 'cluster' is empty: name the ECS cluster");
  if (pairs.length === 0) {
    throw new ConfigurationError(
      "Input 'cluster' is set but 'ecs-services' is empty: add service=ecs-service-name lines",
    );
  }
  const mapping = checkEcsServiceMapping(pairs, services);
  return {
    ecs: ctx.aws.ecs,
    // Built again from the environment and the shared files: after a failed wait the first client's
    // credentials may be what failed, and a credential helper may have renewed them since.
    freshEcs: () => createAwsClients(ctx.env, { rereadCredentials: true }).ecs,
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
  if (result.rollout.length > 0) markdown += `\n#### ECS\n\n${renderWaitOutcomesMarkdown(result.rollout)}`;
  if (result.rollbackRollout.length > 0) {
    markdown += `\n#### ECS rollback\n\n${renderWaitOutcomesMarkdown(result.rollbackRollout)}`;
  }
  if (result.failure) markdown += `\n**Failed:** ${result.failure.replace(/[<>&]/g, '')}\n`;
  return markdown;
}

function ecsOutcomes(result: PromoteReleaseResult): object[] {
  const pick = (rollback: boolean) => (o: PromoteReleaseResult['rollout'][number]) => ({
    service: o.service,
    state: o.state,
    reason: o.reason,
    judgedBy: o.judgedBy,
    ...(o.serviceDeploymentArn && { serviceDeploymentArn: o.serviceDeploymentArn }),
    ...(o.deploymentStatus && { deploymentStatus: o.deploymentStatus }),
    ...(rollback && { rollback: true }),
  });
  return [...result.rollout.map(pick(false)), ...result.rollbackRollout.map(pick(true))];
}

/** Tells the webhook, when one is set; a failing webhook only warns. */
async function notify(
  ctx: ActionContext,
  values: Inputs,
  format: NotifyFormat | undefined,
  notice: Omit<ReleaseNotice, 'title' | 'runUrl'>,
): Promise<void> {
  if (!format || values['dry-run']) return;
  const title = `${values['source-tag']} → ${values['target-tags'].join(', ')}`;
  const runUrl = `${ctx.run.serverUrl}/${ctx.run.repo.owner}/${ctx.run.repo.repo}/actions/runs/${ctx.run.runId}`;
  await notifyWebhook(values['notify-webhook'], format, { ...notice, title, runUrl }, ctx.log);
}

/** Promotes the exact source image of every service to the target tags, then redeploys ECS. */
export async function run(ctx: ActionContext<AwsServices>): Promise<void> {
  const values = readInputs(ctx.io, inputs);
  ctx.io.setSecret(values['registry-password']);
  ctx.io.setSecret(values['notify-webhook']);
  ctx.io.setSecret(values['github-token']);
  const format = values['notify-webhook']
    ? resolveNotifyFormat(values['notify-webhook'], values['notify-format'])
    : undefined;
  const images = resolveServiceImages(values.services, values.image, values.registry);
  const targets = readPromotionTargets(values['target-tags'], values['source-tag']);
  const rollout = readRollout(ctx, values, values.services);

  const storeFor = createActionStoreResolver(ctx, {
    registryType: values['registry-type'],
    username: values['registry-username'],
    password: values['registry-password'],
  });
  const logUrl = `${ctx.run.serverUrl}/${ctx.run.repo.owner}/${ctx.run.repo.repo}/actions/runs/${ctx.run.runId}`;
  const recordTarget = {
    octokit: () => ctx.github(values['github-token']),
    repo: ctx.run.repo,
    sourceTag: values['source-tag'],
    targets,
    log: ctx.log,
  };
  const recordedPreviousDigests = values['dry-run'] || !rollout ? {} : await readRecordedPreviousDigests(recordTarget);

  let record: PromotionRecord | undefined;
  let result: PromoteReleaseResult;
  try {
    result = await promoteRelease(
      {
        images,
        sourceTag: values['source-tag'],
        targets,
        dryRun: values['dry-run'],
        recordedPreviousDigests,
        ...(rollout && { rollout }),
      },
      {
        storeFor,
        clock: ctx.clock,
        log: ctx.log,
        beforeWrite: async (planned) => {
          record = await startPromotionRecord({ ...recordTarget, result: planned, logUrl });
        },
        saveRollbackPlan: (plan) => ctx.io.saveState(ROLLBACK_STATE, plan ? JSON.stringify(plan) : ''),
      },
    );
  } catch (error) {
    await notify(ctx, values, format, {
      outcome: 'failure',
      text: error instanceof Error ? error.message : String(error),
      facts: [],
    });
    throw error;
  }

  if (record) await finishPromotionRecord({ ...recordTarget, record, result, logUrl });

  const out: Record<keyof typeof outputs, unknown> = {
    digests: Object.fromEntries(result.services.map((s) => [s.service, s.digest])),
    'previous-digests': result.previousDigests,
    deployed: String(result.deployed),
    'rolled-back': String(result.rolledBack),
    'ecs-outcomes': ecsOutcomes(result),
  };
  writeOutputs(ctx.io, out as Record<keyof typeof outputs, string | object>);
  await ctx.io.appendSummary(renderSummary(result, values['source-tag'], values['dry-run']));

  const verdict = result.failure ?? `${values['source-tag']} promoted to ${values['target-tags'].join(', ')}`;
  await notify(ctx, values, format, {
    outcome: result.failure ? (result.rolledBack ? 'rolled-back' : 'failure') : 'success',
    text: verdict,
    facts: [
      ...result.services.map((s): [string, string] => [s.service, s.digest]),
      ...(rollout ? [['Cluster', rollout.cluster] as [string, string]] : []),
    ],
  });
  if (result.failure) throw new ReportedFailure(result.failure);
  ctx.log.info(values['dry-run'] ? `Dry run: nothing written. ${result.services.length} service(s) planned.` : verdict);
}
