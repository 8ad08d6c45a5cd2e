import type { ActionIO } from './io.js';

/** Log lines for use cases; grouping keeps long runs readable in the Actions UI. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  group<T>(name: string, work: () => Promise<T>): Promise<T>;
}

/** A {@link Logger} that writes through the action's io. */
export function createLogger(io: ActionIO): Logger {
  return {
    debug: (m) => io.debug(m),
    info: (m) => io.info(m),
    warning: (m) => io.warning(m),
    error: (m) => io.error(m),
    async group(name, work) {
      io.startGroup(name);
      try {
        return await work();
      } finally {
        io.endGroup();
      }
    },
  };
}
