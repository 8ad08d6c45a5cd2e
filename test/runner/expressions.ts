import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import type { ExpressionData } from '@actions/expressions/data/expressiondata';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { truthy } from '@actions/expressions/result';
import { isBasicExpression, isBoolean, isMapping, isNumber, isSequence, isString } from '@actions/workflow-parser';
import { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';

/** What the status functions answer where they are evaluated (a job's `if:` or a step's). */
export interface StatusScope {
  /** success(): for a step, no earlier step failed and nothing was cancelled; for a job, every needed job succeeded. */
  success: boolean;
  /** failure(): an earlier step, or an ancestor job, failed. */
  failure: boolean;
  /** cancelled(): the run (or the job) was cancelled. */
  cancelled: boolean;
}

/** Everything an expression may read: the named contexts (github, env, steps, …) and the status, when allowed. */
export interface ExpressionScope {
  contexts: Record<string, unknown>;
  /** Absent where GitHub allows no status function (e.g. `with:` or `env:`). */
  status?: StatusScope;
}

/** Refused by the runner: an expression function or construct it does not implement. */
export class UnsupportedConstructError extends Error {
  override name = 'UnsupportedConstructError';
}

/** Converts a plain JSON-like value into the expression engine's data. */
export function toExpressionData(value: unknown): ExpressionData {
  if (value === undefined) return new data.Null();
  return JSON.parse(JSON.stringify(value), data.reviver) as ExpressionData;
}

/** Converts the engine's data back into plain JSON-like values. */
export function fromExpressionData(value: ExpressionData): unknown {
  return JSON.parse(JSON.stringify(value, data.replacer)) as unknown;
}

function createStatusFunctions(status: StatusScope | undefined): FunctionDefinition[] {
  if (!status) return [];
  const define = (name: string, result: () => boolean): FunctionDefinition => ({
    name,
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(result()),
  });
  return [
    define('success', () => status.success && !status.cancelled),
    define('failure', () => status.failure),
    define('always', () => true),
    define('cancelled', () => status.cancelled),
  ];
}

/**
 * Parses one expression (without `${{ }}`) with the contexts and functions the scope offers; an unknown
 * function (hashFiles, or a status function where none is allowed) is refused by GitHub's own parser.
 */
function parseExpression(source: string, names: string[], functions: FunctionDefinition[]) {
  const tokens = new Lexer(source).lex().tokens;
  try {
    return new Parser(tokens, names, functions).parse();
  } catch (error) {
    throw new UnsupportedConstructError(
      `the expression '${source}' cannot be evaluated by the test runner: ${(error as Error).message}`,
    );
  }
}

/** Evaluates an expression (the text inside `${{ }}`, or an `if:` condition) to the engine's data. */
export function evaluateExpression(source: string, scope: ExpressionScope): ExpressionData {
  const functions = createStatusFunctions(scope.status);
  const expression = parseExpression(source, Object.keys(scope.contexts), functions);
  const context = new data.Dictionary(
    ...Object.entries(scope.contexts).map(([key, value]) => ({ key, value: toExpressionData(value) })),
  );
  return new Evaluator(expression, context, new Map(functions.map((f) => [f.name, f]))).evaluate();
}

/** Parses every expression of a token tree without evaluating it, so an unknown function is refused up front. */
export function checkExpressions(token: TemplateToken, contextNames: string[], statusAllowed: boolean): void {
  const functions = createStatusFunctions(
    statusAllowed ? { success: true, failure: false, cancelled: false } : undefined,
  );
  for (const [, item] of TemplateToken.traverse(token)) {
    if (isBasicExpression(item)) parseExpression(item.expression, contextNames, functions);
  }
}

/**
 * Evaluates a template token (a scalar, `${{ }}` expression, mapping or sequence) to a plain value, as the runner
 * does before it uses `with:`, `env:`, `environment:`, `concurrency:` and the like.
 */
export function evaluateToken(token: TemplateToken, scope: ExpressionScope): unknown {
  if (isString(token)) return token.value;
  if (isBoolean(token)) return token.value;
  if (isNumber(token)) return token.value;
  if (isBasicExpression(token)) return fromExpressionData(evaluateExpression(token.expression, scope));
  if (isSequence(token)) {
    const items: unknown[] = [];
    for (let i = 0; i < token.count; i++) items.push(evaluateToken(token.get(i), scope));
    return items;
  }
  if (isMapping(token)) {
    const result: Record<string, unknown> = {};
    for (const pair of token) result[String(evaluateToken(pair.key, scope))] = evaluateToken(pair.value, scope);
    return result;
  }
  if (token.isLiteral) return null; // NullToken
  throw new UnsupportedConstructError(`the template construct ${token.typeName()} is not supported by the test runner`);
}

/** A value as the runner hands it to a process (inputs, env): strings as is, objects as JSON, null as ''. */
export function stringifyValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value, null, 2);
  return String(value);
}

/** Evaluates a token to the string the runner would pass on. */
export function evaluateString(token: TemplateToken, scope: ExpressionScope): string {
  return stringifyValue(evaluateToken(token, scope));
}

/** Evaluates a mapping of names to strings (`env:`, `with:`, `outputs:`); an absent token is an empty mapping. */
export function evaluateStringMap(token: TemplateToken | undefined, scope: ExpressionScope): Record<string, string> {
  if (!token) return {};
  if (!isMapping(token)) {
    const value = evaluateToken(token, scope);
    if (value && typeof value === 'object' && !Array.isArray(value))
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stringifyValue(v)]));
    throw new UnsupportedConstructError(`expected a mapping, got ${stringifyValue(value)}`);
  }
  const result: Record<string, string> = {};
  for (const pair of token) result[String(evaluateToken(pair.key, scope))] = evaluateString(pair.value, scope);
  return result;
}

/** Evaluates an `if:` condition (already wrapped in `success() && (…)` by the parser where GitHub does). */
export function evaluateCondition(token: TemplateToken | undefined, scope: ExpressionScope): boolean {
  if (!token) return truthy(evaluateExpression('success()', scope));
  if (isBasicExpression(token)) return truthy(evaluateExpression(token.expression, scope));
  return truthy(toExpressionData(evaluateToken(token, scope)));
}
