import { type ActionContext, readInputs, ReportedFailure } from '@preview-actions/core/action';
import type { AwsServices } from '@preview-actions/core/aws';
import { renderWaitOutcomesMarkdown } from '@preview-actions/core/ecs';
import { createActionStoreResolver } from '@preview-actions/core/registry';
import { describeManualRecovery, rollBackRelease, type RollbackPlan } from '@preview-actions/core/release';
import { inputs } from './contract.js';
import { ROLLBACK_STATE } from './main.js';

function readPlan(saved: string): RollbackPlan | undefined {
  if (!saved) return undefined;
  const plan = JSON.parse(saved) as RollbackPlan;
  return Array.isArray(plan.tags) && Array.isArray(plan.ecsServices) ? plan : undefined;
}

/**
 * The post step: when the main step was cancelled or died between moving the tags and settling
 * the deployment, it left its rollback plan in the step state; this finishes the rollback (tags
 * by compare-and-swap, a new deployment of the restored tags, waited for). With no plan saved
 * (the main step finished, or never wrote) it does nothing.
 */
export async function runPost(ctx: ActionContext<AwsServices>): Promise<void> {
  const plan = readPlan(ctx.io.getState(ROLLBACK_STATE));
  if (!plan) {
    ctx.log.debug('retag-promote post: nothing left to roll back');
    return;
  }
  const values = readInputs(ctx.io, inputs);
  ctx.io.setSecret(values['registry-password']);
  ctx.io.setSecret(values['notify-webhook']);
  ctx.io.setSecret(values['github-token']);
  if (!values['rollback-on-failure']) {
    ctx.log.warning(`The promotion did not finish and rollback-on-failure is false. ${describeManualRecovery(plan)}`);
    return;
  }
  ctx.log.warning('The promotion did not finish (cancelled or interrupted): rolling back');
  const storeFor = createActionStoreResolver(ctx, {
    registryType: values['registry-type'],
    username: values['registry-username'],
    password: values['registry-password'],
  });
  try {
    const report = await rollBackRelease(plan, undefined, {
      storeFor,
      ...(plan.cluster && { ecs: ctx.aws.ecs }),
      clock: ctx.clock,
      log: ctx.log,
      timeoutMs: values['wait-timeout'] * 1000,
      verifyRunningDigest: values['verify-running-digest'],
    });
    ctx.io.saveState(ROLLBACK_STATE, '');
    if (report.rollout.length > 0) {
      await ctx.io.appendSummary(
        `### Rollback after an unfinished promotion\n\n${renderWaitOutcomesMarkdown(report.rollout)}`,
      );
    }
    const unstable = report.rollout.filter((o) => o.state !== 'stable');
    if (unstable.length > 0) {
      throw new ReportedFailure(
        `Rolled back the tags, but ${unstable.map((o) => `${o.service} ${o.state}: ${o.reason}`).join('; ')}`,
      );
    }
    ctx.log.info(`Rolled back ${report.tags.length} tag(s) and ${report.ecs.length} ECS service(s)`);
  } catch (error) {
    if (error instanceof ReportedFailure) throw error;
    throw new Error(
      `The rollback after an unfinished promotion failed (${error instanceof Error ? error.message : String(error)}). ${describeManualRecovery(plan)}`,
      { cause: error },
    );
  }
}
