import {
  type ActionContext,
  readInputs,
  renderTable,
  ReportedFailure,
  writeOutputs,
} from '@preview-actions/core/action';
import type { AwsServices } from '@preview-actions/core/aws';
import {
  isWithinOperatingHours,
  parseOperatingWindows,
  parseScaleProfile,
  readDailyOperatingHours,
  readLocalTime,
  scaleEnvironments,
  type ScaleResult,
} from '@preview-actions/core/lifecycle';
import { inputs, type outputs } from './contract.js';

function renderSummary(result: ScaleResult, dryRun: boolean): string {
  let markdown = `### Preview scale schedule: ${result.direction === 'down' ? 'reduced profile' : 'full capacity'}${dryRun ? ' (dry run)' : ''}\n\n`;
  markdown += result.changes.length
    ? renderTable(
        ['PR', 'Service', 'From', 'To'],
        result.changes.map((c) => [`#${c.pr}`, c.service, c.from, c.to]),
      )
    : 'Nothing to change.\n';
  markdown += `\nEstimated saving: **$${result.dailySavingUsd.toFixed(2)} a day**.\n`;
  if (result.hibernated.length)
    markdown += `\nHibernated, left alone: ${result.hibernated.map((n) => `#${n}`).join(', ')}\n`;
  if (result.failures.length) {
    markdown +=
      '\n#### Failures\n\n' +
      renderTable(
        ['PR', 'Service', 'Error'],
        result.failures.map((f) => [`#${f.pr}`, f.service, f.error]),
      );
  }
  return markdown;
}

/** Scales preview environments to a reduced profile outside operating hours and back inside them. */
export async function run(ctx: ActionContext<AwsServices>): Promise<void> {
  const values = readInputs(ctx.io, inputs);
  const windows = parseOperatingWindows(values['full-capacity-windows']);
  const profile = parseScaleProfile(values['reduced-profile']);
  const now = ctx.clock.now();
  readLocalTime(now, values.timezone);
  const direction =
    values.mode === 'auto' ? (isWithinOperatingHours(windows, now, values.timezone) ? 'up' : 'down') : values.mode;
  const result = await scaleEnvironments({
    ecs: ctx.aws.ecs,
    cluster: values.cluster,
    repo: `${ctx.run.repo.owner}/${ctx.run.repo.repo}`,
    direction,
    profile,
    reducedHoursPerDay: 24 - readDailyOperatingHours(windows),
    dryRun: values['dry-run'],
    log: ctx.log,
  });
  const out: Record<keyof typeof outputs, string | object> = {
    direction,
    changed: result.changes,
    'daily-saving-usd': result.dailySavingUsd.toFixed(2),
  };
  writeOutputs(ctx.io, out);
  await ctx.io.appendSummary(renderSummary(result, values['dry-run']));
  if (result.failures.length > 0)
    throw new ReportedFailure(`${result.failures.length} service(s) could not be scaled; see the job summary`);
  ctx.log.info(
    `Scaled ${direction}: ${result.changes.length} service(s) changed, about $${result.dailySavingUsd.toFixed(2)} a day saved.`,
  );
}
