import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ActionContext, readInputs, renderTable, writeOutputs } from '@preview-actions/core/action';
import type { AwsServices } from '@preview-actions/core/aws';
import {
  buildDoubleTag,
  createBuildahBuilder,
  createDockerBuilder,
  createExecRunner,
  createImageLabels,
  readBuildTargets,
  readEcrTagImmutability,
  renderTagTemplate,
} from '@preview-actions/core/build';
import {
  createActionStoreResolver,
  detectRegistryType,
  loginToEcr,
  parseEcrHost,
  renderImagePattern,
} from '@preview-actions/core/registry';
import { inputs, type outputs } from './contract.js';

type Inputs = ReturnType<typeof readInputs<typeof inputs>>;

/** Writes a docker-config auth file (0600) that the builder's push reads; never a command-line secret. */
async function writeAuthFile(ctx: ActionContext, host: string, username: string, password: string): Promise<string> {
  const dir = await mkdtemp(join(ctx.env.RUNNER_TEMP || tmpdir(), 'registry-auth-'));
  const file = join(dir, 'config.json');
  const auth = Buffer.from(`${username}:${password}`).toString('base64');
  ctx.io.setSecret(auth);
  await writeFile(file, JSON.stringify({ auths: { [host]: { auth } } }), { mode: 0o600 });
  await chmod(file, 0o600);
  return file;
}

async function resolveImmutable(ctx: ActionContext<AwsServices>, values: Inputs): Promise<boolean> {
  if (values.immutable !== 'auto') return values.immutable === 'true';
  const sample = renderImagePattern(values.image, { registry: values.registry, service: 'x' }, "Input 'image'");
  const ecr = parseEcrHost(sample.host);
  if (!ecr || detectRegistryType(sample.host) !== 'ecr') return false;
  const repositories = values.services.map(
    (line) =>
      renderImagePattern(values.image, { registry: values.registry, service: line.split('=')[0]!.trim() }).repository,
  );
  return readEcrTagImmutability(ctx.aws.ecr, ecr.registryId, repositories);
}

/** Builds every service once and pushes it under its version, environment and extra tags. */
export async function run(ctx: ActionContext<AwsServices>): Promise<void> {
  const values = readInputs(ctx.io, inputs);
  ctx.io.setSecret(values['registry-password']);
  const targets = readBuildTargets(values.services);
  const extraTags = values['extra-tags'].map((t) =>
    renderTagTemplate(t, { sha: ctx.run.sha, version: values['version-tag'] }),
  );
  const platforms = values.platforms
    .flatMap((p) => p.split(','))
    .map((p) => p.trim())
    .filter(Boolean);
  const runner = await createExecRunner();
  const builder = values.builder === 'buildah' ? createBuildahBuilder(runner) : createDockerBuilder(runner);

  const storeFor = createActionStoreResolver(ctx, {
    username: values['registry-username'],
    password: values['registry-password'],
  });
  const authFileFor = async (host: string) => {
    if (values['registry-username'] && values['registry-password']) {
      return writeAuthFile(ctx, host, values['registry-username'], values['registry-password']);
    }
    if (detectRegistryType(host) === 'ecr') {
      const login = await loginToEcr(ctx.aws.ecr, (secret) => ctx.io.setSecret(secret));
      return writeAuthFile(ctx, host, login.username, login.password);
    }
    return undefined;
  };

  const images = await buildDoubleTag(
    {
      targets,
      imagePattern: values.image,
      registry: values.registry,
      versionTag: values['version-tag'],
      envTag: values['env-tag'],
      extraTags,
      dockerfile: values.dockerfile,
      buildArgs: values['build-args'],
      platforms,
      labels: createImageLabels({
        version: values['version-tag'],
        revision: ctx.run.sha,
        source: `${ctx.run.serverUrl}/${ctx.run.repo.owner}/${ctx.run.repo.repo}`,
        created: ctx.clock.now(),
      }),
      push: values.push,
      immutable: await resolveImmutable(ctx, values),
      workspace: ctx.env.GITHUB_WORKSPACE || process.cwd(),
    },
    { builder, storeFor, authFileFor, log: ctx.log },
  );

  const out: Record<keyof typeof outputs, object> = {
    images: Object.fromEntries(
      images.map((i) => [i.service, { image: i.image, digest: i.digest, tags: i.tags, outcome: i.outcome }]),
    ),
  };
  writeOutputs(ctx.io, out);
  await ctx.io.appendSummary(
    `### Images for ${values['version-tag']}\n\n` +
      renderTable(
        ['Service', 'Image', 'Tags', 'Digest', 'Outcome'],
        images.map((i) => [i.service, i.image, i.tags.join(', '), i.digest || '(not pushed)', i.outcome]),
      ),
  );
}
