import { describe, expect, it } from 'vitest';
import { RescoreQueue } from './rescore-queue.js';

describe('RescoreQueue', () => {
  it('runs one round at a time and merges the customers that arrive meanwhile', async () => {
    const calls: string[][] = [];
    let release: () => void = () => undefined;
    const queue = new RescoreQueue(async (ids) => {
      calls.push(ids);
      if (calls.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return ids.length;
    });
    queue.add(['a']);
    queue.add(['b']);
    queue.add(['c', 'b']);
    expect(queue.pending).toBe(2);
    release();
    await queue.idle();
    expect(calls).toEqual([['a'], ['b', 'c']]);
    expect(queue.rounds.map((r) => [r.customers, r.scored, r.error])).toEqual([
      [1, 1, null],
      [2, 2, null],
    ]);
  });

  it('records a failed round and keeps going', async () => {
    const queue = new RescoreQueue(async (ids) => {
      if (ids.includes('bad')) throw new Error('no champion');
      return ids.length;
    });
    queue.add(['bad']);
    await queue.idle();
    queue.add(['good']);
    await queue.idle();
    expect(queue.rounds.map((r) => r.error)).toEqual(['no champion', null]);
  });
});
