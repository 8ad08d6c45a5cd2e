import { Marked } from 'marked';
import { markedTerminal, type TerminalRendererOptions } from 'marked-terminal';
import { stripPageHtml } from './strip-page-html.js';

/**
 * Whether `pnpm demo` writes ANSI colour: FORCE_COLOR (not 0) forces it, NO_COLOR (any value, no-color.org) turns
 * it off, and otherwise only a terminal gets it, so output piped to a file or a CI log is plain text.
 */
export function shouldUseColour(
  stream: { isTTY?: boolean } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

/** Text styles of the demo's own lines; identity when colour is off. */
export interface TerminalStyles {
  bold(text: string): string;
  dim(text: string): string;
}

/** Bold and dim as ANSI SGR codes, or the text unchanged. */
export function createStyles(colour: boolean): TerminalStyles {
  const wrap = (open: number, close: number) => (text: string) =>
    colour ? `\x1b[${open}m${text}\x1b[${close}m` : text;
  return { bold: wrap(1, 22), dim: wrap(2, 22) };
}

const plain = (text: string) => text;

/** marked-terminal's styles with colour off: every one the identity, tables without coloured head or border. */
const plainOptions: TerminalRendererOptions = {
  code: plain,
  blockquote: plain,
  html: plain,
  heading: plain,
  firstHeading: plain,
  hr: plain,
  listitem: plain,
  table: plain,
  paragraph: plain,
  strong: plain,
  em: plain,
  codespan: plain,
  del: plain,
  link: plain,
  href: plain,
  tableOptions: { style: { head: [], border: [] } },
};

/**
 * Renders GitHub-flavoured markdown (a comment, a job summary, the PR page) for a terminal: entities and markdown
 * escapes resolved, HTML comments dropped and `<details>` shown as its summary line, table headings bold (not
 * marked-terminal's red) with colour and unstyled without.
 */
export function renderMarkdownForTerminal(markdown: string, colour = shouldUseColour()): string {
  const marked = new Marked();
  const options: TerminalRendererOptions = colour
    ? { tableOptions: { style: { head: ['bold'], border: ['grey'] } } }
    : plainOptions;
  marked.use(
    markedTerminal({ reflowText: false, tab: 2, emoji: false, ...options }) as Parameters<typeof marked.use>[0],
  );
  // marked-terminal prints a list item's text token raw (its backticks and asterisks); its inline tokens are there
  marked.use({
    renderer: {
      text(token) {
        return 'tokens' in token && token.tokens ? this.parser.parseInline(token.tokens) : false;
      },
    },
  });
  return (marked.parse(stripPageHtml(markdown), { async: false }) as string).trimEnd();
}

/** A plain fixed-width table, for the closing overview. */
export function renderColumns(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
