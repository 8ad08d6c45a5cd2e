import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { CommandRunner } from './command-runner.js';
import type { BuildResult, ImageBuilder } from './image-builder.js';

/**
 * Builds with `docker buildx build` (as on GitHub's hosted runners, after docker/setup-buildx-action
 * and docker/login-action) and pushes once, reading the digest from `--metadata-file`.
 */
export function createDockerBuilder(runner: CommandRunner): ImageBuilder {
  return {
    name: 'docker',
    async build(request): Promise<BuildResult> {
      const work = await mkdtemp(join(tmpdir(), 'buildx-'));
      try {
        const metadataFile = join(work, 'metadata.json');
        const dockerfile = isAbsolute(request.dockerfile)
          ? request.dockerfile
          : join(request.context, request.dockerfile);
        const args = [
          'buildx',
          'build',
          '--file',
          dockerfile,
          '--tag',
          request.reference,
          '--metadata-file',
          metadataFile,
        ];
        for (const [key, value] of request.labels) args.push('--label', `${key}=${value}`);
        for (const [key, value] of request.buildArgs) args.push('--build-arg', `${key}=${value}`);
        if (request.platforms.length > 0) args.push('--platform', request.platforms.join(','));
        args.push(request.push ? '--push' : '--load', request.context);
        const env = request.authFile ? { DOCKER_CONFIG: join(request.authFile, '..') } : undefined;
        const result = await runner.run('docker', args, env ? { env } : undefined);
        if (result.exitCode !== 0) {
          const last = result.stderr.trim().split('\n').slice(-3).join(' | ');
          throw new Error(`docker buildx build failed for ${request.service}: ${last || 'no output'}`);
        }
        if (!request.push) return { digest: '' };
        const metadata = JSON.parse(await readFile(metadataFile, 'utf8')) as Record<string, unknown>;
        const digest = metadata['containerimage.digest'];
        if (typeof digest !== 'string') throw new Error(`docker buildx reported no digest for ${request.service}`);
        return { digest };
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    },
  };
}
