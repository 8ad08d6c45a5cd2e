/** GitHub's limit for issue comment bodies and check-run output, in characters. */
export const GITHUB_TEXT_LIMIT = 65_536;

/**
 * Cuts text to at most `limit` UTF-16 code units (never fewer characters than GitHub counts),
 * ending with a note of how much was left out. Never splits a surrogate pair, so the result
 * is always valid UTF-16.
 */
export function truncateText(text: string, limit: number = GITHUB_TEXT_LIMIT, where = 'the job summary'): string {
  if (text.length <= limit) return text;
  const note = (omitted: number) => `\n\n… truncated: ${omitted} characters left out; see ${where} for the rest.`;
  const kept = sliceWhole(text, Math.max(0, limit - note(text.length).length));
  return kept + note(text.length - kept.length);
}

/** At most `limit` code units of `text`, ending with `…` when cut; never splits a surrogate pair. */
export function shortenText(text: string, limit: number): string {
  return text.length <= limit ? text : `${sliceWhole(text, limit - 1)}…`;
}

function sliceWhole(text: string, end: number): string {
  const code = text.charCodeAt(end - 1);
  return text.slice(0, end > 0 && code >= 0xd800 && code <= 0xdbff ? end - 1 : end);
}
