// Random draws the simulator needs on top of the uniform generator: normal, log-normal, Poisson,
// Bernoulli and a pick by cumulative weights. All take the seeded `Random`, never Math.random.

import type { Random } from '../ml/random.js';

/** Standard normal (Box–Muller; one of the pair, so one draw costs two uniforms). */
export function normal(random: Random): number {
  const u = 1 - random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
}

/** Log-normal with the given median and log-scale sigma. */
export function logNormal(random: Random, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(random));
}

/** Poisson count by inversion (Knuth, TAOCP vol. 2, 3.4.1): meant for small means (< ~10). */
export function poisson(random: Random, mean: number): number {
  if (!(mean > 0)) return 0;
  let p = Math.exp(-mean);
  let cumulative = p;
  const u = random.next();
  let k = 0;
  while (u > cumulative && k < 200) {
    k++;
    p *= mean / k;
    cumulative += p;
  }
  return k;
}

/** Cumulative sums of `weights`, normalised to end at 1 (for `pickIndex`). */
export function cumulativeWeights(weights: readonly number[]): Float64Array {
  const total = weights.reduce((sum, w) => sum + w, 0);
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += weights[i]!;
    out[i] = sum / total;
  }
  out[weights.length - 1] = 1;
  return out;
}

/** An index drawn with the probabilities a `cumulativeWeights` array describes. */
export function pickIndex(random: Random, cumulative: Float64Array): number {
  const u = random.next();
  let i = 0;
  while (i < cumulative.length - 1 && u >= cumulative[i]!) i++;
  return i;
}

/** A value in (0, 1) around `mean` with spread like a Beta(k·mean, k·(1−mean)) (via a logit-normal). */
export function share(random: Random, mean: number, spread = 1): number {
  const logit = Math.log(mean / (1 - mean)) + spread * normal(random);
  return 1 / (1 + Math.exp(-logit));
}
