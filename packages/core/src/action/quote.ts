const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Quotes untrusted text for a one-line message: control characters become escapes,
 * quotes are escaped, and the text is cut to `max` characters so a 100 KB value
 * cannot flood a log.
 */
export function quoteValue(value: string, max = 80): string {
  const cut = value.length > max ? value.slice(0, max) : value;
  const escaped = cut
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `'${escaped}'${value.length > max ? `… (${value.length} characters)` : ''}`;
}

/** Folds any message to a single line, so a workflow command can never be smuggled in. */
export function toOneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
