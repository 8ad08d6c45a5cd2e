import { GITHUB_TEXT_LIMIT } from '../github/truncate-text.js';

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Cuts markdown to at most `limit` characters so that what is kept still renders as meant: a code
 * fence or HTML comment left open by the cut is closed, so the closing note stays visible and no
 * later text turns into code. Never splits a surrogate pair. Text within the limit is returned as is.
 */
export function truncateMarkdown(text: string, limit: number = GITHUB_TEXT_LIMIT, where = 'the job summary'): string {
  if (text.length <= limit) return text;
  const note = (omitted: number) => `\n\n… truncated: ${omitted} characters left out; see ${where} for the rest.`;
  const closing = (kept: string) => `${closeOpenComment(kept)}${closeOpenFence(kept)}`;
  const reserve = note(text.length).length + 16;
  let kept = sliceWhole(text, Math.max(0, limit - reserve));
  while (kept.length > 0 && kept.length + closing(kept).length + note(text.length - kept.length).length > limit) {
    kept = sliceWhole(kept, kept.length - 64);
  }
  return kept + closing(kept) + note(text.length - kept.length);
}

function closeOpenComment(kept: string): string {
  return kept.lastIndexOf('<!--') > kept.lastIndexOf('-->') ? ' -->' : '';
}

function closeOpenFence(kept: string): string {
  let open: string | undefined;
  for (const line of kept.split('\n')) {
    const match = FENCE.exec(line);
    if (!match) continue;
    const marker = match[1]!;
    if (open === undefined) open = marker;
    else if (marker[0] === open[0] && marker.length >= open.length && line.trim() === marker) open = undefined;
  }
  return open === undefined ? '' : `\n${open}`;
}

function sliceWhole(text: string, end: number): string {
  if (end <= 0) return '';
  const code = text.charCodeAt(end - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? end - 1 : end);
}
