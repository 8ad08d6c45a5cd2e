import { ConfigurationError } from '../action/errors.js';
import { quoteValue } from '../action/quote.js';

/** The run that wrote a sticky comment. */
export interface RunStamp {
  runId: string;
  runAttempt: string;
}

/** A sticky comment body taken apart. */
export interface StickyBody {
  header: string;
  run: RunStamp | undefined;
  content: string;
}

const HEADER = /^[A-Za-z0-9._-]{1,64}$/;
const RUN_LINE = /^<!-- preview-actions:run (\d{1,20})\/(\d{1,10}) -->$/;

/** The first line of every sticky comment: `<!-- preview-actions:{header} -->`. */
export function formatStickyMarker(header: string): string {
  if (!HEADER.test(header)) {
    throw new ConfigurationError(
      `comment header ${quoteValue(header)} is not allowed: use 1-64 letters, digits, dots, dashes or underscores`,
    );
  }
  return `<!-- preview-actions:${header} -->`;
}

/** Builds a body: the header marker, the hidden run stamp, then the content. */
export function formatStickyBody(header: string, run: RunStamp, content: string): string {
  return `${formatStickyMarker(header)}\n<!-- preview-actions:run ${run.runId}/${run.runAttempt} -->\n${content}`;
}

/**
 * Reads a body written by {@link formatStickyBody} for `header`; undefined when its first
 * line is not exactly that marker. The run stamp is read only from the second line, so text
 * inside the content cannot pose as one.
 */
export function parseStickyBody(header: string, body: string): StickyBody | undefined {
  const marker = formatStickyMarker(header);
  if (body !== marker && !body.startsWith(`${marker}\n`) && !body.startsWith(`${marker}\r\n`)) return undefined;
  const rest = body.slice(marker.length).replace(/^\r?\n/, '');
  const newline = rest.indexOf('\n');
  const second = (newline < 0 ? rest : rest.slice(0, newline)).replace(/\r$/, '');
  const match = RUN_LINE.exec(second);
  if (!match) return { header, run: undefined, content: rest };
  return {
    header,
    run: { runId: match[1]!, runAttempt: match[2]! },
    content: newline < 0 ? '' : rest.slice(newline + 1),
  };
}

/** Orders runs: by run id, then attempt. Negative when `a` is older. */
export function compareRuns(a: RunStamp, b: RunStamp): number {
  const byId = BigInt(a.runId) - BigInt(b.runId);
  if (byId !== 0n) return byId < 0n ? -1 : 1;
  const byAttempt = BigInt(a.runAttempt) - BigInt(b.runAttempt);
  return byAttempt === 0n ? 0 : byAttempt < 0n ? -1 : 1;
}
