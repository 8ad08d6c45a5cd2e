import { describe, expect, it } from '@jest/globals';
import { code, escapeMarkdown, renderDetails, renderTable } from './summary.js';

describe('summary rendering', () => {
  it('escapes markdown, HTML, pipes and mentions so a cell stays one inert cell', () => {
    expect(escapeMarkdown('a|b <img src=x> **bold** @admin\nnext')).toBe(
      'a&#124;b &lt;img src=x&gt; \\*\\*bold\\*\\* @\u200badmin next',
    );
  });

  it('keeps image digests intact while defusing mentions', () => {
    expect(escapeMarkdown('r/app@sha256:ab (@team)')).toBe('r/app@sha256:ab \\(@\u200bteam\\)');
  });

  it('renders a table with escaped cells and trusted markdown cells', () => {
    expect(renderTable(['Name', 'Link'], [['x|y', { markdown: '[ok](https://e.x)' }]])).toBe(
      '| Name | Link |\n| --- | --- |\n| x&#124;y | [ok](https://e.x) |\n',
    );
  });

  it('fences code spans longer than any backtick run inside', () => {
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`x`')).toBe('`` `x` ``');
  });

  it('escapes the details summary line', () => {
    expect(renderDetails('<b>x</b>', 'body')).toBe(
      '<details><summary>&lt;b&gt;x&lt;/b&gt;</summary>\n\nbody\n</details>\n',
    );
  });
});
