import { describe, expect, it } from 'vitest';
import { sortFloat64 } from './radix-sort.js';
import { uniform } from './testing/expect-close.js';

describe('sortFloat64', () => {
  it('sorts like the comparison sort: negatives, zeros, ties, infinities, tiny and huge values', () => {
    const next = uniform(3);
    const special = [
      0,
      -0,
      1,
      -1,
      1e-310,
      -1e-310,
      5e-324,
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
      Infinity,
      -Infinity,
    ];
    for (const n of [0, 1, 2, 17, 1000, 70_000]) {
      const values = Float64Array.from({ length: n }, (_, i) =>
        i < special.length
          ? special[i]
          : i % 5 === 0
            ? Math.round(next() * 10)
            : (next() - 0.5) * 10 ** (next() * 40 - 20),
      );
      const expected = Float64Array.from(values).sort();
      const sorted = sortFloat64(Float64Array.from(values));
      // Compare as numbers, with −0 and +0 told apart by 1/x.
      expect(Array.from(sorted, (x) => (x === 0 ? 1 / x : x))).toEqual(
        Array.from(expected, (x) => (x === 0 ? 1 / x : x)),
      );
    }
  });

  it('sorts a subarray in place', () => {
    const values = Float64Array.from([9, 3, 2, 1, 0]);
    sortFloat64(values.subarray(1, 4));
    expect(Array.from(values)).toEqual([9, 1, 2, 3, 0]);
  });
});
