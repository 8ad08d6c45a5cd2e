import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { readSandboxEndpoints, type SandboxEndpoints } from './endpoints.js';
import { sandboxDir } from './paths.js';

/** Where `sandbox exec` puts its `aws` wrapper, first on the command's PATH. */
export const sandboxBinDir = join(sandboxDir, 'bin');

/** The first `aws` on `path` outside the sandbox's own bin directory. */
function findAwsCli(path: string): string | undefined {
  return path
    .split(delimiter)
    .filter((dir) => dir && dir !== sandboxBinDir)
    .map((dir) => join(dir, 'aws'))
    .find((file) => existsSync(file));
}

/**
 * The environment a command run with {@link execInSandbox} gets: the caller's without its AWS_* settings, with
 * every variable of .sandbox/env over it and the sandbox's bin directory first on PATH. Debian 12's awscli (2.9) predates
 * AWS_ENDPOINT_URL, so an `aws` wrapper there passes `--endpoint-url`; without it `aws` would call the real AWS.
 */
export function createSandboxExecEnv(
  endpoints: SandboxEndpoints,
  base: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const path = base.PATH ?? '/usr/bin:/bin';
  const aws = findAwsCli(path);
  mkdirSync(sandboxBinDir, { recursive: true });
  const wrapper = join(sandboxBinDir, 'aws');
  writeFileSync(
    wrapper,
    aws
      ? `#!/bin/sh\nexec '${aws}' --endpoint-url "$AWS_ENDPOINT_URL" "$@"\n`
      : '#!/bin/sh\necho "sandbox exec: no aws CLI on PATH (apt-get install awscli)" >&2\nexit 127\n',
  );
  chmodSync(wrapper, 0o755);
  // none of the caller's AWS settings: a profile, session token or config file of theirs would win over the
  // sandbox's keys (or name a profile the CLI then cannot find)
  const inherited = Object.fromEntries(
    Object.entries(base).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !entry[0].startsWith('AWS_'),
    ),
  );
  return { ...inherited, ...endpoints.env, PATH: `${sandboxBinDir}${delimiter}${path}` };
}

/**
 * `pnpm sandbox exec [--] [command args…]`: runs one command (without one, the user's $SHELL, an interactive
 * subshell) with the sandbox's endpoints and credentials in its environment, and returns its exit code. The
 * caller's shell keeps its own GITHUB_TOKEN and AWS settings: only the child sees the sandbox's.
 */
export async function execInSandbox(args: readonly string[]): Promise<number> {
  const command = args[0] === '--' ? args.slice(1) : [...args];
  const endpoints = readSandboxEndpoints();
  const env = createSandboxExecEnv(endpoints);
  const [file, ...rest] = command.length > 0 ? command : [process.env.SHELL || '/bin/bash'];
  if (command.length === 0) console.error('sandbox: a shell on the sandbox; `exit` returns to yours, unchanged');
  return new Promise((resolve, reject) => {
    const child = spawn(file!, rest, { stdio: 'inherit', env });
    child.on('error', (error) => reject(new Error(`could not run ${file}: ${error.message}`)));
    child.on('exit', (code, signal) =>
      resolve(code ?? 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1)),
    );
  });
}
