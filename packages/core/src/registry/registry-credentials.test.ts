import { describe, expect, it } from '@jest/globals';
import { resolveRegistryCredentials } from './registry-credentials.js';

function configReader(files: Record<string, string>) {
  return async (path: string) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    return text;
  };
}

describe('resolveRegistryCredentials', () => {
  it('prefers explicit credentials and masks the password and its base64 form', async () => {
    const masked: string[] = [];
    const found = await resolveRegistryCredentials({
      host: 'ghcr.io',
      username: 'u',
      password: 'p@ss',
      maskSecret: (v) => masked.push(v),
      readTextFile: configReader({}),
    });
    expect(found).toEqual({ username: 'u', password: 'p@ss' });
    expect(masked).toEqual(['p@ss', Buffer.from('u:p@ss').toString('base64')]);
  });

  it('reads auths.<host>.auth from $DOCKER_CONFIG/config.json, as docker/login-action writes it', async () => {
    const auth = Buffer.from('bot:s3cr:et').toString('base64');
    const masked: string[] = [];
    const found = await resolveRegistryCredentials({
      host: '127.0.0.1:5000',
      env: { DOCKER_CONFIG: '/cfg' },
      readTextFile: configReader({ '/cfg/config.json': JSON.stringify({ auths: { '127.0.0.1:5000': { auth } } }) }),
      maskSecret: (v) => masked.push(v),
    });
    expect(found).toEqual({ username: 'bot', password: 's3cr:et' });
    expect(masked).toEqual([auth, 's3cr:et']);
  });

  it('falls back to ~/.docker/config.json and https:// keys', async () => {
    const auth = Buffer.from('a:b').toString('base64');
    const found = await resolveRegistryCredentials({
      host: 'ghcr.io',
      env: { HOME: '/home/x' },
      readTextFile: configReader({
        '/home/x/.docker/config.json': JSON.stringify({ auths: { 'https://ghcr.io': { auth } } }),
      }),
      maskSecret: () => undefined,
    });
    expect(found).toEqual({ username: 'a', password: 'b' });
  });

  it('returns null (anonymous) with no config file or no entry', async () => {
    expect(
      await resolveRegistryCredentials({
        host: 'ghcr.io',
        env: { HOME: '/none' },
        readTextFile: configReader({}),
        maskSecret: () => undefined,
      }),
    ).toBeNull();
    expect(
      await resolveRegistryCredentials({
        host: 'ghcr.io',
        env: { HOME: '/h' },
        readTextFile: configReader({ '/h/.docker/config.json': '{"auths":{}}' }),
        maskSecret: () => undefined,
      }),
    ).toBeNull();
  });

  it('refuses half-given credentials and a broken config file', async () => {
    await expect(
      resolveRegistryCredentials({ host: 'h.io', username: 'u', maskSecret: () => undefined }),
    ).rejects.toThrow(/set both username and password/);
    await expect(
      resolveRegistryCredentials({
        host: 'h.io',
        env: { DOCKER_CONFIG: '/c' },
        readTextFile: configReader({ '/c/config.json': '{' }),
        maskSecret: () => undefined,
      }),
    ).rejects.toThrow('The docker config /c/config.json is not valid JSON: fix or delete it, then log in again');
  });
});
