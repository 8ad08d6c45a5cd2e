import { describe, expect, it } from '@jest/globals';
import { readDisplayUrl, renderLink } from './safe-link.js';

describe('readDisplayUrl', () => {
  it('takes credentials out of the address', () => {
    expect(readDisplayUrl('https://bob:s%40cret@pr-1.example.com/api')).toEqual({
      href: 'https://pr-1.example.com/api',
      username: 'bob',
      password: 's@cret',
    });
  });

  it.each(['javascript:alert(1)', 'data:text/html,hi', '/relative', 'not a url', 'ftp://x.example.com'])(
    'refuses %s',
    (text) => {
      expect(readDisplayUrl(text)).toBeUndefined();
    },
  );
});

describe('renderLink', () => {
  it('links an http(s) address, showing it without credentials', () => {
    expect(renderLink('https://u:p@pr-1.example.com/api')).toBe(
      '[https://pr-1.example.com/api](https://pr-1.example.com/api)',
    );
  });

  it('keeps a destination from closing the link or splitting a table cell', () => {
    const link = renderLink('https://x.example.com/a)b](c)|d"e', 'health');
    expect(link).toBe('[health](https://x.example.com/a%29b%5D%28c%29%7Cd%22e)');
  });

  it('shows a non-http address as inert text, without credentials', () => {
    expect(renderLink('javascript:alert(1)')).toBe('javascript:alert\\(1\\)');
    expect(renderLink('ftp://u:p@x.example.com/')).toBe('ftp://x.example.com/');
  });

  it('escapes the link text', () => {
    expect(renderLink('https://x.example.com', '<img src=x>')).toBe('[&lt;img src=x&gt;](https://x.example.com/)');
  });
});
