import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../harness/paths.js';
import { UnsupportedConstructError } from './expressions.js';
import type { Standin } from './standin-api.js';
import { standins as registry } from './standins/index.js';

/** A step's `uses:` as the runner will run it. */
export type ResolvedUses =
  | { kind: 'ours'; name: string; actionPath: string; uses: string }
  | { kind: 'standin'; standin: Standin; uses: string };

/**
 * Maps a step's `uses:` to what runs it: one of our actions (`<any org>/preview-actions/<name>@<ref>`, run from the
 * root stub `<name>/action.yml` as a consumer gets it; a local `./actions/<name>` or any `./<folder>` of this
 * repository with an action.yml), or a stand-in from
 * the registry by `owner/name` without the ref. Anything else is refused, naming the reference.
 */
export function resolveUses(uses: string, where: string, standins: Record<string, Standin> = registry): ResolvedUses {
  if (uses.startsWith('docker://')) {
    throw new UnsupportedConstructError(`${where}: docker actions ('${uses}') are not supported by the test runner`);
  }
  // The workspace of the workflows we run is this repository: a local action is a folder of it.
  if (uses.startsWith('./')) {
    const folder = uses.replace(/\/+$/, '');
    return ours(folder.split('/').pop()!, join(repoRoot, folder), uses, where);
  }
  const at = uses.lastIndexOf('@');
  if (at < 0) throw new UnsupportedConstructError(`${where}: '${uses}' has no @ref`);
  const path = uses.slice(0, at);
  const parts = path.split('/');
  if (parts.length === 3 && parts[1] === 'preview-actions')
    return ours(parts[2]!, join(repoRoot, parts[2]!), uses, where);
  const standin = Object.hasOwn(standins, path) ? standins[path] : undefined;
  if (!standin) throw new UnsupportedConstructError(`${where}: no stand-in for ${path} ('${uses}')`);
  return { kind: 'standin', standin, uses };
}

function ours(name: string, actionPath: string, uses: string, where: string): ResolvedUses {
  if (!existsSync(join(actionPath, 'action.yml'))) {
    throw new UnsupportedConstructError(`${where}: '${uses}' names no action of ours (${name}/action.yml is missing)`);
  }
  return { kind: 'ours', name, actionPath, uses };
}
