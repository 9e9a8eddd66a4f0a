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

/** Raw output per row: the margin for `sum` ensembles, the mean leaf probability for `mean` ones. */
export function predictRaw(ensemble: TreeEnsemble, columns: Float64Array[], nRows: number): Float64Array {
  const out = new Float64Array(nRows);
  for (const tree of ensemble.trees) addTreeOutput(tree, columns, nRows, out);
  if (ensemble.aggregate === 'sum') {
    for (let row = 0; row < nRows; row++) out[row] += ensemble.baseMargin;
  } else {
    const count = ensemble.trees.length || 1;
    for (let row = 0; row < nRows; row++) out[row] /= count;
  }
  return out;
}

/**
 * Adds the tree's leaf value of every row to `out`. The numeric test is inlined (the hot case); `x < t` is
 * false for NaN, so a missing value goes left exactly when the node says so. Categorical nodes take the
 * general path.
 */
function addTreeOutput(tree: Tree, columns: Float64Array[], nRows: number, out: Float64Array): void {
  const { feature, threshold, left, right, missingLeft, catStart, value } = tree;
  for (let row = 0; row < nRows; row++) {
    let node = 0;
    let f = feature[0];
    while (f >= 0) {
      const x = columns[f][row];
      const toLeft =
        catStart[node] < 0
          ? x < threshold[node] || (missingLeft[node] === 1 && Number.isNaN(x))
          : goesLeft(tree, node, x);
      node = toLeft ? left[node] : right[node];
      f = feature[node];
    }
    out[row] += value[node];
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
