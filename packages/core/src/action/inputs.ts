import { ConfigurationError } from './errors.js';
import type { ActionIO } from './io.js';
import { quoteValue } from './quote.js';

/** How one input is read: its default (as in action.yml) and its parser. */
export interface InputSpec<T> {
  readonly required: boolean;
  /** The default action.yml declares; a literal, or a `${{ }}` expression the runner fills. */
  readonly default?: string;
  readonly description: string;
  /** Kept as given instead of trimmed, for values where whitespace is an error worth reporting. */
  readonly keepWhitespace?: boolean;
  parse(raw: string, name: string): T;
}

type Options = { default?: string; required?: boolean; description: string; keepWhitespace?: boolean };

const YAML_TRUE = ['true', 'True', 'TRUE'];
const YAML_FALSE = ['false', 'False', 'FALSE'];

function spec<T>(options: Options, parse: (raw: string, name: string) => T): InputSpec<T> {
  return {
    required: options.required ?? false,
    default: options.default,
    description: options.description,
    keepWhitespace: options.keepWhitespace,
    parse,
  };
}

function fail(name: string, raw: string, expected: string): never {
  throw new ConfigurationError(`Input '${name}' is ${quoteValue(raw)}, expected ${expected}`);
}

/** Builders for typed inputs; each message names the input and the allowed values. */
export const input = {
  /** A string; required ones reject ''. */
  string(options: Options & { pattern?: RegExp; patternHint?: string; maxLength?: number }): InputSpec<string> {
    return spec(options, (raw, name) => {
      if (options.required && raw === '') {
        throw new ConfigurationError(`Input '${name}' is required: set it in the step's 'with:' block`);
      }
      if (options.maxLength !== undefined && raw.length > options.maxLength) {
        fail(name, raw, `at most ${options.maxLength} characters`);
      }
      if (raw !== '' && options.pattern && !options.pattern.test(raw))
        fail(name, raw, options.patternHint ?? `to match ${options.pattern}`);
      return raw;
    });
  },
  /** A YAML 1.2 core boolean: true/True/TRUE/false/False/FALSE. */
  boolean(options: Options): InputSpec<boolean> {
    return spec(options, (raw, name) => {
      if (YAML_TRUE.includes(raw)) return true;
      if (YAML_FALSE.includes(raw)) return false;
      return fail(name, raw, 'true or false');
    });
  },
  /** A whole number within [min, max]. */
  integer(options: Options & { min: number; max: number }): InputSpec<number> {
    return spec(options, (raw, name) => {
      const expected = `a whole number from ${options.min} to ${options.max}`;
      if (!/^-?\d{1,15}$/.test(raw)) fail(name, raw, expected);
      const value = Number(raw);
      if (value < options.min || value > options.max) fail(name, raw, expected);
      return value;
    });
  },
  /** One of a fixed set of words. */
  choice<const T extends string>(options: Options & { values: readonly T[] }): InputSpec<T> {
    return spec(options, (raw, name) => {
      if ((options.values as readonly string[]).includes(raw)) return raw as T;
      return fail(name, raw, `one of ${options.values.join(', ')}`);
    });
  },
  /** A multiline list: one item a line, blank lines and `#` comments skipped. */
  list(options: Options & { item?: (value: string, name: string) => string }): InputSpec<string[]> {
    return spec(options, (raw, name) => {
      const items = parseLines(raw);
      if (options.required && items.length === 0) {
        throw new ConfigurationError(`Input '${name}' needs at least one line`);
      }
      return options.item ? items.map((item) => options.item!(item, name)) : items;
    });
  },
  /** `key=value` pairs, one a line (or also separated by commas unless `commas: false`). Duplicate keys are an error. */
  map(options: Options & { keys?: readonly string[]; commas?: boolean }): InputSpec<Map<string, string>> {
    return spec(options, (raw, name) => parseKeyValues(raw, name, options.keys, options.commas ?? true));
  },
  /** `key=value` pairs in order, one a line or separated by commas, where a key may appear on several lines. */
  pairs(options: Options): InputSpec<[string, string][]> {
    return spec(options, (raw, name) => parsePairs(raw, name));
  },
};

/** Splits a multiline input into trimmed, non-empty, non-comment lines. */
export function parseLines(raw: string): string[] {
  return raw
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Parses `key=value` pairs (lines, and commas when `commas`) in order; a key may repeat. */
export function parsePairs(raw: string, name: string, commas = true): [string, string][] {
  return parseLines(commas ? raw.replace(/,/g, '\n') : raw).map((entry) => {
    const eq = entry.indexOf('=');
    if (eq <= 0) fail(name, entry, 'key=value');
    return [entry.slice(0, eq).trim(), entry.slice(eq + 1).trim()];
  });
}

/** Parses `key=value` pairs (lines, and commas when `commas`); `allowed` limits the keys. */
export function parseKeyValues(
  raw: string,
  name: string,
  allowed?: readonly string[],
  commas = true,
): Map<string, string> {
  const result = new Map<string, string>();
  for (const [key, value] of parsePairs(raw, name, commas)) {
    if (allowed && !allowed.includes(key)) {
      throw new ConfigurationError(
        `Input '${name}' has unknown key ${quoteValue(key)}: allowed keys are ${allowed.join(', ')}`,
      );
    }
    if (result.has(key))
      throw new ConfigurationError(`Input '${name}' sets ${quoteValue(key)} twice: keep one line per key`);
    result.set(key, value);
  }
  return result;
}

/** The typed values of an input spec record. */
export type InputValues<S extends Record<string, InputSpec<unknown>>> = { [K in keyof S]: ReturnType<S[K]['parse']> };

/**
 * Reads and parses every input of an action before any work starts, so bad input fails
 * before anything changes. All problems are collected and reported together.
 */
export function readInputs<S extends Record<string, InputSpec<unknown>>>(io: ActionIO, specs: S): InputValues<S> {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, s] of Object.entries(specs)) {
    try {
      const raw = io.getInput(name);
      values[name] = s.parse(s.keepWhitespace ? raw : raw.trim(), name);
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length > 0) throw new ConfigurationError(problems.join('; '));
  return values as InputValues<S>;
}

/** Declares an action's outputs; the contract test checks them against action.yml. */
export function defineOutputs<const T extends string>(outputs: Record<T, string>): Record<T, string> {
  return outputs;
}

/** Sets every declared output; objects are written as JSON. */
export function writeOutputs<T extends string>(
  io: ActionIO,
  values: Record<T, string | number | boolean | object | undefined>,
): void {
  for (const [name, value] of Object.entries(values) as [string, unknown][]) {
    io.setOutput(name, value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
}
