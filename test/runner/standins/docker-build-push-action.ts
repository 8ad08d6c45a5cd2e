/**
 * Stands in for docker/build-push-action (v6) with buildah instead of BuildKit: `buildah bud --storage-driver
 * vfs --isolation chroot` of `context`/`file`, then, with `push: true`, a push of the first tag (TLS off: the
 * sandbox's registries are plain HTTP) with the job's registry logins (REGISTRY_AUTH_FILE / DOCKER_CONFIG, from
 * the login stand-ins) and a digest-preserving copy to every further tag, so all tags name one digest.
 *
 * Inputs (the real action.yml's names): context (a path; default `.` in the workspace, where the real action's
 * default is the Git context at the same commit), file, tags, push, labels, build-args, no-cache, pull,
 * platforms (one only). Every other input is refused (load, outputs, cache-from/to, secrets, target, …).
 * Outputs: imageid (the config digest), digest (the pushed manifest's, empty without push), metadata
 * (buildx's metadata-file JSON: containerimage.digest, containerimage.config.digest, image.name).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Standin, StandinResult, StandinStep } from '../standin-api.js';
import { failure, readBooleanInput, refuseUnimplementedInputs } from './standin-result.js';

const run = promisify(execFile);
const STORAGE = ['--storage-driver', 'vfs'];
const IMPLEMENTED = [
  'context',
  'file',
  'tags',
  'push',
  'labels',
  'build-args',
  'no-cache',
  'pull',
  'platforms',
] as const;

/** buildx's list inputs: newline-delimited, commas too for tags and platforms. */
function readList(value: string | undefined, commas: boolean): string[] {
  return (value ?? '')
    .split(commas ? /[\n,]/ : /\n/)
    .map((item) => item.trim())
    .filter(Boolean);
}

async function tool(command: string, args: string[], env: Record<string, string>): Promise<string> {
  try {
    const { stdout } = await run(command, args, {
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 300_000,
    });
    return stdout.trim();
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message).trim();
    throw new Error(`${command} ${args[0]} failed: ${stderr.split('\n').slice(-3).join(' | ')}`, { cause: error });
  }
}

/** The job's registry auth file, as the login stand-ins left it; undefined when no step logged in. */
function authFile(step: StandinStep): string | undefined {
  const candidates = [
    step.env.REGISTRY_AUTH_FILE,
    step.env.DOCKER_CONFIG && join(step.env.DOCKER_CONFIG, 'config.json'),
  ];
  return candidates.find((file): file is string => !!file && existsSync(file));
}

/** See the header. */
export const buildPush: Standin = async (step) => {
  const refused = refuseUnimplementedInputs(step, 'docker/build-push-action', IMPLEMENTED);
  if (refused) return refused;
  let push: boolean;
  let noCache: boolean;
  let pull: boolean;
  try {
    push = readBooleanInput(step, 'push', false);
    noCache = readBooleanInput(step, 'no-cache', false);
    pull = readBooleanInput(step, 'pull', false);
  } catch (error) {
    return failure((error as Error).message);
  }
  const tags = readList(step.inputs.tags, true);
  const platforms = readList(step.inputs.platforms, true);
  if (platforms.length > 1) {
    return failure(
      "docker/build-push-action stand-in: input 'platforms' is implemented for one platform (buildah builds one per run)",
    );
  }
  if (push && tags.length === 0) return failure('tag is needed when pushing to registry');
  const context = resolve(step.workspace, step.inputs.context || '.');
  const file = step.inputs.file
    ? isAbsolute(step.inputs.file)
      ? step.inputs.file
      : resolve(step.workspace, step.inputs.file)
    : join(context, 'Dockerfile');
  if (!existsSync(file)) return failure(`failed to read dockerfile: open ${file}: no such file or directory`);

  const local = `localhost/standin-build/${step.job.jobId}:${Date.now().toString(36)}`;
  const env = { STORAGE_DRIVER: 'vfs', BUILDAH_ISOLATION: 'chroot' };
  const work = mkdtempSync(join(tmpdir(), 'build-push-'));
  try {
    const args = ['bud', ...STORAGE, '--isolation', 'chroot', '--format', 'oci', '--file', file, '--tag', local];
    for (const label of readList(step.inputs.labels, false)) args.push('--label', label);
    for (const arg of readList(step.inputs['build-args'], false)) args.push('--build-arg', arg);
    if (platforms[0]) args.push('--platform', platforms[0]);
    if (noCache) args.push('--no-cache');
    if (pull) args.push('--pull-always');
    args.push(context);
    step.log(`buildah ${args.join(' ')}`);
    await tool('buildah', args, env);
    const imageid = `sha256:${await tool('buildah', ['images', ...STORAGE, '--no-trunc', '--quiet', local], env).then((id) => id.replace(/^sha256:/, '').split('\n')[0])}`;
    const digest = push ? await pushTags(step, local, tags, work, env) : '';
    const metadata = {
      ...(digest ? { 'containerimage.digest': digest } : {}),
      'containerimage.config.digest': imageid,
      'image.name': tags.join(','),
    };
    return {
      outcome: 'success',
      outputs: { imageid, digest, metadata: JSON.stringify(metadata) },
    } satisfies StandinResult;
  } catch (error) {
    return failure((error as Error).message);
  } finally {
    rmSync(work, { recursive: true, force: true });
    await run('buildah', ['rmi', ...STORAGE, '--force', local]).catch(() => undefined);
  }
};

async function pushTags(
  step: StandinStep,
  local: string,
  tags: string[],
  work: string,
  env: Record<string, string>,
): Promise<string> {
  const auth = authFile(step);
  const authArgs = auth ? ['--authfile', auth] : [];
  const digestFile = join(work, 'digest');
  const [first, ...rest] = tags as [string, ...string[]];
  await tool(
    'buildah',
    [
      'push',
      ...STORAGE,
      '--format',
      'oci',
      '--tls-verify=false',
      ...authArgs,
      '--digestfile',
      digestFile,
      local,
      `docker://${first}`,
    ],
    env,
  );
  const digest = readFileSync(digestFile, 'utf8').trim();
  step.log(`pushed ${first}@${digest}`);
  for (const tag of rest) {
    await tool(
      'skopeo',
      [
        'copy',
        '--preserve-digests',
        '--src-tls-verify=false',
        '--dest-tls-verify=false',
        ...(auth ? ['--src-authfile', auth, '--dest-authfile', auth] : []),
        `docker://${first}`,
        `docker://${tag}`,
      ],
      env,
    );
    step.log(`pushed ${tag}@${digest}`);
  }
  return digest;
}
