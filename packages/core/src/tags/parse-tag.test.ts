import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import semver from 'semver';
import { ConfigurationError } from '../action/errors.js';
import { compareTags } from './compare-tags.js';
import {
  formatBase,
  formatTag,
  formatVersion,
  MAX_TAG_LENGTH,
  parseTag,
  tryParseTag,
  type VersionTag,
} from './parse-tag.js';

describe('parseTag', () => {
  it.each([
    ['v1.2.3', 'release', '1.2.3', 'v1.2.3', null],
    ['v0.0.0', 'release', '0.0.0', 'v0.0.0', null],
    ['v1.8.0-rc.3', 'rc', '1.8.0-rc.3', 'v1.8.0', 3],
    ['v1.8.0-RC.3', 'rc', '1.8.0-rc.3', 'v1.8.0', 3],
    ['v1.8.0-rc3', 'rc', '1.8.0-rc.3', 'v1.8.0', 3],
    ['v1.8.0-RC12', 'rc', '1.8.0-rc.12', 'v1.8.0', 12],
    ['v2.0.1.snap.7', 'snapshot', '2.0.1-snap.7', 'v2.0.1', 7],
    ['v2.0.1-snap.0', 'snapshot', '2.0.1-snap.0', 'v2.0.1', 0],
    ['v10.20.30-rc.0', 'rc', '10.20.30-rc.0', 'v10.20.30', 0],
  ])('%s is a %s', (tag, kind, version, base, pre) => {
    const parsed = parseTag(tag);
    expect(parsed.kind).toBe(kind);
    expect(formatVersion(parsed)).toBe(version);
    expect(formatBase(parsed)).toBe(base);
    expect(parsed.pre).toBe(pre);
  });

  it.each([
    ['v01.2.3'],
    ['v1.02.3'],
    ['v1.2.03'],
    ['v1.2.3-rc.01'],
    ['v1.2.3 '],
    [' v1.2.3'],
    ['v1.2.3;id'],
    ['v1.2.3-rc.'],
    ['v1.2.3-rc'],
    ['v1.2.3-beta.1'],
    ['1.2.3'],
    ['v1.2'],
    ['v1.2.3-Rc.1'],
    ['v1.2.3\nv1.2.4'],
    ['v1.2.3.snap'],
    ['v1.2.3-rc.1-rc.2'],
  ])('rejects %j with a ConfigurationError', (tag) => {
    expect(() => parseTag(tag)).toThrow(ConfigurationError);
    expect(() => parseTag(tag)).toThrow(/^Unsupported tag format: '.*'\. Expected vX\.Y\.Z or vX\.Y\.Z-rc\.N/);
  });

  it('says how to fix an empty tag', () => {
    expect(() => parseTag('')).toThrow("The tag is empty: run on a tag push, or set the 'tag' input to e.g. v1.2.3");
  });

  it('escapes and cuts the quoted tag', () => {
    const hostile = `v1.2.3'\n::set-output name=x::y${'a'.repeat(200)}`;
    let message = '';
    try {
      parseTag(hostile);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toContain('\n');
    expect(message).toContain("v1.2.3\\'\\u000a::set-output");
    expect(message).toContain(`(${hostile.length} characters)`);
  });

  it('refuses a tag over the length limit before matching', () => {
    expect(tryParseTag(`v1.2.3${'0'.repeat(MAX_TAG_LENGTH)}`)).toBeNull();
  });

  it('honours a custom or empty prefix', () => {
    expect(formatTag(parseTag('release/1.2.3-rc.2', 'release/'))).toBe('release/1.2.3-rc.2');
    expect(formatTag(parseTag('1.2.3', ''))).toBe('1.2.3');
    expect(() => parseTag('v1.2.3', 'release/')).toThrow(/Expected release\/X\.Y\.Z/);
  });
});

const num = fc.integer({ min: 0, max: 1_000_000 });
const versionTag: fc.Arbitrary<VersionTag> = fc.oneof(
  fc.record({
    kind: fc.constant('release' as const),
    prefix: fc.constant('v'),
    major: num,
    minor: num,
    patch: num,
    pre: fc.constant(null),
  }),
  fc.record({
    kind: fc.constant('rc' as const),
    prefix: fc.constant('v'),
    major: num,
    minor: num,
    patch: num,
    pre: num,
  }),
  fc.record({
    kind: fc.constant('snapshot' as const),
    prefix: fc.constant('v'),
    major: num,
    minor: num,
    patch: num,
    pre: num,
    snapshotSeparator: fc.constantFrom('-' as const, '.' as const),
  }),
);

describe('properties', () => {
  it('format after parse gives back a canonical tag', () => {
    fc.assert(
      fc.property(versionTag, (tag) => {
        const text = formatTag(tag);
        expect(formatTag(parseTag(text))).toBe(text);
        expect(parseTag(text)).toEqual(tag);
      }),
    );
  });

  it('ordering agrees with SemVer precedence', () => {
    fc.assert(
      fc.property(versionTag, versionTag, (a, b) => {
        expect(Math.sign(compareTags(a, b))).toBe(semver.compare(formatVersion(a), formatVersion(b)));
      }),
    );
  });

  it('every normalized version is valid SemVer', () => {
    fc.assert(fc.property(versionTag, (tag) => semver.valid(formatVersion(tag)) === formatVersion(tag)));
  });

  it('never throws on arbitrary text, and whatever it accepts fits the length limit', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const result = tryParseTag(text);
        return result === null || formatTag(result).length <= MAX_TAG_LENGTH;
      }),
    );
  });
});
