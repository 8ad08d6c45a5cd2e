import type { StandinResult, StandinStep } from '../standin-api.js';

/** A failed step with its one-line error. */
export function failure(error: string): StandinResult {
  return { outcome: 'failure', error };
}

/**
 * Fails the step when it passes an input the stand-in does not implement, naming it, so a template that
 * starts using one is noticed instead of silently run without it. Returns undefined when every input is known.
 */
export function refuseUnimplementedInputs(
  step: StandinStep,
  actionName: string,
  implemented: readonly string[],
): StandinResult | undefined {
  const unknown = Object.keys(step.inputs).filter((name) => !implemented.includes(name));
  if (unknown.length === 0) return undefined;
  return failure(
    `${actionName} stand-in: input ${unknown.map((n) => `'${n}'`).join(', ')} is not implemented ` +
      `(implemented: ${implemented.join(', ')}); extend test/runner/standins or drop the input`,
  );
}

/** GitHub Actions' boolean input reading: true/True/TRUE, false/False/FALSE, else an error naming the input. */
export function readBooleanInput(step: StandinStep, name: string, fallback: boolean): boolean {
  const value = step.inputs[name];
  if (value === undefined || value === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new TypeError(
    `Input does not meet YAML 1.2 "Core Schema" specification: ${name}\nSupport boolean input list: \`true | True | TRUE | false | False | FALSE\``,
  );
}
