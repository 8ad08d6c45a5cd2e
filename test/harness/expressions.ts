import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { evaluateString } from '../runner/expressions.js';
import { readActionTemplate } from './action-template.js';

/** The slice of the `github` expression context that action.yml defaults use. */
export interface GitHubExpressionContext {
  ref_name: string;
  ref: string;
  sha: string;
  token: string;
  repository: string;
  repository_owner: string;
  actor: string;
  run_id: string;
  run_attempt: string;
  server_url: string;
  api_url: string;
  event_name: string;
  event: unknown;
}

/**
 * Evaluates an action.yml input default (a token from GitHub's parser, e.g. `${{ github.token }}`) with the
 * runner's expression engine (`@actions/expressions`). `contexts` are the ones the step sees (at least github);
 * an expression the engine cannot evaluate (an unknown function) is refused loudly.
 */
export function evaluateDefault(
  value: TemplateToken,
  contexts: { github: GitHubExpressionContext | Record<string, unknown> } & Record<string, unknown>,
): string {
  return evaluateString(value, { contexts });
}

/** Every input of an action with a default, evaluated as the runner does; inputs without one are absent. */
export function readInputDefaults(
  action: string,
  contexts: { github: GitHubExpressionContext | Record<string, unknown> } & Record<string, unknown>,
): Record<string, string> {
  const defaults: Record<string, string> = {};
  for (const input of readActionTemplate(action).template.inputs ?? []) {
    if (input.default) defaults[input.id] = evaluateDefault(input.default, contexts);
  }
  return defaults;
}
