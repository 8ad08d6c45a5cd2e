import { describe, expect, it } from '@jest/globals';
import { mapConcurrent, mapEachOrThrow, mapSettled } from './map-concurrent.js';

describe('mapSettled', () => {
  it('never runs more than the limit at once and keeps order', async () => {
    let inFlight = 0;
    let peak = 0;
    const result = await mapConcurrent([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, n));
      inFlight--;
      return n * 10;
    });
    expect(result).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });

  it('attempts every item even when one fails', async () => {
    const seen: number[] = [];
    const settled = await mapSettled([1, 2, 3], 1, async (n) => {
      seen.push(n);
      if (n === 2) throw new Error('two');
      return n;
    });
    expect(seen).toEqual([1, 2, 3]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('rejects with the first failure after all settle', async () => {
    await expect(
      mapConcurrent([1, 2], 4, async (n) => {
        if (n === 1) throw new Error('one');
        return n;
      }),
    ).rejects.toThrow('one');
  });
});

describe('mapEachOrThrow', () => {
  it('attempts every item, then names each failure in one error', async () => {
    const seen: string[] = [];
    const work = async (name: string) => {
      seen.push(name);
      if (name !== 'b') throw new Error(`${name} broke`);
      return name.toUpperCase();
    };
    await expect(
      mapEachOrThrow(
        ['a', 'b', 'c'],
        2,
        'delete things',
        (n) => n,
        work,
        (e) => (e as Error).message,
      ),
    ).rejects.toThrow('Could not delete things: a: a broke; c: c broke');
    expect(seen.sort()).toEqual(['a', 'b', 'c']);
    expect(await mapEachOrThrow(['b'], 2, 'x', (n) => n, work, String)).toEqual(['B']);
  });
});
