import { type ActionContext, readInputs, renderTable, writeOutputs } from '@preview-actions/core/action';
import { createExecRunner } from '@preview-actions/core/build';
import { deployCompose } from '@preview-actions/core/compose';
import { inputs, type outputs } from './contract.js';

/** Runs a version with Docker Compose on a self-hosted runner and waits until it is healthy. */
export async function run(ctx: ActionContext): Promise<void> {
  const values = readInputs(ctx.io, inputs);
  const result = await deployCompose(
    {
      composeFile: values['compose-file'],
      envFile: values['env-file'],
      variable: values.variable,
      version: values.version,
      projectDirectory: values['project-directory'],
      healthUrl: values['health-url'],
      healthTimeoutMs: values['health-timeout'] * 1000,
    },
    { runner: await createExecRunner(), clock: ctx.clock, log: ctx.log },
  );
  const out: Record<keyof typeof outputs, string> = {
    'previous-version': result.previousVersion,
    healthy: String(result.healthy),
  };
  writeOutputs(ctx.io, out);
  await ctx.io.appendSummary(
    `### Compose deployment\n\n${renderTable(['Version', 'Before', 'Healthy'], [[values.version, result.previousVersion || '(unset)', String(result.healthy)]])}`,
  );
}
