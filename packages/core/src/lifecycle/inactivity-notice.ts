/** The sticky-comment header of lifecycle notices, one per PR. */
export const LIFECYCLE_COMMENT_HEADER = 'preview-lifecycle';

/** What a lifecycle notice tells: an expiry ahead, a hibernation, or a deletion, and for which rule. */
export type LifecycleNotice =
  | { kind: 'expiring'; expiresAt: Date; hibernateGraceHours: number }
  | { kind: 'hibernated'; cause: 'idle'; idleHours: number; deleteAfter: Date }
  | { kind: 'hibernated'; cause: 'expired'; expiredAt: Date; deleteAfter: Date }
  | { kind: 'deleted'; cause: 'idle' | 'expired' };

/**
 * The PR comment telling its author what the sweep will do or did to the preview, under which rule (its
 * ttl-hours expiry, or inactivity), and how to keep it or get it back.
 */
export function formatInactivityNotice(notice: LifecycleNotice): string {
  if (notice.kind === 'expiring') {
    return [
      `⏳ **This preview expires at ${notice.expiresAt.toISOString()}** (the environment file's ttl-hours): it will be hibernated then, and deleted ${notice.hibernateGraceHours} hours later.`,
      '',
      'Comment `/extend <duration>` (e.g. `/extend 1d`) to keep it longer, up to the allowed maximum.',
    ].join('\n');
  }
  if (notice.kind === 'hibernated') {
    const why =
      notice.cause === 'expired'
        ? `its expiry (${notice.expiredAt.toISOString()}, the environment file's ttl-hours) has passed`
        : `${notice.idleHours} hours without activity`;
    return [
      `💤 **This preview was hibernated**: ${why}. Its services are scaled to zero.`,
      '',
      `It will be deleted after **${notice.deleteAfter.toISOString()}**. Comment \`/deploy\` to bring it back now, or \`/extend <duration>\` to keep it.`,
    ].join('\n');
  }
  return [
    notice.cause === 'expired'
      ? '🧹 **This preview was deleted** after its expiry and the grace that followed.'
      : '🧹 **This preview was deleted** after a period without activity.',
    '',
    'Comment `/deploy` to recreate it.',
  ].join('\n');
}
