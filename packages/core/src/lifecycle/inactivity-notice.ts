/** The sticky-comment header of lifecycle notices, one per PR. */
export const LIFECYCLE_COMMENT_HEADER = 'preview-lifecycle';

/** The PR comment telling its author what the sweep did to an idle preview, and how to get it back. */
export function formatInactivityNotice(
  notice: { kind: 'hibernated'; idleHours: number; deleteAfter: Date } | { kind: 'deleted' },
): string {
  if (notice.kind === 'hibernated') {
    return [
      `💤 **This preview was hibernated** after ${notice.idleHours} hours without activity: its services are scaled to zero.`,
      '',
      `It will be deleted after **${notice.deleteAfter.toISOString()}**. Comment \`/deploy\` to bring it back now, or \`/extend <duration>\` to keep it.`,
    ].join('\n');
  }
  return [
    '🧹 **This preview was deleted** after a period without activity.',
    '',
    'Comment `/deploy` to recreate it.',
  ].join('\n');
}
