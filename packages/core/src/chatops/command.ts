/** The commands a pull-request comment can give. */
export const COMMAND_NAMES = ['deploy', 'restart', 'cleanup', 'extend', 'help'] as const;

/** One of {@link COMMAND_NAMES}. */
export type CommandName = (typeof COMMAND_NAMES)[number];

/** How long `/extend` keeps an environment alive. */
export interface CommandDuration {
  /** The text as written, e.g. `2h`. */
  text: string;
  milliseconds: number;
}

/** A command that passed the allowlist, with its arguments already validated. */
export type Command =
  | { name: 'deploy'; sha?: string }
  | { name: 'restart' }
  | { name: 'cleanup' }
  | { name: 'extend'; duration: CommandDuration }
  | { name: 'help' };
