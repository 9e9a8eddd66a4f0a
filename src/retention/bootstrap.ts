// Treated vs control for a skewed amount (customer value, spend): the difference of the means with a
// percentile bootstrap interval and a studentized bootstrap-under-the-null p-value.

import { InputError } from '../errors.js';
import { Random } from '../ml/random.js';

/** Settings of `bootstrapMeanDifference`. */
export interface BootstrapOptions {
  /** Bootstrap resamples (default 2000). */
  resamples?: number;
  /** Confidence of the interval, in (0, 1) (default 0.95). */
  confidence?: number;
  /** Seed of the resampling; the same seed gives the same interval and p-value. */
  seed: number;
}

/** Treated mean minus control mean, with its interval and test. */
export interface MeanDifference {
  /** mean(treated) − mean(control) */
  difference: number;
  /** Percentile bootstrap interval of the difference. */
  low: number;
  high: number;
  /**
   * Two-sided p-value of "the two means are equal" from the studentized bootstrap under the null
   * (Efron & Tibshirani 1993, An Introduction to the Bootstrap, §16.4, Algorithm 16.2): each group is
   * shifted to the pooled mean, resampled, and Welch's t of each resample is compared with the observed
   * one; p = (1 + #{|t*| ≥ |t|}) / (1 + resamples), so it is never 0. Unlike a permutation test it
   * tests equal means only, not equal distributions, so groups with different spreads are fine.
   */
  pValue: number;
  confidence: number;
  resamples: number;
}

/** Bootstraps the difference of two means (treated − control); see `MeanDifference` for the method. */
export function bootstrapMeanDifference(
  treated: Float64Array | number[],
  control: Float64Array | number[],
  options: BootstrapOptions,
): MeanDifference {
  const { resamples = 2000, confidence = 0.95, seed } = options;
  checkValues(treated, 'treated');
  checkValues(control, 'control');
  if (!Number.isSafeInteger(resamples) || resamples < 100) {
    throw new InputError(`resamples=${resamples} must be an integer >= 100`, { key: 'resamples' });
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new InputError(`confidence=${confidence} must be between 0 and 1 (exclusive)`, {
      key: 'confidence',
    });
  }
  if (!Number.isSafeInteger(seed)) throw new InputError(`seed=${seed} must be an integer`, { key: 'seed' });
  return bootstrap(Float64Array.from(treated), Float64Array.from(control), resamples, confidence, seed);
}

function checkValues(values: Float64Array | number[], name: string): void {
  if (values.length < 2) {
    throw new InputError(`${name} has ${values.length} values; at least 2 are needed`, { key: name });
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new InputError(`${name}[${i}]=${values[i]} must be a finite number`, { key: `${name}[${i}]` });
    }
  }
}

/** Mean and Welch variance term s²/n of one group. */
interface Moments {
  mean: number;
  varianceOfMean: number;
}

function moments(values: Float64Array): Moments {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i] - mean) ** 2;
  return { mean, varianceOfMean: squares / (values.length - 1) / values.length };
}

/**
 * One resample of `values` with replacement, summarised as the mean and s²/n of its deviations from
 * `centre` (the full group's mean): subtracting the centre first keeps the sums of squares accurate
 * for large amounts, and no resample is ever stored.
 */
function resampleMoments(values: Float64Array, centre: number, random: Random, out: Float64Array): void {
  const n = values.length;
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const deviation = values[random.nextInt(n)] - centre;
    sum += deviation;
    squares += deviation * deviation;
  }
  const meanDeviation = sum / n;
  out[0] = meanDeviation;
  out[1] = Math.max(0, squares - sum * meanDeviation) / (n - 1) / n;
}

function bootstrap(
  treated: Float64Array,
  control: Float64Array,
  resamples: number,
  confidence: number,
  seed: number,
): MeanDifference {
  const t = moments(treated);
  const c = moments(control);
  const difference = t.mean - c.mean;
  const observedT = welchT(difference, t.varianceOfMean + c.varianceOfMean);
  const random = new Random(seed);
  const differences = new Float64Array(resamples);
  const treatedOut = new Float64Array(2);
  const controlOut = new Float64Array(2);
  let extreme = 0;
  for (let b = 0; b < resamples; b++) {
    resampleMoments(treated, t.mean, random, treatedOut);
    resampleMoments(control, c.mean, random, controlOut);
    // The resample's difference minus the observed one is exactly the difference of the shifted
    // (null) groups' resample means, so one set of draws serves both the interval and the test.
    const centred = treatedOut[0] - controlOut[0];
    differences[b] = difference + centred;
    const nullT = welchT(centred, treatedOut[1] + controlOut[1]);
    if (Math.abs(nullT) >= Math.abs(observedT)) extreme++;
  }
  differences.sort();
  const alpha = (1 - confidence) / 2;
  return {
    difference,
    low: quantileOfSorted(differences, alpha),
    high: quantileOfSorted(differences, 1 - alpha),
    pValue: (1 + extreme) / (1 + resamples),
    confidence,
    resamples,
  };
}

/** Welch's t; a zero difference over zero spread is 0, a non-zero one is ±Infinity. */
function welchT(difference: number, varianceOfDifference: number): number {
  if (varianceOfDifference > 0) return difference / Math.sqrt(varianceOfDifference);
  if (difference === 0) return 0;
  return difference > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}

/** Quantile of sorted values with linear interpolation between order statistics (Hyndman & Fan 1996, type 7). */
export function quantileOfSorted(sorted: Float64Array, p: number): number {
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}
