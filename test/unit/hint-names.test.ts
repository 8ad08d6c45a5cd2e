import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { COMMAND_NAMES } from '@preview-actions/core/chatops';
import { ENVIRONMENT_FILE_SCHEMA } from '@preview-actions/core/preview';

const root = join(import.meta.dirname, '..', '..');

function walk(dir: string, accept: (path: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (['node_modules', 'dist', 'lib'].includes(entry)) return [];
    return statSync(path).isDirectory() ? walk(path, accept) : accept(path) ? [path] : [];
  });
}

type Meta = { inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
const actions = readdirSync(join(root, 'actions')).filter((a) => existsSync(join(root, 'actions', a, 'action.yml')));
const metadata = new Map(
  actions.map((a) => [a, parse(readFileSync(join(root, 'actions', a, 'action.yml'), 'utf8')) as Meta]),
);

/** Every key at any depth of the environment file's schema. */
function schemaKeys(node: unknown, into = new Set<string>()): Set<string> {
  if (!node || typeof node !== 'object') return into;
  const properties = (node as { properties?: Record<string, unknown> }).properties;
  for (const key of Object.keys(properties ?? {})) into.add(key);
  for (const value of Object.values(node)) schemaKeys(value, into);
  return into;
}

const known = new Set<string>([
  ...actions,
  ...[...metadata.values()].flatMap((m) => [...Object.keys(m.inputs ?? {}), ...Object.keys(m.outputs ?? {})]),
  ...schemaKeys(ENVIRONMENT_FILE_SCHEMA),
  ...COMMAND_NAMES.map((c) => `/${c}`),
]);

/**
 * Backticked kebab-case words that are not our inputs, outputs, fields or commands, each with why it is real:
 * third-party inputs, example values, tag suffixes, the services JSON's keys, and other bots' commands that
 * pr-command ignores.
 */
const NOT_OURS = new Map([
  ['role-to-assume', 'aws-actions/configure-aws-credentials input'],
  ['aws-region', 'aws-actions/configure-aws-credentials input'],
  ['role-duration-seconds', 'aws-actions/configure-aws-credentials input'],
  ['aws-access-key-id', 'aws-actions/configure-aws-credentials input (named to say we never take it)'],
  ['amazon-ecr-login', 'aws-actions/amazon-ecr-login'],
  ['check-dist', 'a pnpm script'],
  ['preview-actions', "this repository's name, which a fork or mirror keeps"],
  ['pr-environments', 'the default preview cluster name'],
  ['services-prod', 'the default production cluster name'],
  ['services-test', 'the default test cluster name'],
  ['us-east-1', 'an AWS region'],
  ['low-high', "priority-range's shape"],
  ['deployed-at', 'the preview-actions:deployed-at ownership tag'],
  ['health-path', "a key of deploy-pr-env's services JSON"],
  ['health-url', "a key of the services JSON post-pr-comment reads (also deploy-compose's input)"],
  ['logs-url', 'a key of the services JSON post-pr-comment reads'],
  ['/depoly', 'a near miss pr-command answers'],
  ['/cc', "another bot's command pr-command ignores"],
  ['/lgtm', "another bot's command pr-command ignores"],
  ['/hold', "another bot's command pr-command ignores"],
  ['/graphql', "GitHub's GraphQL endpoint path, in code"],
]);

const docs = [
  join(root, 'README.md'),
  ...walk(join(root, 'docs'), (p) => p.endsWith('.md')),
  ...walk(join(root, 'actions'), (p) => p.endsWith('README.md')),
];
const sources = [
  ...walk(join(root, 'packages', 'core', 'src'), (p) => p.endsWith('.ts') && !p.endsWith('.test.ts')),
  ...walk(join(root, 'actions'), (p) => /\/src\/.*\.ts$/.test(p) && !p.endsWith('.test.ts')),
];

function unknownIn(files: string[], pattern: RegExp): string[] {
  return files.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(pattern)]
      .map((m) => m[1]!)
      .filter((name) => !known.has(name) && !NOT_OURS.has(name) && !/^pr-\d+$/.test(name))
      .map((name) => `${relative(root, file)}: ${name}`),
  );
}

// `some-name` or `/command` in backticks.
const BACKTICKED = /`([a-z][a-z0-9]*(?:-[a-z0-9]+)+|\/[a-z]+)`/g;
// A message telling the user to set, pass or check something: "set 'pr-number'", "check cluster-name".
const HINTED =
  /\b(?:[Ss]et|[Pp]ass|[Cc]heck|[Gg]ive|[Ii]nputs?|output) '?([a-z][a-z0-9]*(?:-[a-z0-9]+)+)'?(?=[\s,;:)'.]|$)/g;

describe('names a doc or message tells the user to use', () => {
  it('are real: backticked names in the READMEs and docs', () => {
    expect(unknownIn(docs, BACKTICKED)).toEqual([]);
  });

  it("are real: the inputs, outputs and fields the actions' messages name", () => {
    expect(unknownIn(sources, HINTED)).toEqual([]);
  });

  it('are real: slash commands the messages name', () => {
    // A command in a message is quoted or backticked (`/deploy <sha>`, '/extend 2h'); URL paths are not.
    expect(unknownIn(sources, /(?<=\\`|')(\/[a-z]{2,})(?=[\s'`,.;:)\\]|$)/g)).toEqual([]);
  });

  it('the checks can fail: a made-up input, output or command is caught', () => {
    const probe = (text: string, pattern: RegExp) =>
      [...text.matchAll(pattern)].map((m) => m[1]!).filter((n) => !known.has(n) && !NOT_OURS.has(n));
    expect(probe("set 'preview-url' and `preview-ttl`, or `/destroy`", HINTED)).toEqual(['preview-url']);
    expect(probe("set 'preview-url' and `preview-ttl`, or `/destroy`", BACKTICKED)).toEqual([
      'preview-ttl',
      '/destroy',
    ]);
    expect(probe("set 'pr-number' and `cluster`, `listener-arn` or `/cleanup`", BACKTICKED)).toEqual([]);
  });
});
