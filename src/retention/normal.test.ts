import { describe, expect, it } from 'vitest';
import { normalCdf, normalPdf, normalQuantile, normalSf } from './normal.js';

// References from scipy 1.17.1: scipy.stats.norm.cdf / norm.sf / norm.ppf.
const cdfReferences: Array<[number, number]> = [
  [-30, 4.906713927147908e-198],
  [-10, 7.61985302416047e-24],
  [-8, 6.22096057427174e-16],
  [-5, 2.866515718791933e-7],
  [-3, 0.0013498980316300933],
  [-2.5, 0.006209665325776132],
  [-2.49, 0.006387154764943171],
  [-1.96, 0.024997895148220435],
  [-1, 0.15865525393145707],
  [-0.1, 0.460172162722971],
  [0, 0.5],
  [0.5, 0.6914624612740131],
  [3, 0.9986501019683699],
];
const quantileReferences: Array<[number, number]> = [
  [1e-300, -37.0470962993612],
  [1e-20, -9.262340089798409],
  [1e-10, -6.361340902404056],
  [1e-5, -4.264890793922825],
  [0.001, -3.090232306167813],
  [0.02, -2.053748910631823],
  [0.025, -1.9599639845400545],
  [0.1, -1.2815515655446004],
  [0.3, -0.5244005127080409],
  [0.7, 0.5244005127080407],
  [0.975, 1.959963984540054],
  [0.999, 3.090232306167813],
];

function relativeError(actual: number, expected: number): number {
  return expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
}

describe('normal distribution', () => {
  it.each(cdfReferences)('Φ(%d) matches scipy to 1e-13 relative', (x, expected) => {
    expect(relativeError(normalCdf(x), expected)).toBeLessThan(1e-13);
    // The upper tail at −x is the same number, computed without cancellation.
    expect(relativeError(normalSf(-x), expected)).toBeLessThan(1e-13);
  });

  it.each(quantileReferences)('Φ⁻¹(%d) matches scipy to 1e-14 relative', (p, expected) => {
    expect(relativeError(normalQuantile(p), expected)).toBeLessThan(1e-14);
  });

  it('inverts the CDF across the whole range', () => {
    // Above 0, Φ(x) rounds to a double near 1 and loses digits; the quantile of the upper tail does not.
    for (let x = -9; x <= 9; x += 0.37) {
      expect(normalQuantile(normalCdf(-Math.abs(x)))).toBeCloseTo(-Math.abs(x), 12);
      expect(-normalQuantile(normalSf(Math.abs(x)))).toBeCloseTo(Math.abs(x), 12);
    }
  });

  it('handles the ends and bad input', () => {
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(normalSf(40)).toBe(0);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(0.5)).toBe(0);
    expect(() => normalQuantile(1.5)).toThrow(/p=1.5/);
    expect(() => normalQuantile(Number.NaN)).toThrow(RangeError);
    expect(normalPdf(0)).toBeCloseTo(0.3989422804014327, 16);
  });
});
