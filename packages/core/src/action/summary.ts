/** Escapes text for a markdown table cell or paragraph: no HTML, no pipes, no line breaks. */
export function escapeMarkdown(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/([\\`*_[\]{}()#+!~])/g, '\\$1')
      .replace(/\|/g, '&#124;')
      // Only a word-initial @ can mention someone; image@sha256 digests stay copyable.
      .replace(/(^|[^A-Za-z0-9_.\-/])@(?=[A-Za-z0-9])/g, '$1@\u200b')
      .replace(/\r?\n/g, ' ')
  );
}

/** Wraps text in an inline code span that its own backticks cannot break out of. */
export function code(text: string): string {
  const clean = text.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/** A cell is escaped text unless it is marked as already-safe markdown. */
export type Cell = string | number | boolean | { markdown: string };

function renderCell(cell: Cell): string {
  if (typeof cell === 'object') return cell.markdown.replace(/\|/g, '&#124;').replace(/\r?\n/g, ' ');
  return escapeMarkdown(String(cell));
}

/** Renders a markdown table; every cell is escaped unless given as `{ markdown }`. */
export function renderTable(headers: string[], rows: Cell[][]): string {
  const head = `| ${headers.map(escapeMarkdown).join(' | ')} |`;
  const rule = `| ${headers.map(() => '---').join(' | ')} |`;
  const body = rows.map((row) => `| ${row.map(renderCell).join(' | ')} |`);
  return [head, rule, ...body].join('\n') + '\n';
}

/** A collapsible section; the summary line is escaped, the body is trusted markdown. */
export function renderDetails(summary: string, body: string): string {
  return `<details><summary>${escapeMarkdown(summary)}</summary>\n\n${body}\n</details>\n`;
}

/** A level-N heading with escaped text. */
export function renderHeading(text: string, level = 3): string {
  return `${'#'.repeat(level)} ${escapeMarkdown(text)}\n`;
}
