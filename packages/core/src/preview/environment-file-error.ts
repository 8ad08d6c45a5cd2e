import { ConfigurationError } from '../action/errors.js';

/** Every problem found in an environment file, reported together so one edit can fix them all. */
export class EnvironmentFileError extends ConfigurationError {
  readonly problems: readonly string[];
  constructor(source: string, problems: readonly string[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`${source} has ${count}; fix and push again:\n${problems.map((p) => `- ${p}`).join('\n')}`);
    this.problems = problems;
  }
}
