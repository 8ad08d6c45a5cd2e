import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { NoOperationTraceWriter } from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { convertActionTemplate, parseAction, type ActionTemplate } from '@actions/workflow-parser/actions/index';
import { repoRoot } from './paths.js';

/** An action.yml as GitHub's parser reads it: the typed template and the raw token tree (for keys it does not type). */
export interface ParsedAction {
  path: string;
  template: ActionTemplate;
  root: TemplateToken;
}

/**
 * Reads and validates an action.yml with `@actions/workflow-parser` (`parseAction` + `convertActionTemplate`),
 * `actions/<name>/action.yml` unless a path is given; schema errors are thrown, naming the file.
 */
export function readActionTemplate(nameOrPath: string): ParsedAction {
  const path = nameOrPath.endsWith('.yml') ? nameOrPath : join(repoRoot, 'actions', nameOrPath, 'action.yml');
  const name = relative(repoRoot, path);
  const parsed = parseAction({ name, content: readFileSync(path, 'utf8') }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors();
  if (errors.length > 0 || !parsed.value) {
    throw new Error(`${name} is not a valid action.yml: ${errors.map((e) => e.message).join('; ')}`);
  }
  return { path, template: convertActionTemplate(parsed.context, parsed.value), root: parsed.value };
}
