import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAwsClients } from './create-aws-clients.js';

// The credential variables the default chain reads, cleared so only the shared files speak.
const CHAIN_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_EC2_METADATA_DISABLED',
];

describe('createAwsClients credentials', () => {
  const saved: Record<string, string | undefined> = {};
  let credentials = '';

  const writeKey = (accessKeyId: string) =>
    writeFileSync(credentials, `[default]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = secret\n`);
  const keyOf = async (clients: ReturnType<typeof createAwsClients>) => {
    const provider = clients.ecs.config.credentials as () => Promise<{ accessKeyId: string }>;
    return (await provider()).accessKeyId;
  };

  beforeEach(() => {
    for (const name of CHAIN_VARIABLES) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
    const dir = mkdtempSync(join(tmpdir(), 'aws-clients-'));
    credentials = join(dir, 'credentials');
    process.env.AWS_SHARED_CREDENTIALS_FILE = credentials;
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
  });

  afterEach(() => {
    for (const name of CHAIN_VARIABLES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it('a client made with rereadCredentials sees a session renewed in the shared file; a plain one keeps the cached copy', async () => {
    const env = { AWS_REGION: 'eu-west-1' };
    writeKey('AKIAFIRSTSESSION');
    expect(await keyOf(createAwsClients(env))).toBe('AKIAFIRSTSESSION');
    writeKey('AKIARENEWEDSESSION');
    // Why the option exists: the SDK caches the parsed files for the process, so a new client alone is not enough.
    expect(await keyOf(createAwsClients(env))).toBe('AKIAFIRSTSESSION');
    expect(await keyOf(createAwsClients(env, { rereadCredentials: true }))).toBe('AKIARENEWEDSESSION');
  });
});
