import { ConfigurationError } from '../action/errors.js';
import { quoteValue } from '../action/quote.js';
import { isAbsolute, normalize } from 'node:path';

/** A service to build: its name and its build context, relative to the workspace. */
export interface BuildTarget {
  service: string;
  context: string;
}

/**
 * Reads `services` lines: `name` (context `services/{name}`) or `name=context-dir`.
 * @throws ConfigurationError for a context outside the workspace.
 */
export function readBuildTargets(lines: readonly string[]): BuildTarget[] {
  return lines.map((line) => {
    const eq = line.indexOf('=');
    const service = (eq < 0 ? line : line.slice(0, eq)).trim();
    const context = eq < 0 ? `services/${service}` : line.slice(eq + 1).trim();
    const clean = normalize(context);
    if (context === '' || isAbsolute(clean) || clean.startsWith('..')) {
      throw new ConfigurationError(
        `Service ${quoteValue(service)} has build context ${quoteValue(context)}: use a folder inside the repository, e.g. ${service}=services/${service}`,
      );
    }
    return { service, context: clean };
  });
}

/** Renders `sha-{sha7}`-style tag templates with the commit and version. */
export function renderTagTemplate(template: string, variables: { sha: string; version: string }): string {
  return template.replace(/\{([a-z0-9]+)\}/g, (whole, name: string) => {
    if (name === 'sha7') return variables.sha.slice(0, 7);
    if (name === 'sha') return variables.sha;
    if (name === 'version') return variables.version;
    throw new ConfigurationError(
      `Tag template ${quoteValue(template)} uses unknown variable ${whole}: use {sha7}, {sha} or {version}`,
    );
  });
}
