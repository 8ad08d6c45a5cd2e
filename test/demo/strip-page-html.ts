/** `<!-- … -->` (markers the sticky comment carries for the action, invisible on GitHub). */
const HTML_COMMENT = /<!--[\s\S]*?-->\n?/g;

/** Drops HTML comments from markdown, as GitHub does when it shows a comment. */
export function dropHtmlComments(markdown: string): string {
  return markdown.replace(HTML_COMMENT, '');
}

/**
 * The markdown a terminal can show: HTML comments dropped, and a `<details><summary>X</summary>` block shown open
 * under its summary in bold (a terminal cannot fold it).
 */
export function stripPageHtml(markdown: string): string {
  return dropHtmlComments(markdown)
    .replace(/<details>\s*<summary>([\s\S]*?)<\/summary>/g, (_, summary: string) => `**${summary.trim()}**\n`)
    .replace(/<\/details>/g, '');
}
