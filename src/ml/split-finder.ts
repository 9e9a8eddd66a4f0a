// The best split of a node from its histogram: numeric thresholds with a learned side for missing values,
// categorical splits over categories sorted by gradient ratio; L2-regularised gain and leaf values.

import { HIST_STRIDE, type HistogramLayout } from './histogram.js';

/** Leaf weight minimising the second-order loss: w* = −G / (H + λ) (Chen & Guestrin 2016, Eq. 5). */
export function leafValue(gradSum: number, hessSum: number, lambda: number): number {
  return -gradSum / (hessSum + lambda);
}

/** A leaf's structure score G² / (H + λ): twice the loss reduction of its optimal weight (Eq. 6). */
export function leafScore(gradSum: number, hessSum: number, lambda: number): number {
  return (gradSum * gradSum) / (hessSum + lambda);
}

/**
 * Split gain G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ): Chen & Guestrin 2016, Eq. 7 without the ½ and
 * the γ penalty (as XGBoost reports it and LightGBM compares it; `minGain` plays γ's role).
 */
export function splitGain(
  gradLeft: number,
  hessLeft: number,
  gradRight: number,
  hessRight: number,
  lambda: number,
) {
  return (
    leafScore(gradLeft, hessLeft, lambda) +
    leafScore(gradRight, hessRight, lambda) -
    leafScore(gradLeft + gradRight, hessLeft + hessRight, lambda)
  );
}

export interface SplitParams {
  /** L2 regularisation of leaf values (λ). */
  lambda: number;
  /** Rows per child at least. */
  minDataInLeaf: number;
  /** Hessian sum per child at least. */
  minSumHessian: number;
  /** A split must gain more than this. */
  minGain: number;
  /** Categories on the left side of a categorical split at most. */
  maxCatThreshold: number;
  /** A category needs this many rows in the node to be placed by the sort; rarer ones go right. */
  minDataPerCategory: number;
  /** Added to the hessian when sorting categories by G / (H + catSmooth), to calm small categories. */
  catSmooth: number;
  /** Extra L2 on the children of a categorical split (their gain only), against many-category overfit. */
  catL2: number;
}

/** The gradient boosting defaults (LightGBM's for the categorical part). */
export const defaultSplitParams: SplitParams = {
  lambda: 1,
  minDataInLeaf: 20,
  minSumHessian: 1e-3,
  minGain: 0,
  maxCatThreshold: 32,
  minDataPerCategory: 10,
  catSmooth: 10,
  catL2: 10,
};

/** Sums over a node's rows. */
export interface NodeTotals {
  grad: number;
  hess: number;
  count: number;
}

/** The best split found so far for one node; `feature === -1` while none is valid. */
export class SplitInfo {
  feature = -1;
  gain = Number.NEGATIVE_INFINITY;
  categorical = false;
  /** Numeric: value bins 0..thresholdBin go left. */
  thresholdBin = -1;
  missingLeft = false;
  /** Per bin of `feature`: 1 when rows in that bin go left (missing bin included). */
  readonly leftMask = new Uint8Array(256);
  leftGrad = 0;
  leftHess = 0;
  leftCount = 0;
  rightGrad = 0;
  rightHess = 0;
  rightCount = 0;

  reset(): void {
    this.feature = -1;
    this.gain = Number.NEGATIVE_INFINITY;
  }
}

/** Every bin index in order: the bin list of a dense histogram. */
export const ALL_BINS = Int32Array.from({ length: 256 }, (_, b) => b);

/** Scratch buffers for the categorical sort, allocated once per grower. */
export class SplitScratch {
  readonly order = new Int32Array(256);
  readonly ratio = new Float64Array(256);
}

/**
 * Updates `best` with the best split over `features` of the node whose histogram is `histogram`.
 * Ties keep the earlier feature, so the result does not depend on anything but the inputs.
 */
export function findBestSplit(
  histogram: Float64Array,
  layout: HistogramLayout,
  categorical: Uint8Array,
  features: ArrayLike<number>,
  totals: NodeTotals,
  params: SplitParams,
  scratch: SplitScratch,
  best: SplitInfo,
): void {
  for (let k = 0; k < features.length; k++) {
    const f = features[k];
    if (categorical[f]) findCategoricalSplit(histogram, layout, f, totals, params, scratch, best);
    else findNumericSplit(histogram, layout, f, totals, params, best);
  }
}

/**
 * Numeric feature: value bins scanned left to right; after each non-empty bin b the split "bins 0..b
 * left" is tried with the missing rows on the right, then on the left (the default direction is learned).
 * When the node has no missing rows, missing values are sent with the larger child. With `bins`, only the
 * value bins listed there (ascending, `binCount` of them) are read: the node has no rows in the others.
 */
export function findNumericSplit(
  histogram: Float64Array,
  layout: HistogramLayout,
  feature: number,
  totals: NodeTotals,
  params: SplitParams,
  best: SplitInfo,
  bins: Int32Array = ALL_BINS,
  binCount: number = layout.nBins[feature] - 1,
): void {
  const { lambda, minSumHessian, minGain } = params;
  const minData = Math.max(1, params.minDataInLeaf);
  const base = HIST_STRIDE * layout.offsets[feature];
  const valueBins = layout.nBins[feature] - 1;
  const missingAt = base + HIST_STRIDE * valueBins;
  const missGrad = histogram[missingAt];
  const missHess = histogram[missingAt + 1];
  const missCount = histogram[missingAt + 2];
  const { grad, hess, count } = totals;
  const parentScore = leafScore(grad, hess, lambda);
  let bestGain = Math.max(best.gain, minGain);
  let bestBin = -1;
  let bestMissingLeft = false;
  let gl = 0;
  let hl = 0;
  let cl = 0;
  for (let k = 0; k < binCount; k++) {
    const b = bins[k];
    const at = base + HIST_STRIDE * b;
    const c = histogram[at + 2];
    if (c === 0) continue;
    gl += histogram[at];
    hl += histogram[at + 1];
    cl += c;
    // Missing rows on the right.
    let cr = count - cl;
    if (cl >= minData && cr >= minData && hl >= minSumHessian && hess - hl >= minSumHessian) {
      const gain = leafScore(gl, hl, lambda) + leafScore(grad - gl, hess - hl, lambda) - parentScore;
      if (gain > bestGain) {
        bestGain = gain;
        bestBin = b;
        bestMissingLeft = missCount === 0 ? cl >= cr : false;
      }
    }
    if (missCount === 0) continue;
    // Missing rows on the left.
    const glm = gl + missGrad;
    const hlm = hl + missHess;
    cr -= missCount;
    if (cl + missCount >= minData && cr >= minData && hlm >= minSumHessian && hess - hlm >= minSumHessian) {
      const gain = leafScore(glm, hlm, lambda) + leafScore(grad - glm, hess - hlm, lambda) - parentScore;
      if (gain > bestGain) {
        bestGain = gain;
        bestBin = b;
        bestMissingLeft = true;
      }
    }
  }
  if (bestBin < 0) return;
  // Record the winner: recompute its left sums and write the bin mask.
  best.feature = feature;
  best.gain = bestGain;
  best.categorical = false;
  best.thresholdBin = bestBin;
  best.missingLeft = bestMissingLeft;
  const mask = best.leftMask;
  mask.fill(0);
  mask.fill(1, 0, bestBin + 1);
  if (bestMissingLeft) mask[valueBins] = 1;
  setChildren(best, histogram, base, valueBins, totals);
}

/**
 * Categorical feature (the ordering of Fisher 1958 that LightGBM uses for gradients): categories with at
 * least `minDataPerCategory` rows are sorted by G / (H + catSmooth); prefixes of that order of up to
 * `maxCatThreshold` categories, taken from both ends, are tried as the left side, with missing rows on
 * either side. Rare categories go right. Children's scores use λ + catL2.
 */
export function findCategoricalSplit(
  histogram: Float64Array,
  layout: HistogramLayout,
  feature: number,
  totals: NodeTotals,
  params: SplitParams,
  scratch: SplitScratch,
  best: SplitInfo,
  bins: Int32Array = ALL_BINS,
  binCount: number = layout.nBins[feature] - 1,
): void {
  const { lambda, minSumHessian, minGain, catSmooth } = params;
  const childLambda = lambda + params.catL2;
  const minData = Math.max(1, params.minDataInLeaf);
  const base = HIST_STRIDE * layout.offsets[feature];
  const valueBins = layout.nBins[feature] - 1;
  const missingAt = base + HIST_STRIDE * valueBins;
  const missGrad = histogram[missingAt];
  const missHess = histogram[missingAt + 1];
  const missCount = histogram[missingAt + 2];
  const { grad, hess, count } = totals;
  const { order, ratio } = scratch;
  let used = 0;
  const minPerCategory = Math.max(1, params.minDataPerCategory);
  for (let k = 0; k < binCount; k++) {
    const b = bins[k];
    const at = base + HIST_STRIDE * b;
    if (histogram[at + 2] >= minPerCategory) {
      ratio[b] = histogram[at] / (histogram[at + 1] + catSmooth);
      order[used++] = b;
    }
  }
  if (used === 0) return;
  insertionSortByKey(order, used, ratio);
  const parentScore = leafScore(grad, hess, lambda);
  const maxLeft = Math.min(params.maxCatThreshold, used);
  let bestGain = Math.max(best.gain, minGain);
  let bestDirection = 0;
  let bestCount = 0;
  let bestMissingLeft = false;
  for (let direction = 1; direction >= -1; direction -= 2) {
    let gl = 0;
    let hl = 0;
    let cl = 0;
    for (let k = 0; k < maxLeft; k++) {
      const b = order[direction === 1 ? k : used - 1 - k];
      const at = base + HIST_STRIDE * b;
      gl += histogram[at];
      hl += histogram[at + 1];
      cl += histogram[at + 2];
      let cr = count - cl;
      if (cl >= minData && cr >= minData && hl >= minSumHessian && hess - hl >= minSumHessian) {
        const gain =
          leafScore(gl, hl, childLambda) + leafScore(grad - gl, hess - hl, childLambda) - parentScore;
        if (gain > bestGain) {
          bestGain = gain;
          bestDirection = direction;
          bestCount = k + 1;
          bestMissingLeft = missCount === 0 ? cl >= cr : false;
        }
      }
      if (missCount === 0) continue;
      const glm = gl + missGrad;
      const hlm = hl + missHess;
      cr -= missCount;
      if (cl + missCount >= minData && cr >= minData && hlm >= minSumHessian && hess - hlm >= minSumHessian) {
        const gain =
          leafScore(glm, hlm, childLambda) + leafScore(grad - glm, hess - hlm, childLambda) - parentScore;
        if (gain > bestGain) {
          bestGain = gain;
          bestDirection = direction;
          bestCount = k + 1;
          bestMissingLeft = true;
        }
      }
    }
  }
  if (bestDirection === 0) return;
  best.feature = feature;
  best.gain = bestGain;
  best.categorical = true;
  best.thresholdBin = -1;
  best.missingLeft = bestMissingLeft;
  const mask = best.leftMask;
  mask.fill(0);
  for (let k = 0; k < bestCount; k++) mask[order[bestDirection === 1 ? k : used - 1 - k]] = 1;
  if (bestMissingLeft) mask[valueBins] = 1;
  setChildren(best, histogram, base, valueBins, totals);
}

/** The winner's child sums: the left side is every bin its mask sends left (value bins, then missing). */
function setChildren(
  best: SplitInfo,
  histogram: Float64Array,
  base: number,
  valueBins: number,
  totals: NodeTotals,
): void {
  const mask = best.leftMask;
  let lg = 0;
  let lh = 0;
  let lc = 0;
  for (let b = 0; b <= valueBins; b++) {
    if (mask[b] === 0) continue;
    const at = base + HIST_STRIDE * b;
    lg += histogram[at];
    lh += histogram[at + 1];
    lc += histogram[at + 2];
  }
  best.leftGrad = lg;
  best.leftHess = lh;
  best.leftCount = lc;
  best.rightGrad = totals.grad - lg;
  best.rightHess = totals.hess - lh;
  best.rightCount = totals.count - lc;
}

/** Sorts `order[0..n)` ascending by `key[order[i]]`, ties by bin; n <= 256, so insertion sort is enough. */
function insertionSortByKey(order: Int32Array, n: number, key: Float64Array): void {
  for (let i = 1; i < n; i++) {
    const item = order[i];
    const value = key[item];
    let j = i - 1;
    while (j >= 0 && (key[order[j]] > value || (key[order[j]] === value && order[j] > item))) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = item;
  }
}
