import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { Random } from '../ml/random.js';
import { bootstrapMeanDifference, quantileOfSorted } from './bootstrap.js';
import { normalQuantile, normalSf } from './normal.js';

/** Standard normal draws by Box–Muller (tests only). */
function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
}

/** `n` log-normal amounts exp(mu + sigma·Z): skewed like customer value. */
function logNormal(n: number, mu: number, sigma: number, random: Random): Float64Array {
  return Float64Array.from({ length: n }, () => Math.exp(mu + sigma * gaussian(random)));
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

function sampleVariance(values: ArrayLike<number>): number {
  const m = mean(values);
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i] - m) ** 2;
  return squares / (values.length - 1);
}

/**
 * The slow twin: materialises every resample, and for the test resamples the explicitly shifted groups
 * x − x̄ + z̄ and y − ȳ + z̄ (Efron & Tibshirani 1993, Algorithm 16.2) with the same draws.
 */
function slowBootstrap(treated: Float64Array, control: Float64Array, resamples: number, seed: number) {
  const pooled =
    (mean(treated) * treated.length + mean(control) * control.length) / (treated.length + control.length);
  const shiftedTreated = treated.map((v) => v - mean(treated) + pooled);
  const shiftedControl = control.map((v) => v - mean(control) + pooled);
  const observedT =
    (mean(treated) - mean(control)) /
    Math.sqrt(sampleVariance(treated) / treated.length + sampleVariance(control) / control.length);
  const random = new Random(seed);
  const differences: number[] = [];
  let extreme = 0;
  for (let b = 0; b < resamples; b++) {
    const treatedIndex = Array.from({ length: treated.length }, () => random.nextInt(treated.length));
    const controlIndex = Array.from({ length: control.length }, () => random.nextInt(control.length));
    differences.push(mean(treatedIndex.map((i) => treated[i])) - mean(controlIndex.map((i) => control[i])));
    const nullTreated = treatedIndex.map((i) => shiftedTreated[i]);
    const nullControl = controlIndex.map((i) => shiftedControl[i]);
    const nullT =
      (mean(nullTreated) - mean(nullControl)) /
      Math.sqrt(sampleVariance(nullTreated) / treated.length + sampleVariance(nullControl) / control.length);
    if (Math.abs(nullT) >= Math.abs(observedT)) extreme++;
  }
  const sorted = Float64Array.from(differences).sort();
  return {
    low: quantileOfSorted(sorted, 0.025),
    high: quantileOfSorted(sorted, 0.975),
    pValue: (1 + extreme) / (1 + resamples),
  };
}

describe('bootstrapMeanDifference', () => {
  const random = new Random(42);
  const treated = logNormal(300, 3.2, 1, random);
  const control = logNormal(250, 3, 1, random);

  it('matches the slow twin that stores every resample', () => {
    const fast = bootstrapMeanDifference(treated, control, { resamples: 500, seed: 7 });
    const slow = slowBootstrap(treated, control, 500, 7);
    expect(fast.difference).toBeCloseTo(mean(treated) - mean(control), 10);
    expect(fast.low).toBeCloseTo(slow.low, 9);
    expect(fast.high).toBeCloseTo(slow.high, 9);
    expect(fast.pValue).toBe(slow.pValue);
  });

  it('gives the same answer for the same seed, and takes plain arrays', () => {
    const a = bootstrapMeanDifference(treated, control, { seed: 3 });
    const b = bootstrapMeanDifference(Array.from(treated), Array.from(control), { seed: 3 });
    expect(b).toEqual(a);
    expect(a.resamples).toBe(2000);
    expect(a.confidence).toBe(0.95);
    const c = bootstrapMeanDifference(treated, control, { seed: 4 });
    expect(c.low).not.toBe(a.low);
  });

  it('agrees with the Welch interval on large samples', () => {
    // With 2,000 values per group the sampling distribution of the mean is close to normal, so the
    // percentile interval should sit within 10% of its width from Welch's z interval.
    const r = new Random(5);
    const big1 = logNormal(2000, 3.1, 0.8, r);
    const big2 = logNormal(2000, 3, 0.8, r);
    const result = bootstrapMeanDifference(big1, big2, { seed: 1 });
    const se = Math.sqrt(sampleVariance(big1) / 2000 + sampleVariance(big2) / 2000);
    const z = normalQuantile(0.975);
    const width = 2 * z * se;
    expect(Math.abs(result.low - (result.difference - z * se))).toBeLessThan(0.1 * width);
    expect(Math.abs(result.high - (result.difference + z * se))).toBeLessThan(0.1 * width);
    // …and its p-value near Welch's normal-theory one.
    const welchP = 2 * normalSf(Math.abs(result.difference) / se);
    expect(Math.abs(result.pValue - welchP)).toBeLessThan(0.03);
  });

  it('widens with the confidence', () => {
    const at80 = bootstrapMeanDifference(treated, control, { seed: 9, confidence: 0.8 });
    const at99 = bootstrapMeanDifference(treated, control, { seed: 9, confidence: 0.99 });
    expect(at99.low).toBeLessThan(at80.low);
    expect(at99.high).toBeGreaterThan(at80.high);
  });

  it('returns p = 1 for identical groups and the smallest p for constant, different groups', () => {
    const same = bootstrapMeanDifference([1, 2, 3, 4], [1, 2, 3, 4], { seed: 1, resamples: 100 });
    expect(same.difference).toBe(0);
    expect(same.pValue).toBe(1);
    const apart = bootstrapMeanDifference([5, 5, 5], [2, 2], { seed: 1, resamples: 100 });
    expect(apart).toMatchObject({ difference: 3, low: 3, high: 3, pValue: 1 / 101 });
  });

  it('rejects about 5% of true nulls on skewed data', () => {
    // 400 simulated experiments with equal means (same log-normal), 499 resamples each; the standard
    // error of a 5% rejection rate is 1.1%, so 2%–9% is about ±3 standard errors.
    const r = new Random(11);
    let rejected = 0;
    for (let e = 0; e < 400; e++) {
      const result = bootstrapMeanDifference(logNormal(60, 3, 1, r), logNormal(40, 3, 1, r), {
        resamples: 499,
        seed: e,
      });
      if (result.pValue <= 0.05) rejected++;
    }
    expect(rejected / 400).toBeGreaterThan(0.02);
    expect(rejected / 400).toBeLessThan(0.09);
  });

  it('rejects bad input, naming the field', () => {
    const cases: Array<[() => unknown, string]> = [
      [() => bootstrapMeanDifference([1], [1, 2], { seed: 1 }), 'treated'],
      [() => bootstrapMeanDifference([1, 2], [1, Number.NaN], { seed: 1 }), 'control[1]'],
      [() => bootstrapMeanDifference([1, 2], [1, 2], { seed: 1, resamples: 10 }), 'resamples'],
      [() => bootstrapMeanDifference([1, 2], [1, 2], { seed: 1, confidence: 1 }), 'confidence'],
      [() => bootstrapMeanDifference([1, 2], [1, 2], { seed: 0.5 }), 'seed'],
    ];
    for (const [call, key] of cases) {
      expect(call).toThrow(InputError);
      try {
        call();
      } catch (error) {
        expect((error as InputError).where.key).toBe(key);
      }
    }
  });
});
