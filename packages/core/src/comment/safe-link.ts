import { escapeMarkdown } from '../action/summary.js';

/** A URL taken apart for display: the address without credentials, and the credentials it carried. */
export interface DisplayUrl {
  href: string;
  username?: string;
  password?: string;
}

/**
 * Reads an http(s) URL for display, with any `user:password@` removed so credentials never
 * ride along in a link. Undefined for anything else (javascript:, data:, relative or broken text).
 */
export function readDisplayUrl(text: string): DisplayUrl | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  url.username = '';
  url.password = '';
  return { href: url.href, ...(username ? { username } : {}), ...(password ? { password } : {}) };
}

/**
 * A markdown link whose text is escaped and whose destination cannot break out of the link or
 * a table cell. Without `text` the link shows the address itself, minus credentials. A URL that
 * is not plain http(s) is never linked: it shows as escaped text without its `user:password@`.
 */
export function renderLink(url: string, text?: string): string {
  const display = readDisplayUrl(url);
  if (!display) return escapeMarkdown(text ?? url.replace(/\/\/[^/@\s]*@/, '//'));
  text ??= display.href;
  const destination = display.href.replace(
    /[()[\]<>|\\ "'`*_]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return `[${escapeMarkdown(text)}](${destination})`;
}
