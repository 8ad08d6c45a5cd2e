import fc from 'fast-check';
import { formatOwnerComment, formatOwnerCommentPrefix, isOwnerComment, parseOwnerComment } from './owner-comment.js';

describe('owner comments', () => {
  it('round-trips a repository and pull request', () => {
    const comment = formatOwnerComment({ repo: 'octo-org/octo-repo', pr: 12 });
    expect(comment).toBe('preview-actions:repo=octo-org/octo-repo;pr=12');
    expect(parseOwnerComment(comment)).toEqual({ repo: 'octo-org/octo-repo', pr: 12 });
    expect(comment.startsWith(formatOwnerCommentPrefix('octo-org/octo-repo'))).toBe(true);
  });

  it('hashes repositories whose name would not fit in a free-plan comment', () => {
    const repo = `${'o'.repeat(39)}/${'r'.repeat(100)}`;
    const comment = formatOwnerComment({ repo, pr: 4_294_967_295 });
    expect(comment.length).toBeLessThanOrEqual(100);
    expect(comment).toMatch(/^preview-actions:repo-sha256=[0-9a-f]{16};pr=4294967295$/);
    expect(isOwnerComment(comment, { repo: repo.toUpperCase(), pr: 4_294_967_295 })).toBe(true);
    expect(isOwnerComment(comment, { repo: `${repo}x` })).toBe(false);
  });

  it('keeps every comment within 100 characters', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/);
    fc.assert(
      fc.property(name, fc.integer({ min: 1, max: 4_294_967_295 }), (repo, pr) => {
        const comment = formatOwnerComment({ repo, pr });
        expect(comment.length).toBeLessThanOrEqual(100);
        expect(isOwnerComment(comment, { repo, pr })).toBe(true);
      }),
    );
  });

  it.each([
    'preview-actions:repo=octo-org/octo-repo;pr=12 ',
    'preview-actions:repo=octo-org/octo-repo;pr=012',
    'preview-actions:repo=octo-org/octo-repo;pr=0',
    'preview-actions:repo=octo-org/octo-repo;pr=12;extra',
    'PREVIEW-ACTIONS:repo=octo-org/octo-repo;pr=12',
    'note: preview-actions:repo=octo-org/octo-repo;pr=12',
    'preview-actions:repo=octo-org;pr=12',
    null,
  ])('refuses the near miss %j', (comment) => {
    expect(parseOwnerComment(comment)).toBeUndefined();
  });

  it('matches repositories case-insensitively and pull requests exactly', () => {
    const comment = formatOwnerComment({ repo: 'Octo-Org/Octo-Repo', pr: 12 });
    expect(isOwnerComment(comment, { repo: 'octo-org/octo-repo' })).toBe(true);
    expect(isOwnerComment(comment, { repo: 'octo-org/octo-repo', pr: 12 })).toBe(true);
    expect(isOwnerComment(comment, { repo: 'octo-org/octo-repo', pr: 1 })).toBe(false);
    expect(isOwnerComment(comment, { repo: 'octo-org/octo' })).toBe(false);
  });
});
