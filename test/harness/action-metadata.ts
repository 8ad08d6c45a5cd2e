import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './paths.js';

export interface ActionMetadata {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string; value?: string }>;
  runs: { using: string; main?: string; steps?: unknown[] };
}

/** Reads an action's metadata file, `actions/<name>/action.yml` unless a path is given. */
export function readActionMetadata(nameOrPath: string): ActionMetadata {
  const path = nameOrPath.endsWith('.yml') ? nameOrPath : join(repoRoot, 'actions', nameOrPath, 'action.yml');
  const data = parse(readFileSync(path, 'utf8')) as Partial<ActionMetadata>;
  return {
    name: data.name ?? '',
    description: data.description ?? '',
    inputs: data.inputs ?? {},
    outputs: data.outputs ?? {},
    runs: data.runs ?? { using: '' },
  };
}
