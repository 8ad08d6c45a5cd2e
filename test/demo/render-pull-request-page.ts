import type { GitHubData, ReactionContent } from '../standins/github/records.js';

/** What the GitHub stand-in's `snapshot` admin operation returns. */
export type GitHubSnapshot = Omit<GitHubData, 'tokens'>;

const REACTION_EMOJI: Record<ReactionContent, string> = {
  '+1': '👍',
  '-1': '👎',
  laugh: '😄',
  confused: '😕',
  heart: '❤️',
  hooray: '🎉',
  rocket: '🚀',
  eyes: '👀',
};

/** A table cell: one line, its pipes escaped (GFM), never empty. */
function cell(text: string | null | undefined): string {
  const flat = (text ?? '').replace(/\s*\n\s*/g, ' ').trim();
  return flat ? flat.replace(/\|/g, '\\|') : '–';
}

/** A link when there is a URL; `label` alone otherwise. */
function link(label: string, url: string | null | undefined): string {
  return url ? `[${label.replace(/[[\]]/g, '\\$&')}](${url})` : label;
}

/** `2026-12-02T01:23:45.678Z` → `2026-12-02 01:23:45 UTC`. */
function when(iso: string): string {
  return `${iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '')} UTC`;
}

/**
 * Renders, as GitHub-flavoured markdown, what a pull request's page on GitHub shows from the stand-in's state: the
 * title and state, the conversation (every comment in order, hidden ones folded as GitHub folds them, with their
 * reactions), the check runs on the PR's commits, and the Deployments with their statuses and environment URLs.
 * `repo` is `owner/name`.
 */
export function renderPullRequestPage(snapshot: GitHubSnapshot, repo: string, number: number): string {
  const key = repo.toLowerCase();
  const pull = snapshot.pullRequests.find((p) => p.repo.toLowerCase() === key && p.number === number);
  if (!pull) throw new Error(`the GitHub stand-in has no pull request ${repo}#${number}`);
  const state = pull.merged ? 'Merged' : pull.state === 'open' ? 'Open' : 'Closed';
  const lines: string[] = [
    `# ${pull.title} #${number}`,
    '',
    `**${state}** · @${pull.author} wants to merge ${pull.commits.length} commit(s) into \`${pull.base.ref}\` from \`${pull.head.ref}\` (head \`${pull.head.sha.slice(0, 7)}\`)`,
    '',
    '## Conversation',
    '',
  ];
  const comments = snapshot.comments
    .filter((c) => c.repo.toLowerCase() === key && c.issueNumber === number)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
  if (comments.length === 0) lines.push('_No comments._', '');
  for (const comment of comments) {
    const edited = comment.updatedAt !== comment.createdAt ? ' (edited)' : '';
    lines.push(`### @${comment.author} commented ${when(comment.createdAt)}${edited}`, '');
    if (comment.minimizedReason) {
      lines.push(`_This comment was hidden as ${comment.minimizedReason.toLowerCase()}._`, '');
    } else {
      lines.push(comment.body.trim(), '');
    }
    const reactions = snapshot.reactions.filter((r) => r.commentId === comment.id);
    if (reactions.length > 0)
      lines.push(
        `Reactions: ${reactions.map((r) => `${REACTION_EMOJI[r.content]} ${r.content} (@${r.user})`).join(', ')}`,
        '',
      );
    lines.push('---', '');
  }

  const commits = new Set([...pull.commits, pull.head.sha]);
  const checks = snapshot.checkRuns.filter((c) => c.repo.toLowerCase() === key && commits.has(c.headSha));
  lines.push('## Checks', '');
  if (checks.length === 0) lines.push('_No check runs on this pull request’s commits._', '');
  else {
    lines.push('| Check | Commit | Status | Conclusion | Title |', '| --- | --- | --- | --- | --- |');
    for (const check of checks)
      lines.push(
        `| ${link(cell(check.name), check.detailsUrl)} | \`${check.headSha.slice(0, 7)}\` | ${cell(check.status)} | ${cell(check.conclusion)} | ${cell(check.output.title)} |`,
      );
    lines.push('');
  }

  const deployments = snapshot.deployments.filter((d) => d.repo.toLowerCase() === key && commits.has(d.sha));
  lines.push('## Deployments', '');
  if (deployments.length === 0) lines.push('_No Deployments from this pull request’s commits._', '');
  else {
    lines.push('| Environment | Commit | State | Statuses | URL |', '| --- | --- | --- | --- | --- |');
    for (const deployment of deployments) {
      const statuses = snapshot.deploymentStatuses
        .filter((s) => s.deploymentId === deployment.id)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
      const latest = statuses.at(-1);
      const url = statuses.findLast((s) => s.environmentUrl)?.environmentUrl;
      lines.push(
        `| ${cell(deployment.environment)} | \`${deployment.sha.slice(0, 7)}\` | ${cell(latest?.state ?? 'created')} | ${cell(statuses.map((s) => s.state).join(' → '))} | ${url ? link(url, url) : '–'} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
