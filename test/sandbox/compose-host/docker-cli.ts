/**
 * The compose host stand-in's `docker` (bin/docker runs this): exactly the two forms deploy-compose runs,
 *
 *   docker compose --project-directory D --env-file E --file F pull
 *   docker compose --project-directory D --env-file E --file F up --detach --remove-orphans
 *
 * and a loud refusal, naming it, of any other. Progress goes to stderr as compose writes it; exit 0 or 1.
 */
import { ComposeInterpolationError } from './interpolate-compose.js';
import { ComposeConfigError, loadComposeProject } from './load-compose-project.js';
import { pullImage } from './pull-image.js';
import { ComposeUpError, upProject } from './up-project.js';

const FORMS = [
  'docker compose --project-directory D --env-file E --file F pull',
  'docker compose --project-directory D --env-file E --file F up --detach --remove-orphans',
];

function refuse(args: string[]): never {
  process.stderr.write(
    `docker (the compose host stand-in, test/sandbox/compose-host): "docker ${args.join(' ')}" is not implemented; it implements only:\n${FORMS.map((f) => `  ${f}\n`).join('')}`,
  );
  process.exit(125);
}

/** Parses the arguments into the command, or refuses them. */
function parseArgs(args: string[]): {
  projectDirectory: string;
  envFile: string;
  file: string;
  command: 'pull' | 'up';
} {
  const [compose, pd, projectDirectory, ef, envFile, f, file, ...rest] = args;
  if (compose !== 'compose' || pd !== '--project-directory' || ef !== '--env-file' || f !== '--file') refuse(args);
  if (!projectDirectory || !envFile || !file) refuse(args);
  if (rest.length === 1 && rest[0] === 'pull') return { projectDirectory, envFile, file, command: 'pull' };
  if (rest.join(' ') === 'up --detach --remove-orphans') return { projectDirectory, envFile, file, command: 'up' };
  refuse(args);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const parsed = parseArgs(args);
  const shell = Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const err = (line: string) => process.stderr.write(`${line}\n`);
  try {
    const project = loadComposeProject({ ...parsed, cwd: process.cwd() }, shell, err);
    if (parsed.command === 'pull') {
      let failed: string | undefined;
      for (const service of project.services) {
        const pulled = await pullImage(service.image, process.env);
        if ('error' in pulled) {
          err(` ✘ ${service.name} Error ${pulled.error}`);
          failed ??= pulled.error;
        } else err(` ✔ ${service.name} Pulled`);
      }
      if (failed) {
        err(`Error response from daemon: ${failed}`);
        return 1;
      }
      return 0;
    }
    await upProject(project, process.env, err);
    return 0;
  } catch (error) {
    if (
      error instanceof ComposeConfigError ||
      error instanceof ComposeInterpolationError ||
      error instanceof ComposeUpError
    ) {
      err(error.message);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main();
