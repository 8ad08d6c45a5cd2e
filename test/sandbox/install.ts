import { execFileSync, spawnSync, type ExecFileSyncOptions } from 'node:child_process';

/** The tools the sandbox runs and the fidelity tests drive. */
export const sandboxToolPackages = [
  'docker-registry',
  'skopeo',
  'buildah',
  'redis-server',
  'awscli',
  'apache2-utils',
  'openssl',
  // Not the sandbox's own: `pnpm lint-workflows` runs it over every run: script, and CI lints after the tests.
  'shellcheck',
  // The templates' run: scripts (release.yml's plan, deploy-form) use it, and the workflow e2e suites run them;
  // so do the sandbox commands in docs/getting-started.md.
  'jq',
] as const;

/** What Debian trixie's python3-moto depends on, all of it available from bookworm's own archive. */
export const motoPythonPackages = [
  'python3-antlr4',
  'python3-boto3',
  'python3-botocore',
  'python3-cryptography',
  'python3-dateutil',
  'python3-flask',
  'python3-flask-cors',
  'python3-jinja2',
  'python3-requests',
  'python3-responses',
  'python3-werkzeug',
  'python3-xmltodict',
  'python3-yaml',
] as const;

/**
 * Not the sandbox's: the headless browser the PR-page test renders the demo's HTML in. Installed by that test only
 * (ensureDebianPackages(browserTestPackages)), so `pnpm sandbox up` does not fetch a browser.
 */
export const browserTestPackages = ['chromium'] as const;

/** Every Debian package the sandbox needs on the machine. */
export const sandboxDebianPackages: readonly string[] = [...sandboxToolPackages, ...motoPythonPackages];

/** The packages in `names` that dpkg does not report as installed. */
export function listMissingDebianPackages(names: readonly string[]): string[] {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Package} ${db:Status-Abbrev}\n', ...names], {
    encoding: 'utf8',
  });
  if (result.error) throw new Error(`dpkg-query could not run (${result.error.message}); the sandbox needs Debian`);
  const installed = new Set(
    result.stdout
      .split('\n')
      .filter((line) => /^\S+ ii/.test(line))
      .map((line) => line.split(' ')[0]),
  );
  return names.filter((name) => !installed.has(name));
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/**
 * Installs the missing sandbox packages with apt-get when running as root (one `apt-get update` first);
 * otherwise throws naming the exact command to run.
 */
export function ensureDebianPackages(
  names: readonly string[] = sandboxDebianPackages,
  log: (line: string) => void = console.error,
): void {
  const missing = listMissingDebianPackages(names);
  if (missing.length === 0) return;
  const command = `apt-get install -y ${missing.join(' ')}`;
  if (!isRoot()) {
    throw new Error(`the sandbox needs Debian packages that are missing; run: sudo apt-get update && sudo ${command}`);
  }
  log(`sandbox: installing ${missing.join(' ')} (first run on this machine)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const options: ExecFileSyncOptions = { env, stdio: ['ignore', 'ignore', 'inherit'], timeout: 900_000 };
  execFileSync('apt-get', ['update', '-qq'], options);
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], options);
  const stillMissing = listMissingDebianPackages(missing);
  if (stillMissing.length > 0) throw new Error(`apt-get did not install: ${stillMissing.join(' ')}; run: ${command}`);
}
