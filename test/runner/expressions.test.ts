import { describe, expect, it } from '@jest/globals';
import { NoOperationTraceWriter, parseWorkflow, convertWorkflowTemplate } from '@actions/workflow-parser';
import { isJob } from '@actions/workflow-parser/model/type-guards';
import { evaluateCondition, evaluateExpression, fromExpressionData, UnsupportedConstructError } from './expressions.js';

const status = { success: true, failure: false, cancelled: false };
const evaluate = (source: string, contexts: Record<string, unknown> = {}, s = status) =>
  fromExpressionData(evaluateExpression(source, { contexts, status: s }));

describe('the expression engine (GitHub @actions/expressions with our status functions)', () => {
  it('evaluates contexts, operators and the built-in functions', () => {
    const github = { ref_name: 'v1.2.3-rc.1', event: { inputs: { mode: '' } } };
    expect(evaluate("contains(github.ref_name, '-')", { github })).toBe(true);
    expect(evaluate("github.event.inputs.mode || 'auto'", { github })).toBe('auto');
    expect(evaluate("format('{0}-{1}', 'a', 1)")).toBe('a-1');
    expect(evaluate('fromJSON(\'{"a":[1,2]}\').a[1]')).toBe(2);
    expect(evaluate('github.missing.deep', { github })).toBeNull();
  });

  it('answers success(), failure(), always() and cancelled() from the scope', () => {
    expect(evaluate('success()')).toBe(true);
    expect(evaluate('success()', {}, { success: false, failure: true, cancelled: false })).toBe(false);
    expect(evaluate('failure()', {}, { success: false, failure: true, cancelled: false })).toBe(true);
    expect(evaluate('success()', {}, { success: true, failure: false, cancelled: true })).toBe(false);
    expect(evaluate('cancelled() && always()', {}, { success: true, failure: false, cancelled: true })).toBe(true);
  });

  it('refuses a function it does not supply (hashFiles) and status functions where none are allowed', () => {
    expect(() => evaluate("hashFiles('x')")).toThrow(UnsupportedConstructError);
    expect(() => evaluateExpression('success()', { contexts: {} })).toThrow(/Unrecognized function: 'success'/);
  });

  it('relies on the parser to wrap an if without a status function in success() && (…)', async () => {
    const content = [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: x',
      "    if: github.ref == 'refs/heads/main'",
      '    steps:',
      '      - run: echo',
      '  b:',
      '    runs-on: x',
      '    if: always()',
      '    steps:',
      '      - run: echo',
    ].join('\n');
    const parsed = parseWorkflow({ name: 'w.yml', content }, new NoOperationTraceWriter());
    const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
    const [a, b] = template.jobs.filter(isJob);
    const contexts = { github: { ref: 'refs/heads/main' } };
    expect(evaluateCondition(a!.if, { contexts, status })).toBe(true);
    expect(evaluateCondition(a!.if, { contexts, status: { ...status, success: false } })).toBe(false);
    expect(evaluateCondition(b!.if, { contexts, status: { success: false, failure: true, cancelled: true } })).toBe(
      true,
    );
  });
});
