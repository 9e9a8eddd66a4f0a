// A tree ensemble as scored: boosted trees add margins, a forest averages leaf probabilities.

import type { Tree } from './tree.js';
import { goesLeft } from './tree.js';

/**
 * `sum`: probability = sigmoid(baseMargin + Σ leaf values) (gradient boosting, XGBoost models).
 * `mean`: probability = mean of leaf values (random forest; baseMargin unused).
 */
export interface TreeEnsemble {
  trees: Tree[];
  aggregate: 'sum' | 'mean';
  baseMargin: number;
}

/** Logistic function, written to stay finite for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Rows scored together: their values, copied row by row, stay in cache while every tree walks them. */
const ROW_BLOCK = 256;

/** Raw output per row: the margin for `sum` ensembles, the mean leaf probability for `mean` ones. */
export function predictRaw(ensemble: TreeEnsemble, columns: Float64Array[], nRows: number): Float64Array {
  const out = new Float64Array(nRows);
  const nFeatures = columns.length;
  // A row's features side by side: a tree walk then touches one or two cache lines, not one per feature.
  const block = new Float64Array(ROW_BLOCK * nFeatures);
  for (let begin = 0; begin < nRows; begin += ROW_BLOCK) {
    const count = Math.min(ROW_BLOCK, nRows - begin);
    for (let f = 0; f < nFeatures; f++) {
      const column = columns[f];
      for (let i = 0; i < count; i++) block[i * nFeatures + f] = column[begin + i];
    }
    for (const tree of ensemble.trees) addTreeOutput(tree, block, nFeatures, count, out, begin);
  }
  if (ensemble.aggregate === 'sum') {
    for (let row = 0; row < nRows; row++) out[row] += ensemble.baseMargin;
  } else {
    const count = ensemble.trees.length || 1;
    for (let row = 0; row < nRows; row++) out[row] /= count;
  }
  return out;
}

/**
 * Adds the tree's leaf value of the block's rows to out[offset..]. The numeric test is inlined (the hot
 * case); `x < t` is false for NaN, so a missing value goes left exactly when the node says so. Categorical
 * nodes take the general path.
 */
function addTreeOutput(
  tree: Tree,
  block: Float64Array,
  nFeatures: number,
  count: number,
  out: Float64Array,
  offset: number,
): void {
  const { feature, threshold, left, right, missingLeft, catStart, value } = tree;
  for (let i = 0; i < count; i++) {
    const base = i * nFeatures;
    let node = 0;
    let f = feature[0];
    while (f >= 0) {
      const x = block[base + f];
      const toLeft =
        catStart[node] < 0
          ? x < threshold[node] || (missingLeft[node] === 1 && Number.isNaN(x))
          : goesLeft(tree, node, x);
      node = toLeft ? left[node] : right[node];
      f = feature[node];
    }
    out[offset + i] += value[node];
  }
}

/** Positive-class probability per row. */
export function predictProbability(
  ensemble: TreeEnsemble,
  columns: Float64Array[],
  nRows: number,
): Float64Array {
  const raw = predictRaw(ensemble, columns, nRows);
  if (ensemble.aggregate === 'sum') for (let row = 0; row < nRows; row++) raw[row] = sigmoid(raw[row]);
  return raw;
}
