import { type ActionContext, readInputs, renderHeading, renderTable, writeOutputs } from '@preview-actions/core/action';
import { createGitHubTagSource } from '@preview-actions/core/github';
import { classifyTag, validatePrefix } from '@preview-actions/core/tags';
import { inputs, type outputs } from './contract.js';

/** Classifies a version tag and publishes what it means for the release. */
export async function run(ctx: ActionContext): Promise<void> {
  const values = readInputs(ctx.io, inputs);
  validatePrefix(values.prefix);
  ctx.io.setSecret(values['github-token']);
  // The API is only reached for a release, so a missing token fails only where it is needed.
  const source = createGitHubTagSource(() => ctx.github(values['github-token']), ctx.run.repo);
  const result = await classifyTag(
    {
      tag: values.tag,
      prefix: values.prefix,
      envTags: values['env-tags'],
      requireRc: values['require-rc'],
      requireSameCommit: values['require-same-commit'],
    },
    source,
  );
  const out: Record<keyof typeof outputs, string | number> = {
    kind: result.kind,
    'is-rc': String(result.kind === 'rc'),
    'is-release': String(result.kind === 'release'),
    tag: result.tag,
    version: result.version,
    base: result.base,
    major: result.major,
    minor: result.minor,
    patch: result.patch,
    rc: result.rc ?? '',
    'env-tag': result.envTag,
    'latest-rc': result.latestRc,
    'latest-rc-sha': result.latestRcSha,
  };
  writeOutputs(ctx.io, out);
  ctx.log.info(
    `${result.tag} is ${result.kind === 'rc' ? 'a release candidate' : `a ${result.kind}`} of ${result.base}`,
  );
  await ctx.io.appendSummary(
    renderHeading(`Tag ${result.tag}`) +
      renderTable(
        ['Output', 'Value'],
        Object.entries(out).map(([key, value]) => [key, String(value)]),
      ),
  );
}
