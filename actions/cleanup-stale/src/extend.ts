import { type ActionContext, ConfigurationError } from '@preview-actions/core/action';
import type { AwsServices } from '@preview-actions/core/aws';
import { extendEnvironment } from '@preview-actions/core/lifecycle';
import { parseDuration } from '@preview-actions/core/preview';
import { writeModeOutputs } from './write-mode-outputs.js';

/** What the extend mode reads from the inputs. */
export interface ExtendInputs {
  pr: number | undefined;
  duration: string;
  maxExtend: string;
  cluster: string;
  listenerArn: string;
}

/**
 * The extend mode (`/extend`): re-tags one environment's expiry so the idle sweep skips it until then.
 * Both durations are read before AWS is asked anything, so a bad one changes nothing.
 */
export async function runExtend(ctx: ActionContext<AwsServices>, values: ExtendInputs): Promise<void> {
  if (values.pr === undefined) {
    throw new ConfigurationError("Input 'extend' needs 'pr-number': set the pull request whose preview to keep");
  }
  parseDuration(values.duration);
  const maxAheadMs = parseDuration(values.maxExtend);
  const result = await extendEnvironment({
    ecs: ctx.aws.ecs,
    elbv2: ctx.aws.elbv2,
    cluster: values.cluster,
    ...(values.listenerArn ? { listenerArn: values.listenerArn } : {}),
    repo: `${ctx.run.repo.owner}/${ctx.run.repo.repo}`,
    pr: values.pr,
    duration: values.duration,
    maxAheadMs,
    now: ctx.clock.now(),
  });
  const expiresAt = result.expiresAt.toISOString();
  writeModeOutputs(ctx.io, {
    skipped: [{ pr: values.pr, reason: `extended until ${expiresAt}` }],
    'expires-at': expiresAt,
  });
  const was = result.previousExpiresAt ? ` (was ${result.previousExpiresAt.toISOString()})` : '';
  const capped = result.capped ? `, capped by max-extend (${values.maxExtend.trim()})` : '';
  await ctx.io.appendSummary(
    `### Preview extended\n\n#${values.pr} ${result.realExpiry ? 'now expires at' : 'stays out of the idle sweep until'} ${expiresAt}${was}${capped}; ${result.tagged} resources re-tagged.\n`,
  );
  ctx.log.info(`Preview #${values.pr} extended until ${expiresAt}${capped}.`);
}
