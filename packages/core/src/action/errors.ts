/**
 * An error the user fixes by changing their configuration (an input, a file, a tag).
 * Its message is one line that says what is wrong and how to fix it; no stack is shown.
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** True for a {@link ConfigurationError}, also across bundle boundaries (checked by name). */
export function isConfigurationError(error: unknown): error is ConfigurationError {
  return error instanceof ConfigurationError || (error instanceof Error && error.name === 'ConfigurationError');
}

/** Thrown when a use case aborts itself on purpose after reporting what went wrong. */
export class ReportedFailure extends Error {
  override readonly name = 'ReportedFailure';
}
