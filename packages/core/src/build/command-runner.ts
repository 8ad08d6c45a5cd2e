/** What a finished command left behind. */
export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a program with an argument vector, never through a shell, so no input text can
 * become shell syntax. The real one uses @actions/exec; tests run real programs too.
 */
export interface CommandRunner {
  run(
    command: string,
    args: readonly string[],
    options?: { cwd?: string; env?: Record<string, string> },
  ): Promise<CommandResult>;
}

/** A {@link CommandRunner} over @actions/exec, streaming output to the log as it comes. */
export async function createExecRunner(): Promise<CommandRunner> {
  const { getExecOutput } = await import('@actions/exec');
  return {
    async run(command, args, options) {
      const result = await getExecOutput(command, [...args], {
        ignoreReturnCode: true,
        ...(options?.cwd && { cwd: options.cwd }),
        ...(options?.env && { env: { ...(process.env as Record<string, string>), ...options.env } }),
      });
      return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
    },
  };
}
