import { ConfigurationError } from '../action/errors.js';

/** A weekday's full-capacity window in local time; `end <= start` runs past midnight into the next day. */
export interface OperatingWindow {
  /** 0 = Sunday … 6 = Saturday. */
  day: number;
  startMinute: number;
  endMinute: number;
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const TIME = /^([01]\d|2[0-4]):([0-5]\d)$/;

function parseTime(text: string, line: string): number {
  const match = TIME.exec(text.trim());
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
  if (!match || minutes > 1440)
    throw new ConfigurationError(`Window ${JSON.stringify(line)}: times are HH:MM from 00:00 to 24:00`);
  return minutes;
}

function parseDays(text: string, line: string): number[] {
  const days: number[] = [];
  for (const part of text
    .toLowerCase()
    .split(',')
    .map((p) => p.trim())) {
    const [from = '', to] = part.split('-');
    const a = DAYS.indexOf(from);
    const b = to === undefined ? a : DAYS.indexOf(to);
    if (a < 0 || b < 0)
      throw new ConfigurationError(
        `Window ${JSON.stringify(line)}: days are mon, tue, … sun, ranges like mon-fri, or lists like sat,sun`,
      );
    for (let d = a; ; d = (d + 1) % 7) {
      days.push(d);
      if (d === b) break;
    }
  }
  return days;
}

/**
 * Reads full-capacity windows, one `days=HH:MM-HH:MM` a line (`mon-fri=09:00-03:00`; an end at or
 * before the start runs past midnight).
 * @throws ConfigurationError naming the bad line.
 */
export function parseOperatingWindows(lines: readonly string[]): OperatingWindow[] {
  return lines.flatMap((line) => {
    const [days, range] = line.split('=');
    const [start, end] = (range ?? '').split('-');
    if (!days || start === undefined || end === undefined) {
      throw new ConfigurationError(`Window ${JSON.stringify(line)} is not days=HH:MM-HH:MM, e.g. mon-fri=09:00-03:00`);
    }
    const startMinute = parseTime(start, line);
    const endMinute = parseTime(end, line);
    return parseDays(days, line).map((day) => ({ day, startMinute, endMinute }));
  });
}

/** The weekday (0 = Sunday) and minute of the day `at` is in `timeZone`. @throws ConfigurationError for an unknown zone. */
export function readLocalTime(at: Date, timeZone: string): { day: number; minute: number } {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(at);
  } catch {
    throw new ConfigurationError(
      `Time zone ${JSON.stringify(timeZone)} is unknown: use an IANA name such as Africa/Cairo or America/Los_Angeles`,
    );
  }
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    day: DAYS.indexOf(part('weekday').toLowerCase()),
    minute: Number(part('hour')) * 60 + Number(part('minute')),
  };
}

/** True when `at` falls inside any window, in `timeZone`. */
export function isWithinOperatingHours(windows: readonly OperatingWindow[], at: Date, timeZone: string): boolean {
  const { day, minute } = readLocalTime(at, timeZone);
  return windows.some((w) => {
    if (w.endMinute > w.startMinute) return w.day === day && minute >= w.startMinute && minute < w.endMinute;
    return (w.day === day && minute >= w.startMinute) || ((w.day + 1) % 7 === day && minute < w.endMinute);
  });
}

/** Average full-capacity hours per day over a week; overlapping windows are counted twice, so write them apart. */
export function readDailyOperatingHours(windows: readonly OperatingWindow[]): number {
  const minutes = windows.reduce(
    (sum, w) => sum + (w.endMinute > w.startMinute ? w.endMinute - w.startMinute : 1440 - w.startMinute + w.endMinute),
    0,
  );
  return Math.min(24, minutes / 60 / 7);
}
