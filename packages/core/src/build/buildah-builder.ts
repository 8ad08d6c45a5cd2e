import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { ConfigurationError } from '../action/errors.js';
import type { CommandRunner } from './command-runner.js';
import type { BuildRequest, BuildResult, ImageBuilder } from './image-builder.js';

function fail(step: string, service: string, stderr: string): never {
  const last = stderr.trim().split('\n').slice(-3).join(' | ');
  throw new Error(`buildah ${step} failed for ${service}: ${last || 'no output'}`);
}

function buildArgs(request: BuildRequest, localName: string): string[] {
  const dockerfile = isAbsolute(request.dockerfile) ? request.dockerfile : join(request.context, request.dockerfile);
  const args = ['bud', '--format', 'oci', '--file', dockerfile, '--tag', localName];
  for (const [key, value] of request.labels) args.push('--label', `${key}=${value}`);
  for (const [key, value] of request.buildArgs) args.push('--build-arg', `${key}=${value}`);
  if (request.platforms.length === 1) args.push('--platform', request.platforms[0]!);
  args.push(request.context);
  return args;
}

/**
 * Builds with buildah (no daemon; honours STORAGE_DRIVER and BUILDAH_ISOLATION from the
 * environment) and pushes once, reading the pushed digest from `--digestfile`.
 */
export function createBuildahBuilder(runner: CommandRunner): ImageBuilder {
  return {
    name: 'buildah',
    async build(request): Promise<BuildResult> {
      if (request.platforms.length > 1) {
        throw new ConfigurationError(
          "builder 'buildah' builds one platform per run: use builder 'docker' for several platforms",
        );
      }
      const localName = `localhost/preview-actions/${request.service}:build`;
      const built = await runner.run('buildah', buildArgs(request, localName));
      if (built.exitCode !== 0) fail('bud', request.service, built.stderr);
      if (!request.push) return { digest: '' };
      const work = await mkdtemp(join(tmpdir(), 'buildah-push-'));
      try {
        const digestFile = join(work, 'digest');
        const args = ['push', '--format', 'oci', '--digestfile', digestFile];
        if (request.authFile) args.push('--authfile', request.authFile);
        if (request.insecure) args.push('--tls-verify=false');
        args.push(localName, `docker://${request.reference}`);
        const pushed = await runner.run('buildah', args);
        if (pushed.exitCode !== 0) fail('push', request.service, pushed.stderr);
        return { digest: (await readFile(digestFile, 'utf8')).trim() };
      } finally {
        await rm(work, { recursive: true, force: true });
        await runner.run('buildah', ['rmi', '--force', localName]);
      }
    },
  };
}
