import { Marked, type Tokens } from 'marked';
import { dropHtmlComments } from './strip-page-html.js';

/** The only raw HTML kept, as GitHub keeps it in comments: the fold the sticky comment's command list uses. */
const KEPT_HTML = /^<\/?(details|summary)>$/i;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Keeps `<details>`/`<summary>` tags and escapes every other piece of raw HTML (GitHub sanitises it too). */
function renderRawHtml({ text }: Tokens.HTML | Tokens.Tag): string {
  return text
    .split(/(<[^>]*>)/)
    .map((part) => (part.startsWith('<') && !KEPT_HTML.test(part) ? escapeHtml(part) : part))
    .join('');
}

/** The first line of each comment on the page, as renderPullRequestPage writes it. */
const COMMENT_HEADER = /^@\S+ commented /;

const STYLE = `
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; max-width: 980px; margin: 2em auto;
  padding: 0 1em; color: #1f2328; line-height: 1.5; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; text-align: left; }
th { background: #f6f8fa; }
code { background: #eff1f3; padding: 0.1em 0.3em; border-radius: 4px; }
h3.comment-header { font-size: 1em; background: #f6f8fa; border: 1px solid #d1d9e0; padding: 0.4em 0.8em; border-radius: 6px; }
hr { border: 0; border-top: 1px solid #d1d9e0; }
`;

/**
 * Renders the PR page's markdown ({@link renderPullRequestPage}) as a standalone HTML page with GitHub-flavoured
 * markdown (tables, autolinks, strikethrough), HTML comments dropped and other raw HTML escaped but the
 * `<details>` fold.
 */
export function renderPullRequestHtml(markdown: string, title: string): string {
  const marked = new Marked({ gfm: true });
  marked.use({
    renderer: {
      html: renderRawHtml,
      // the page's own comment headers (`### @login commented …`) get GitHub's header bar; a comment's headings not
      heading({ tokens, depth, text }) {
        if (depth !== 3 || !COMMENT_HEADER.test(text)) return false;
        return `<h3 class="comment-header">${this.parser.parseInline(tokens)}</h3>\n`;
      },
    },
  });
  const body = marked.parse(dropHtmlComments(markdown), { async: false }) as string;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
