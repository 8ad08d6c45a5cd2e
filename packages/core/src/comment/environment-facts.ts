import { ConfigurationError } from '../action/errors.js';
import { quoteValue } from '../action/quote.js';

/** The states a preview environment's comment can announce. */
export const ENVIRONMENT_STATUSES = ['deploying', 'deployed', 'failed', 'hibernated', 'destroyed'] as const;

/** One of {@link ENVIRONMENT_STATUSES}. */
export type EnvironmentStatus = (typeof ENVIRONMENT_STATUSES)[number];

/** One service of a preview environment, as the comment shows it. */
export interface ServiceFacts {
  name: string;
  url?: string;
  healthUrl?: string;
  logsUrl?: string;
  status?: string;
}

/** Everything the environment comment template shows; every string is untrusted until rendered. */
export interface EnvironmentFacts {
  status: EnvironmentStatus;
  prNumber: number;
  services: ServiceFacts[];
  branch?: string;
  sha?: string;
  title?: string;
  /** Free text from the workflow, e.g. why a deploy failed. */
  message?: string;
  logsUrl?: string;
  expiresAt?: Date;
  costPerDayUsd?: number;
  /** Set only when the workflow allows credentials in the comment. */
  basicAuth?: { username: string; password: string };
  /** True when the environment asks for basic auth, whether or not the credentials are shown. */
  protectedByBasicAuth: boolean;
}

/** The raw text of the inputs carrying deploy-pr-env's JSON outputs. */
export interface RawEnvironmentOutputs {
  /** `{"api":"https://…"}`, or `[{"name":"api","url":"https://…"}]`. */
  urls: string;
  /** deploy-pr-env's `{"api": {…}}`, or `["api"]`, or objects with name, url, health-url or health-path, logs-url, status. */
  services: string;
  /** ISO-8601, or '' for none. */
  expiresAt: string;
  /** A number of US dollars, or '' for none. */
  estimatedCostPerDay: string;
}

/** The parts of {@link EnvironmentFacts} that come from deploy-pr-env's outputs. */
export type DeployedFacts = Pick<EnvironmentFacts, 'services' | 'expiresAt' | 'costPerDayUsd'>;

const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_SERVICES = 100;

/**
 * Reads deploy-pr-env's JSON outputs (passed through inputs) into facts the template renders.
 * Services named in `urls` and in `services` are merged by name, in first-seen order.
 * @throws ConfigurationError naming the input and the shape it expects.
 */
export function readDeployedFacts(raw: RawEnvironmentOutputs): DeployedFacts {
  const byName = new Map<string, ReadService>();
  const merge = (service: ReadService) => {
    const known = byName.get(service.name);
    byName.set(service.name, known ? { ...known, ...dropUndefined(service) } : service);
  };
  readServiceList(raw.services, 'services').forEach(merge);
  readUrlList(raw.urls).forEach(merge);
  if (byName.size > MAX_SERVICES) {
    throw new ConfigurationError(
      `Inputs 'urls' and 'services' name ${byName.size} services: at most ${MAX_SERVICES} fit in a comment`,
    );
  }
  const services = [...byName.values()].map(({ healthPath, ...service }) =>
    !service.healthUrl && healthPath && service.url
      ? { ...service, healthUrl: joinPath(service.url, healthPath) }
      : service,
  );
  const facts: DeployedFacts = { services };
  if (raw.expiresAt.trim() !== '') facts.expiresAt = readDate(raw.expiresAt.trim());
  if (raw.estimatedCostPerDay.trim() !== '') facts.costPerDayUsd = readCost(raw.estimatedCostPerDay.trim());
  return facts;
}

function readJson(text: string, input: string, shape: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ConfigurationError(`Input '${input}' is not JSON: pass ${shape}, e.g. deploy-pr-env's '${input}' output`);
  }
}

/** A service as read, before a health path is joined to its URL. */
type ReadService = ServiceFacts & { healthPath?: string };

function readServiceList(text: string, input: string): ReadService[] {
  if (text.trim() === '') return [];
  const shape = 'a JSON object of service name to details, or an array of names or {"name": …} objects';
  const value = readJson(text, input, shape);
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>).map(([name, details]) =>
      readServiceObject({ ...(details !== null && typeof details === 'object' ? details : {}), name }, input),
    );
  }
  if (!Array.isArray(value)) throw new ConfigurationError(`Input '${input}' must be ${shape}`);
  return value.map((item) =>
    typeof item === 'string' ? { name: readName(item, input) } : readServiceObject(item, input),
  );
}

function readUrlList(text: string): ReadService[] {
  if (text.trim() === '') return [];
  const shape = 'a JSON object of service name to URL';
  const value = readJson(text, 'urls', shape);
  if (Array.isArray(value)) return value.map((item) => readServiceObject(item, 'urls'));
  if (value === null || typeof value !== 'object') throw new ConfigurationError(`Input 'urls' must be ${shape}`);
  return Object.entries(value as Record<string, unknown>).map(([name, url]) => {
    if (typeof url !== 'string')
      throw new ConfigurationError(`Input 'urls' maps ${quoteValue(name)} to a non-string: use "name": "https://…"`);
    return { name: readName(name, 'urls'), url };
  });
}

function readServiceObject(item: unknown, input: string): ReadService {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    throw new ConfigurationError(
      `Input '${input}' holds ${quoteValue(JSON.stringify(item) ?? '')}: each entry needs a "name"`,
    );
  }
  const record = item as Record<string, unknown>;
  const text = (...keys: string[]) => {
    for (const key of keys) if (typeof record[key] === 'string' && record[key] !== '') return record[key];
    return undefined;
  };
  const name = readName(String(text('name', 'service') ?? ''), input);
  const url = text('url');
  const healthPath = text('health-path', 'healthPath', 'healthCheckPath');
  const healthUrl = text('health-url', 'healthUrl');
  return dropUndefined({
    name,
    url,
    healthUrl,
    healthPath,
    logsUrl: text('logs-url', 'logsUrl'),
    status: text('status'),
  });
}

function readName(name: string, input: string): string {
  if (!SERVICE_NAME.test(name)) {
    throw new ConfigurationError(
      `Input '${input}' names service ${quoteValue(name)}: use 1-64 letters, digits, dots, dashes or underscores`,
    );
  }
  return name;
}

function readDate(text: string): Date {
  const date = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(date.getTime())) {
    throw new ConfigurationError(
      `Input 'expires-at' is ${quoteValue(text)}: use an ISO-8601 time such as 2030-01-01T12:00:00Z`,
    );
  }
  return date;
}

function readCost(text: string): number {
  const value = Number(text);
  if (!/^\d{1,9}(\.\d{1,12})?$/.test(text) || !Number.isFinite(value)) {
    throw new ConfigurationError(
      `Input 'estimated-cost-per-day' is ${quoteValue(text)}: use a number of US dollars such as 3.42`,
    );
  }
  return value;
}

function joinPath(url: string, path: string): string {
  return `${url.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
