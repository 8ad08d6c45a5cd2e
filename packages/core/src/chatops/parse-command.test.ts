import fc from 'fast-check';
import { ConfigurationError } from '../action/errors.js';
import { parseCommand, validateCommandOptions } from './parse-command.js';

const HEAD = 'a'.repeat(40);

describe('parseCommand', () => {
  it.each([
    ['/deploy', { name: 'deploy' }],
    [`/deploy ${HEAD}`, { name: 'deploy', sha: HEAD }],
    [
      '/deploy 0123456789ABCDEF0123456789abcdef01234567',
      { name: 'deploy', sha: '0123456789abcdef0123456789abcdef01234567' },
    ],
    ['/restart', { name: 'restart' }],
    ['/cleanup  ', { name: 'cleanup' }],
    ['/extend 2h', { name: 'extend', duration: { text: '2h', milliseconds: 7_200_000 } }],
    ['/extend 1d', { name: 'extend', duration: { text: '1d', milliseconds: 86_400_000 } }],
    ['/extend 90m', { name: 'extend', duration: { text: '90m', milliseconds: 5_400_000 } }],
    ['/help\r\nplease', { name: 'help' }],
    ['/deploy\nrm -rf /', { name: 'deploy' }],
  ])('accepts %j', (body, command) => {
    expect(parseCommand(body)).toEqual({ ok: true, command });
  });

  it.each([
    ['/deploy $(id)', /at most one commit sha/],
    ['/deploy abc', /needs the full 40-character commit sha, not a 3-character prefix/],
    [`/deploy ${'a'.repeat(7)}`, /needs the full 40-character commit sha, not a 7-character prefix/],
    [`/deploy ${'a'.repeat(39)}`, /not a 39-character prefix/],
    [`/deploy ${'a'.repeat(41)}`, /at most one commit sha/],
    [`/deploy ${HEAD} now`, /at most one commit sha/],
    ['/deploy;id', /unknown command/],
    ['/restart now', /takes no arguments/],
    ['/extend', /one duration/],
    ['/extend 2w', /one duration/],
    ['/extend 0h', /one duration/],
    ['/extend 2h 3h', /one duration/],
    ['/Deploy', /unknown command/],
    ['/ deploy', /unknown command/],
    ['/dеploy', /plain printable ASCII/],
    ['/deploy\u200b', /plain printable ASCII/],
    ['/deploy\r/cleanup', /plain printable ASCII/],
    ['/deploy\tabc1234', /plain printable ASCII/],
    ['／deploy', /does not start with/],
    [`/deploy ${'a'.repeat(300)}`, /longer than/],
  ])('rejects %j', (body, reason) => {
    const result = parseCommand(body);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('answers near misses of its own commands as invalid, so their authors learn why nothing happened', () => {
    for (const body of ['/depoly', '/Restart', '/redeploy', '/cleanup!', '/hlp', '/extends 2h', '/']) {
      expect(parseCommand(body)).toMatchObject({ ok: false, kind: 'invalid' });
    }
  });

  it("leaves other bots' commands and paths alone", () => {
    for (const body of [
      '/cc @octocat',
      '/lgtm',
      '/hold',
      '/retest',
      '/assign',
      '/usr/local/bin is missing',
      '/approve',
    ]) {
      expect(parseCommand(body)).toMatchObject({ ok: false, kind: 'not-a-command' });
    }
    expect(parseCommand('!hold', { prefix: '!' })).toMatchObject({ ok: false, kind: 'not-a-command' });
  });

  it('reports comments that are not addressed to it as not-a-command', () => {
    expect(parseCommand('LGTM, thanks!')).toMatchObject({ ok: false, kind: 'not-a-command' });
    expect(parseCommand('  /deploy')).toMatchObject({ ok: false, kind: 'not-a-command' });
    expect(parseCommand('thanks\n/deploy')).toMatchObject({ ok: false, kind: 'not-a-command' });
  });

  it('honours a configured prefix and command set', () => {
    const options = { prefix: '!', commands: ['deploy', 'help'] as const };
    expect(() => validateCommandOptions(options)).not.toThrow();
    expect(parseCommand('!deploy', options)).toEqual({ ok: true, command: { name: 'deploy' } });
    expect(parseCommand('/deploy', options)).toMatchObject({ ok: false, kind: 'not-a-command' });
    expect(parseCommand('!cleanup', options)).toMatchObject({
      ok: false,
      kind: 'invalid',
      reason: expect.stringMatching(/not enabled/),
    });
  });

  it('never throws and only ever accepts plain ASCII first lines', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (body) => {
        const result = parseCommand(body);
        if (result.ok) {
          const line = body.split('\n')[0]!.replace(/\r$/, '');
          expect(line).toMatch(/^[\x20-\x7e]+$/);
          expect(line.startsWith('/')).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('decides on the first line alone', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 200 }), (first, rest) => {
        const line = first.replace(/[\r\n]/g, '');
        expect(parseCommand(`${line}\n${rest}`)).toEqual(parseCommand(line));
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts every well-formed command and returns its arguments', () => {
    const sha = fc.stringMatching(/^[0-9a-f]{40}$/);
    const duration = fc.tuple(fc.integer({ min: 1, max: 9999 }), fc.constantFrom('m', 'h', 'd'));
    fc.assert(
      fc.property(sha, duration, fc.nat({ max: 3 }), (hex, [amount, unit], spaces) => {
        const pad = ' '.repeat(spaces + 1);
        expect(parseCommand(`/deploy${pad}${hex}`)).toEqual({ ok: true, command: { name: 'deploy', sha: hex } });
        const extend = parseCommand(`/extend${pad}${amount}${unit}`);
        expect(extend).toMatchObject({ ok: true, command: { name: 'extend', duration: { text: `${amount}${unit}` } } });
      }),
    );
  });

  it('rejects any shell metacharacter in a deploy argument', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (arg) => {
        fc.pre(/[^0-9a-fA-F]/.test(arg.trim()) && arg.trim() !== '');
        expect(parseCommand(`/deploy ${arg}`).ok).toBe(false);
      }),
    );
  });

  it('takes linear time on huge bodies', () => {
    const bodies = ['/deploy ' + ' '.repeat(1_000_000) + 'x', '/' + 'a'.repeat(2_000_000), 'x\n'.repeat(1_000_000)];
    const started = performance.now();
    for (const body of bodies) parseCommand(body);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('validateCommandOptions', () => {
  it('refuses prefixes that could match ordinary text', () => {
    expect(() => validateCommandOptions({ prefix: 'deploy' })).toThrow(ConfigurationError);
    expect(() => validateCommandOptions({ prefix: '' })).toThrow(/command-prefix/);
    expect(() => validateCommandOptions({ prefix: '/ ' })).toThrow(ConfigurationError);
    expect(() => validateCommandOptions({ prefix: '!' })).not.toThrow();
  });

  it('refuses unknown command names', () => {
    expect(() => validateCommandOptions({ commands: ['deploy', 'nuke' as never] })).toThrow(/Unknown command 'nuke'/);
  });
});
