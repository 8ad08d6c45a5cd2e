import type { JobFacts, StandinResult, StandinStep } from '../standin-api.js';
import { standinCatalog } from './catalog.js';

/**
 * Runs stand-ins one after another as one job's steps, the way the workflow runner chains them: each step
 * sees the environment earlier steps exported (GITHUB_ENV), lines and masks are collected. For tests of the
 * stand-ins without the runner.
 */
export class StandinJob {
  readonly env: Record<string, string>;
  readonly log: string[] = [];
  readonly masks: string[] = [];

  constructor(
    readonly facts: JobFacts,
    env: Record<string, string>,
    readonly workspace: string,
  ) {
    this.env = { ...env };
  }

  /** Runs the stand-in for `uses` (with or without `@ref`) and keeps its exports for the next steps. */
  async step(uses: string, inputs: Record<string, string> = {}): Promise<StandinResult> {
    const standin = standinCatalog[uses.split('@')[0]!];
    if (!standin) throw new Error(`no stand-in for ${uses}`);
    const step: StandinStep = {
      uses,
      inputs,
      env: { ...this.env },
      workspace: this.workspace,
      job: this.facts,
      log: (line) => void this.log.push(line),
      mask: (value) => void this.masks.push(value),
    };
    const result = await standin(step);
    Object.assign(this.env, result.exportEnv ?? {});
    return result;
  }

  /** {@link step}, throwing with the step's error when it fails (for set-up steps). */
  async succeed(uses: string, inputs: Record<string, string> = {}): Promise<StandinResult> {
    const result = await this.step(uses, inputs);
    if (result.outcome !== 'success') throw new Error(`${uses}: ${result.error}`);
    return result;
  }
}
