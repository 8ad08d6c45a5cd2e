import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { storeImage, type StoredImage } from './compose-state.js';

const run = promisify(execFile);

/** The registry host of a reference, as docker reads it (`docker.io` when the first part names no host). */
export function registryHostOf(reference: string): string {
  const first = reference.split('/')[0]!;
  return reference.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
    ? first
    : 'docker.io';
}

/**
 * Pulls an image into the stand-in's store: resolves the reference with `skopeo inspect` against the registry
 * (plain HTTP: docker treats 127.0.0.0/8 registries as insecure by default), with the host's docker logins
 * (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`). Only the sandbox's loopback registries are
 * reachable. Returns the stored image, or the error docker's daemon would answer.
 */
export async function pullImage(
  reference: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<StoredImage | { error: string }> {
  const host = registryHostOf(reference);
  if (!/^(127\.\d+\.\d+\.\d+|localhost)(:\d+)?$/.test(host))
    return { error: `the compose host stand-in reaches only the sandbox's loopback registries, not ${host}` };
  const authFile = join(env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker'), 'config.json');
  const args = [
    'inspect',
    '--tls-verify=false',
    '--no-tags',
    ...(existsSync(authFile) ? ['--authfile', authFile] : []),
  ];
  try {
    const { stdout } = await run('skopeo', [...args, `docker://${reference}`], { maxBuffer: 16 * 1024 * 1024 });
    const inspected = JSON.parse(stdout) as { Digest: string; Labels?: Record<string, string> | null };
    const image = { reference, digest: inspected.Digest, labels: inspected.Labels ?? {} };
    storeImage(image);
    return image;
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message);
    if (/manifest unknown|not found/i.test(stderr))
      return { error: `manifest for ${reference} not found: manifest unknown: manifest unknown` };
    if (/unauthorized|authentication required|denied/i.test(stderr))
      return { error: `Head "http://${host}/v2/": unauthorized: authentication required` };
    // skopeo logs `time=… level=fatal msg="…"`: the message is what a user reads
    const message = /msg="((?:[^"\\]|\\.)*)"/.exec(stderr)?.[1]?.replace(/\\"/g, '"');
    return { error: message ?? stderr.trim().split('\n').at(-1) ?? 'pull failed' };
  }
}
