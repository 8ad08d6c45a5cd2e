import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import {
  convertWorkflowTemplate,
  isMapping,
  isSequence,
  NoOperationTraceWriter,
  parseWorkflow,
  type WorkflowTemplate,
} from '@actions/workflow-parser';
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/mapping-token';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { repoRoot } from '../harness/paths.js';

/** A workflow as GitHub's parser reads it: the converted model and the raw token tree for keys it does not type. */
export interface LoadedWorkflow {
  /** Path relative to the repository root, for messages and coverage ids. */
  file: string;
  template: WorkflowTemplate;
  root: MappingToken;
}

/**
 * Parses and converts a workflow file with `@actions/workflow-parser` (`parseWorkflow` + `convertWorkflowTemplate`);
 * schema or conversion errors are thrown with the file's name.
 */
export async function loadWorkflow(path: string): Promise<LoadedWorkflow> {
  const file = relative(repoRoot, path).startsWith('..') ? path : relative(repoRoot, path);
  const parsed = parseWorkflow({ name: file, content: readFileSync(path, 'utf8') }, new NoOperationTraceWriter());
  const parseErrors = parsed.context.errors.getErrors();
  if (parseErrors.length > 0 || !parsed.value || !isMapping(parsed.value)) {
    throw new Error(`${file} is not a valid workflow: ${parseErrors.map((e) => e.message).join('; ')}`);
  }
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  if (template.errors?.length) {
    throw new Error(`${file} is not a valid workflow: ${template.errors.map((e) => e.Message).join('; ')}`);
  }
  return { file, template, root: parsed.value };
}

/** The value under `key` of a mapping token (keys as written), or undefined. */
export function readKey(token: TemplateToken | undefined, key: string): TemplateToken | undefined {
  if (!token || !isMapping(token)) return undefined;
  for (const pair of token) if (pair.key.toString() === key) return pair.value;
  return undefined;
}

/** Follows `keys` through nested mappings; a number indexes a sequence. */
export function readPath(token: TemplateToken | undefined, ...keys: (string | number)[]): TemplateToken | undefined {
  let current = token;
  for (const key of keys) {
    if (typeof key === 'number') current = current && isSequence(current) ? current.get(key) : undefined;
    else current = readKey(current, key);
  }
  return current;
}

/** The keys of a mapping token as written. */
export function listKeys(token: TemplateToken | undefined): string[] {
  if (!token || !isMapping(token)) return [];
  return [...token].map((pair) => pair.key.toString());
}
