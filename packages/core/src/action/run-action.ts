import { isConfigurationError, ReportedFailure } from './errors.js';
import { explainFailure, type ExplainOptions } from './explain-failure.js';
import type { ActionContext } from './context.js';
import { toOneLine } from './quote.js';

/**
 * Runs an action's main function and turns what it throws into the runner's terms:
 * a {@link ConfigurationError} becomes one line "<action> failed: <what to fix>" with
 * no stack, and so does a backend's refusal of the user's credentials or permissions
 * ({@link explainFailure}); any other error is ours, so its stack goes to the debug log. All exit 1.
 * @param options.settingsFrom where the action's cluster, listener and network ids are written (deploy-pr-env:
 *   its environment file), so a missing one is named where the user wrote it.
 */
export async function runAction<C extends ActionContext>(
  name: string,
  main: (ctx: C) => Promise<void>,
  ctx: C,
  options: ExplainOptions = {},
): Promise<boolean> {
  try {
    await main(ctx);
    return true;
  } catch (error) {
    const known = isConfigurationError(error) || error instanceof ReportedFailure;
    const explained = known ? undefined : explainFailure(error, options);
    const message = explained?.message ?? (error instanceof Error ? error.message : String(error));
    ctx.io.error(`${name} failed: ${toOneLine(message)}`);
    const ours = !known && !explained?.usersToFix;
    if (ours && error instanceof Error && error.stack) ctx.io.debug(error.stack);
    process.exitCode = 1;
    return false;
  }
}
