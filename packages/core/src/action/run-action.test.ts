import { afterEach, describe, expect, it } from '@jest/globals';
import { ConfigurationError } from './errors.js';
import { createTestContext } from '../testing/index.js';
import { runAction } from './run-action.js';

afterEach(() => {
  process.exitCode = undefined;
});

describe('runAction', () => {
  it('turns a ConfigurationError into one line without a stack', async () => {
    const ctx = createTestContext();
    const ok = await runAction(
      'demo',
      async () => {
        throw new ConfigurationError('Input x is bad:\nfix it');
      },
      ctx,
    );
    expect(ok).toBe(false);
    expect(process.exitCode).toBe(1);
    expect(ctx.io.messages('error')).toEqual(['demo failed: Input x is bad: fix it']);
    expect(ctx.io.messages('debug')).toEqual([]);
  });

  it('prints our own errors with the stack in debug', async () => {
    const ctx = createTestContext();
    await runAction(
      'demo',
      async () => {
        throw new TypeError('boom');
      },
      ctx,
    );
    expect(ctx.io.messages('error')).toEqual(['demo failed: boom']);
    expect(ctx.io.messages('debug')[0]).toMatch(/^TypeError: boom\n\s+at /);
    expect(process.exitCode).toBe(1);
  });

  it('leaves the exit code alone on success', async () => {
    const ctx = createTestContext();
    expect(await runAction('demo', async () => undefined, ctx)).toBe(true);
    expect(process.exitCode).toBeUndefined();
  });
});
