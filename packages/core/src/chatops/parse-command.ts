import { ConfigurationError } from '../action/errors.js';
import { quoteValue } from '../action/quote.js';
import { COMMAND_NAMES, type Command, type CommandName } from './command.js';

/** Which commands are recognised, and the character(s) that start them. */
export interface ParseCommandOptions {
  /** Defaults to `/`. Printable ASCII without spaces or letters/digits, at most 8 characters. */
  prefix?: string;
  /** Defaults to every command in {@link COMMAND_NAMES}. */
  commands?: readonly CommandName[];
}

/**
 * The outcome of reading a comment. `not-a-command` means the comment was not addressed to us
 * (callers stay silent); `invalid` means it looked like a command but was refused.
 */
export type ParseCommandResult =
  { ok: true; command: Command } | { ok: false; kind: 'not-a-command' | 'invalid'; reason: string };

const SHA = /^[0-9a-fA-F]{40}$/;
const HEX = /^[0-9a-fA-F]+$/;
const DURATION = /^([1-9][0-9]{0,3})([mhd])$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const PREFIX = /^[!-/:-@[-`{-~]{1,8}$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const MAX_LINE = 200;

/**
 * Reads a command from the first line of a comment body. Only that line counts, only plain
 * printable ASCII is accepted (so look-alike letters, zero-width characters and bare carriage
 * returns are refused), and each command's arguments must match its exact grammar.
 * Runs in time linear in the first line; never throws for any body.
 */
export function parseCommand(body: string, options: ParseCommandOptions = {}): ParseCommandResult {
  const prefix = options.prefix ?? '/';
  const enabled = new Set<CommandName>(options.commands ?? COMMAND_NAMES);
  const line = readFirstLine(body);
  if (!line.startsWith(prefix))
    return { ok: false, kind: 'not-a-command', reason: `the first line does not start with ${prefix}` };
  const word = line.slice(prefix.length).split(' ', 1)[0]!;
  // Other bots' commands (/cc, /lgtm, /hold) and paths are not ours to answer; a near miss of
  // one of ours (/Deploy, /deploy;id, /depoly) is, so its author learns why nothing happened.
  if (!isNearCommandName(word))
    return { ok: false, kind: 'not-a-command', reason: `the word after ${prefix} is not one of our commands` };
  if (line.length > MAX_LINE) return invalid(`the command line is longer than ${MAX_LINE} characters`);
  if (!PRINTABLE_ASCII.test(line)) return invalid('the command line holds characters other than plain printable ASCII');
  const words = line.slice(prefix.length).trimEnd().split(/ +/);
  const [name = '', ...args] = words;
  if (!isCommandName(name)) return invalid(`unknown command ${JSON.stringify(prefix + name)}`);
  if (!enabled.has(name)) return invalid(`the command ${prefix}${name} is not enabled here`);
  return readArguments(name, args, prefix);
}

/**
 * Checks a configured prefix and command list, so a bad input fails at start-up with a
 * clear message instead of silently matching nothing.
 */
export function validateCommandOptions(options: ParseCommandOptions): void {
  if (options.prefix !== undefined && !PREFIX.test(options.prefix)) {
    throw new ConfigurationError(
      `command-prefix ${quoteValue(options.prefix)} is not allowed: use 1-8 punctuation characters such as / or !`,
    );
  }
  for (const name of options.commands ?? []) {
    if (!isCommandName(name)) {
      throw new ConfigurationError(
        `Unknown command ${quoteValue(name)} in commands: use some of ${COMMAND_NAMES.join(', ')}`,
      );
    }
  }
}

function readFirstLine(body: string): string {
  const newline = body.indexOf('\n');
  const line = newline < 0 ? body : body.slice(0, newline);
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

function isNearCommandName(word: string): boolean {
  if (word === '') return true;
  const lower = word.toLowerCase();
  return COMMAND_NAMES.some(
    (name) =>
      lower.startsWith(name) || (word.length <= name.length + 2 && measureEditDistance(lower, name) <= slack(name)),
  );
}

/** Typos allowed per name: one for a four-letter name (so /hold is not taken for /help), two otherwise. */
function slack(name: string): number {
  return name.length <= 4 ? 1 : 2;
}

/** Levenshtein distance; both strings are at most a few characters longer than a command name. */
function measureEditDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

function isCommandName(name: string): name is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(name);
}

function readArguments(name: CommandName, args: string[], prefix: string): ParseCommandResult {
  switch (name) {
    case 'deploy': {
      if (args.length === 0) return { ok: true, command: { name } };
      const [sha = ''] = args;
      // A prefix could name a commit pushed after the comment (a colliding short sha is cheap to make), so only
      // the full sha pins what is deployed.
      if (args.length === 1 && HEX.test(sha) && sha.length < 40)
        return invalid(
          `${prefix}deploy needs the full 40-character commit sha, not a ${sha.length}-character prefix (git rev-parse HEAD prints it)`,
        );
      if (args.length > 1 || !SHA.test(sha))
        return invalid(`${prefix}deploy takes at most one commit sha, its full 40 hex digits`);
      return { ok: true, command: { name, sha: sha.toLowerCase() } };
    }
    case 'extend': {
      const match = args.length === 1 ? DURATION.exec(args[0]!) : null;
      if (!match) return invalid(`${prefix}extend takes one duration such as 90m, 2h or 1d`);
      const milliseconds = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
      return { ok: true, command: { name, duration: { text: match[0], milliseconds } } };
    }
    default:
      if (args.length > 0) return invalid(`${prefix}${name} takes no arguments`);
      return { ok: true, command: { name } };
  }
}

function invalid(reason: string): ParseCommandResult {
  return { ok: false, kind: 'invalid', reason };
}
