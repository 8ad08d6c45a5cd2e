/**
 * Masks secrets in log lines as the runner does: every registered value (and each line of a multi-line one)
 * becomes `***`, longest first so a secret containing another is masked whole.
 */
export class LogMasker {
  private readonly values = new Set<string>();

  /** Registers a value to mask from now on (a secret, the job token, an `::add-mask::` value). */
  add(value: string): void {
    for (const candidate of [value, ...value.split(/\r?\n/)]) {
      const trimmed = candidate.trim();
      if (trimmed.length > 0) this.values.add(trimmed);
    }
  }

  /** The text with every registered value replaced by `***`. */
  mask(text: string): string {
    let result = text;
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) result = result.split(value).join('***');
    return result;
  }
}
