import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parse } from 'yaml';
import { interpolateCompose } from './interpolate-compose.js';
import { readComposeEnvFile } from './read-env-file.js';

/** A port a service publishes on the host: `[host_ip:]published:target` or the long syntax. */
export interface PublishedPort {
  hostIp: string;
  published: number;
  target: number;
}

/** One service as the stand-in runs it. */
export interface ComposeService {
  name: string;
  /** The image reference, `:latest` added when it names no tag or digest (as docker does). */
  image: string;
  ports: PublishedPort[];
  environment: Record<string, string>;
}

/** A compose project, loaded the way `docker compose --project-directory D --env-file E --file F` loads it. */
export interface ComposeProject {
  name: string;
  workingDir: string;
  configFile: string;
  environmentFile: string;
  services: ComposeService[];
}

/** What the user must fix in the compose set-up; the CLI prints it and exits 1, as compose does. */
export class ComposeConfigError extends Error {}

// What the stand-in models; a compose file using anything else is refused by name rather than half-run.
const TOP_LEVEL = new Set(['name', 'services', 'version']);
const SERVICE_KEYS = new Set(['image', 'ports', 'environment', 'restart']);

/**
 * Loads the project: the env file (shell variables win), the YAML with every string value interpolated, the
 * project name (COMPOSE_PROJECT_NAME, else top-level `name:`, else the project directory's basename normalized
 * as Compose normalizes it).
 * @throws ComposeConfigError for a construct the stand-in does not model, or one Compose rejects.
 */
export function loadComposeProject(
  options: { projectDirectory: string; envFile: string; file: string; cwd: string },
  shell: Readonly<Record<string, string>>,
  warn: (line: string) => void,
): ComposeProject {
  const workingDir = resolve(options.cwd, options.projectDirectory);
  const configFile = resolve(options.cwd, options.file);
  const environmentFile = resolve(options.cwd, options.envFile);
  let fileVars: Record<string, string>;
  try {
    fileVars = readComposeEnvFile(environmentFile, shell);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new ComposeConfigError(`couldn't find env file: ${environmentFile}`);
    throw new ComposeConfigError((error as Error).message);
  }
  const variables = { ...fileVars, ...shell };
  let text: string;
  try {
    text = readFileSync(configFile, 'utf8');
  } catch {
    throw new ComposeConfigError(`open ${configFile}: no such file or directory`);
  }
  const warned = new Set<string>();
  const onUnset = (name: string) => {
    if (warned.has(name)) return;
    warned.add(name);
    warn(`WARN[0000] The "${name}" variable is not set. Defaulting to a blank string.`);
  };
  const document = interpolateValues(parse(text) as unknown, variables, onUnset);
  if (!isRecord(document)) throw new ComposeConfigError(`${configFile}: top-level object must be a mapping`);
  for (const key of Object.keys(document)) {
    if (!TOP_LEVEL.has(key) && !key.startsWith('x-'))
      throw new ComposeConfigError(`the compose host stand-in does not implement top-level '${key}' (${configFile})`);
  }
  if ('version' in document)
    warn(`WARN[0000] ${configFile}: the attribute \`version\` is obsolete, it will be ignored`);
  const services = document.services;
  if (!isRecord(services) || Object.keys(services).length === 0) throw new ComposeConfigError(`no service selected`);
  return {
    name: projectName(variables.COMPOSE_PROJECT_NAME, document.name, workingDir),
    workingDir,
    configFile,
    environmentFile,
    services: Object.entries(services).map(([name, service]) => readService(name, service)),
  };
}

function interpolateValues(value: unknown, variables: Record<string, string>, warn: (name: string) => void): unknown {
  if (typeof value === 'string') return interpolateCompose(value, variables, warn);
  if (Array.isArray(value)) return value.map((item) => interpolateValues(item, variables, warn));
  if (isRecord(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateValues(v, variables, warn)]));
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function projectName(fromEnv: string | undefined, fromFile: unknown, workingDir: string): string {
  const explicit = fromEnv || (typeof fromFile === 'string' && fromFile) || '';
  if (explicit) {
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(explicit))
      throw new ComposeConfigError(
        `invalid project name "${explicit}": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number`,
      );
    return explicit;
  }
  // compose-go's NormalizeProjectName: lower case, only [a-z0-9_-], starting with a letter or digit
  const name = basename(workingDir)
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[^a-z0-9]+/, '');
  if (!name) throw new ComposeConfigError(`project name must not be empty`);
  return name;
}

function readService(name: string, raw: unknown): ComposeService {
  if (!isRecord(raw)) throw new ComposeConfigError(`services.${name} must be a mapping`);
  for (const key of Object.keys(raw)) {
    if (!SERVICE_KEYS.has(key) && !key.startsWith('x-'))
      throw new ComposeConfigError(`the compose host stand-in does not implement services.${name}.${key}`);
  }
  if (typeof raw.image !== 'string' || raw.image === '')
    throw new ComposeConfigError(
      `service "${name}" has neither an image nor a build context specified: invalid compose project`,
    );
  return {
    name,
    image: withDefaultTag(raw.image),
    ports: (Array.isArray(raw.ports) ? raw.ports : raw.ports === undefined ? [] : [raw.ports]).map((port) =>
      readPort(name, port),
    ),
    environment: readEnvironment(name, raw.environment),
  };
}

function withDefaultTag(image: string): string {
  if (image.includes('@')) return image;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  return lastSegment.includes(':') ? image : `${image}:latest`;
}

function readPort(service: string, raw: unknown): PublishedPort {
  const where = `services.${service}.ports`;
  if (isRecord(raw)) {
    const target = Number(raw.target);
    const published = Number(raw.published);
    if (raw.protocol !== undefined && raw.protocol !== 'tcp')
      throw new ComposeConfigError(`the compose host stand-in publishes only tcp ports (${where})`);
    if (!Number.isInteger(target) || !Number.isInteger(published) || raw.published === undefined)
      throw new ComposeConfigError(`the compose host stand-in needs target and published in ${where}`);
    return { hostIp: typeof raw.host_ip === 'string' ? raw.host_ip : '0.0.0.0', published, target };
  }
  const text = String(raw).replace(/\/tcp$/, '');
  const match = /^(?:(\d+\.\d+\.\d+\.\d+):)?(\d+):(\d+)$/.exec(text);
  if (!match) {
    if (/^\d+$/.test(text))
      throw new ComposeConfigError(
        `the compose host stand-in does not publish a container-only port on a random host port (${where}: ${text})`,
      );
    throw new ComposeConfigError(
      `invalid port ${JSON.stringify(raw)} in ${where} (the stand-in takes [IP:]HOST:CONTAINER)`,
    );
  }
  const published = Number(match[2]);
  if (published < 1 || published > 65535) throw new ComposeConfigError(`invalid hostPort: ${match[2]}`);
  return { hostIp: match[1] ?? '0.0.0.0', published, target: Number(match[3]) };
}

function readEnvironment(service: string, raw: unknown): Record<string, string> {
  if (raw === undefined) return {};
  if (Array.isArray(raw))
    return Object.fromEntries(
      raw.map((item) => {
        const text = String(item);
        const eq = text.indexOf('=');
        return eq < 0 ? [text, ''] : [text.slice(0, eq), text.slice(eq + 1)];
      }),
    );
  if (isRecord(raw)) return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v === null ? '' : String(v)]));
  throw new ComposeConfigError(`services.${service}.environment must be a mapping or a list`);
}
