/** How a release ended, as a notification tells it. */
export type NoticeOutcome = 'success' | 'failure' | 'rolled-back';

/** The facts every notification format renders: one title, one line, a few name/value pairs. */
export interface ReleaseNotice {
  outcome: NoticeOutcome;
  /** e.g. `v1.2.3 → prod`. */
  title: string;
  /** One line: what happened, or why it failed. */
  text: string;
  /** Name/value pairs shown as a table: services and digests, the cluster. */
  facts: [string, string][];
  /** The workflow run, for a "View run" link. */
  runUrl?: string;
}
