/**
 * The runner-facing side of an action: inputs, outputs, secrets, the job summary
 * and log lines. The real one wraps @actions/core; tests hand in {@link MemoryIO}.
 */
export interface ActionIO {
  /** The raw input value, '' when unset. */
  getInput(name: string): string;
  setOutput(name: string, value: string): void;
  /** Registers a value the runner masks in every later log line. */
  setSecret(value: string): void;
  appendSummary(markdown: string): Promise<void>;
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  isDebug(): boolean;
  startGroup(name: string): void;
  endGroup(): void;
  /** Keeps a value for this action's post step (the runner's GITHUB_STATE). */
  saveState(name: string, value: string): void;
  /** A value the main step saved, '' when none. */
  getState(name: string): string;
}

/** An in-memory {@link ActionIO} for unit tests. */
export class MemoryIO implements ActionIO {
  readonly outputs: Record<string, string> = {};
  readonly secrets: string[] = [];
  readonly state: Record<string, string> = {};
  readonly lines: { level: 'debug' | 'info' | 'warning' | 'error'; message: string }[] = [];
  summary = '';
  constructor(
    private readonly inputs: Record<string, string> = {},
    private readonly debugEnabled = false,
  ) {}
  getInput(name: string): string {
    return this.inputs[name] ?? '';
  }
  setOutput(name: string, value: string): void {
    this.outputs[name] = value;
  }
  setSecret(value: string): void {
    this.secrets.push(value);
  }
  async appendSummary(markdown: string): Promise<void> {
    this.summary += markdown;
  }
  debug(message: string): void {
    this.lines.push({ level: 'debug', message });
  }
  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  warning(message: string): void {
    this.lines.push({ level: 'warning', message });
  }
  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }
  isDebug(): boolean {
    return this.debugEnabled;
  }
  startGroup(): void {}
  endGroup(): void {}
  saveState(name: string, value: string): void {
    this.state[name] = value;
  }
  getState(name: string): string {
    return this.state[name] ?? '';
  }
  /** Every line at the given level, for assertions. */
  messages(level?: 'debug' | 'info' | 'warning' | 'error'): string[] {
    return this.lines.filter((l) => !level || l.level === level).map((l) => l.message);
  }
}
