import type { ActionRun } from '../harness/index.js';

// Every value below must be rejected or rendered inert wherever it lands: stdout (workflow commands),
// the step summary, error annotations, and the PR comment.
export const CORPUS: Record<string, string> = {
  'shell metacharacters': 'a; rm -rf / && echo $HOME | tee /tmp/x > /dev/null &',
  'command substitution': '$(touch /tmp/PWNED)`id`${IFS}',
  'workflow commands after newlines':
    'x\n::set-output name=PWNED::1\n::add-mask::PWNED\n::error::PWNED injected\n::stop-commands::PWNEDTOKEN',
  'workflow command after CRLF': 'x\r\n::warning::PWNED crlf',
  'escaped workflow command': 'x%0A::error::PWNED escaped',
  'html injection': '<img src=x onerror=alert(1)><script>alert(1)</script>',
  'markdown link and mention': '[click](javascript:alert(1)) @PWNEDuser',
  'table break': 'a | PWNED | b\n| --- | --- |',
  'comment break-out': '--> <img src=x onerror=alert(1)> <!--',
  '64 KB string': 'A'.repeat(64 * 1024),
};
const MAX_ERROR_LENGTH = 2048;
const OUR_COMMANDS = new Set(['error', 'warning', 'notice', 'debug', 'group', 'endgroup', 'add-mask']);

/** What makes a rendered text unsafe, whatever the channel: live HTML, links, mentions, table breaks. */
export function findUnsafeMarkup(rendered: string): string[] {
  // Inside an inline code span markdown renders nothing: no HTML, no link, no mention, and no cell break
  // outside a table row.
  const text = rendered
    .split('\n')
    .map((line) => (line.startsWith('|') ? line : line.replace(/(`+)(?!`)[^\n]*?(?<!`)\1(?!`)/g, '``')))
    .join('\n');
  const problems: string[] = [];
  if (/<img|<script/i.test(text)) problems.push('raw HTML tag');
  if (/\]\(javascript:/i.test(text)) problems.push('javascript: link');
  if (/(^|[^A-Za-z0-9_.\-/])@PWNEDuser/.test(text)) problems.push('live @mention');
  if (/(^|[^\\])\| PWNED \|/.test(text)) problems.push('unescaped table pipe');
  if (/-->\s*<img/.test(text)) problems.push('HTML comment break-out');
  return problems;
}

/**
 * Problems in one action run fed a hostile value: injected workflow commands, multi-line or huge errors, and unsafe
 * markup in the summary or in `extraText` (PR comments). Empty when the value was rejected or rendered inert.
 */
export function inspectRun(run: ActionRun, extraText: string[] = []): string[] {
  const problems: string[] = [];
  for (const c of run.commands) {
    if (!OUR_COMMANDS.has(c.command)) problems.push(`injected ::${c.command}::`);
    if (/^PWNED/.test(c.message) || c.properties.name === 'PWNED')
      problems.push(`injected ::${c.command}::${c.message.slice(0, 40)}`);
  }
  for (const a of run.annotations.filter((a) => a.level === 'error')) {
    if (/[\r\n]/.test(a.message)) problems.push('multi-line error');
    if (a.message.length > MAX_ERROR_LENGTH) problems.push(`error of ${a.message.length} chars`);
  }
  if (run.stdout.length > 256 * 1024) problems.push(`stdout of ${run.stdout.length} chars`);
  problems.push(...findUnsafeMarkup(run.summary).map((p) => `summary: ${p}`));
  for (const text of extraText) problems.push(...findUnsafeMarkup(text).map((p) => `comment: ${p}`));
  if (run.signal) problems.push(`killed by ${run.signal}`);
  return problems;
}
