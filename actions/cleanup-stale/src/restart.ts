import { type ActionContext, ConfigurationError, ReportedFailure } from '@preview-actions/core/action';
import type { AwsServices } from '@preview-actions/core/aws';
import { renderWaitOutcomesMarkdown } from '@preview-actions/core/ecs';
import { restartEnvironment } from '@preview-actions/core/lifecycle';
import { writeModeOutputs } from './write-mode-outputs.js';

/** What the restart mode reads from the inputs. */
export interface RestartInputs {
  pr: number | undefined;
  cluster: string;
  timeoutMinutes: number;
}

/** The restart mode (`/restart`): new tasks for one environment's running services, waited for. */
export async function runRestart(ctx: ActionContext<AwsServices>, values: RestartInputs): Promise<void> {
  if (values.pr === undefined) {
    throw new ConfigurationError("Input 'restart' needs 'pr-number': set the pull request whose preview to restart");
  }
  const outcomes = await restartEnvironment({
    ecs: ctx.aws.ecs,
    cluster: values.cluster,
    repo: `${ctx.run.repo.owner}/${ctx.run.repo.repo}`,
    pr: values.pr,
    clock: ctx.clock,
    log: ctx.log,
    timeoutMs: values.timeoutMinutes * 60_000,
  });
  writeModeOutputs(ctx.io, {
    restarted: outcomes.map(({ service, state, reason }) => ({ service, state, reason })),
  });
  await ctx.io.appendSummary(`### Preview restart of #${values.pr}\n\n${renderWaitOutcomesMarkdown(outcomes)}\n`);
  const unstable = outcomes.filter((o) => o.state !== 'stable');
  if (unstable.length > 0) {
    throw new ReportedFailure(
      `${unstable.length} of ${outcomes.length} service(s) of #${values.pr} did not come back: ${unstable.map((o) => `${o.service} ${o.state}`).join(', ')}; see the job summary`,
    );
  }
  ctx.log.info(`Preview #${values.pr} restarted: ${outcomes.map((o) => o.service).join(', ')} stable.`);
}
