import { describe, expect, it } from 'vitest';
import { Random } from '../ml/random.js';
import { tallyNumbers } from './number-tally.js';

/** The slow twin: a Map from value to [count, first row]. */
function naiveTally(numbers: Float64Array, skip: Uint32Array, topN: number) {
  const skipped = new Set(skip);
  const seen = new Map<number, { value: number; count: number; first: number }>();
  let cells = 0;
  numbers.forEach((x, i) => {
    if (Number.isNaN(x) || skipped.has(i)) return;
    cells++;
    const entry = seen.get(x);
    if (entry) entry.count++;
    else seen.set(x, { value: x, count: 1, first: i });
  });
  const entries = [...seen.values()];
  return {
    cells,
    distinct: entries.length,
    integer: entries.every((e) => Number.isInteger(e.value)),
    top: entries.sort((a, b) => b.count - a.count || a.first - b.first).slice(0, topN),
  };
}

describe('tallyNumbers', () => {
  it('counts like a Map: distinct values, whole numbers, the most frequent first and ties by first row', () => {
    const random = new Random(7);
    for (const [n, spread] of [
      [0, 10],
      [7, 3],
      [1000, 5],
      [50_000, 40_000],
      [200_000, 1e9],
    ]) {
      const numbers = Float64Array.from({ length: n }, () => {
        const u = random.next();
        if (u < 0.05) return Number.NaN;
        return Math.floor(random.next() * spread) / (spread > 1e6 ? 7 : 1);
      });
      const skip = Uint32Array.from({ length: Math.floor(n / 100) }, (_, k) => k * 100 + 3);
      for (const topN of [0, 1, 5]) {
        expect(tallyNumbers(numbers, skip, topN), `n ${n} topN ${topN}`).toEqual(
          naiveTally(numbers, skip, topN),
        );
      }
    }
  });

  it('counts 0 and -0 as one value', () => {
    expect(tallyNumbers(Float64Array.from([0, -0, 1]), new Uint32Array(0), 5).distinct).toBe(2);
  });
});
