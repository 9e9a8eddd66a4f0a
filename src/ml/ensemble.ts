// A tree ensemble as scored: boosted trees add margins, a forest averages leaf probabilities. The fast path is
// in predictor.ts (one thread) and predict-threads.ts (several); the plain walk here is its twin.

import { InputError } from '../errors.js';
import { scoreParallel, worthSharing } from './predict-threads.js';
import { type CompiledEnsemble, codeBuffer, compileEnsemble, scoreRows } from './predictor.js';
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

/** Options of the scoring functions. */
export interface PredictOptions {
  /**
   * Threads that score, the calling one included (default 1). Small batches use one (`worthSharing`): handing
   * rows to a helper thread would cost about what it saves.
   */
  threads?: number;
}

/** Under this many rows the plain walk scores: flattening the ensemble would cost more than it saves. */
const COMPILE_MIN_ROWS = 256;

/** Raw output per row: the margin for `sum` ensembles, the mean leaf probability for `mean` ones. */
export function predictRaw(
  ensemble: TreeEnsemble,
  columns: Float64Array[],
  nRows: number,
  options: PredictOptions = {},
): Float64Array {
  return ensemblePredictor(ensemble)(columns, nRows, options);
}

/**
 * `predictRaw` for repeated batches: the ensemble is flattened for the fast path (`compileEnsemble`) once, on the
 * first batch big enough, and reused, so the ensemble must not change afterwards. Every path gives the same
 * output bit for bit: each row adds its trees' leaf values in tree order, then the base margin (or divides).
 */
export function ensemblePredictor(
  ensemble: TreeEnsemble,
): (columns: Float64Array[], nRows: number, options?: PredictOptions) => Float64Array {
  let compiled: CompiledEnsemble | null | undefined;
  return (columns, nRows, options = {}) => {
    const threads = options.threads ?? 1;
    if (!Number.isInteger(threads) || threads < 1) {
      throw new InputError(`threads=${threads} must be an integer >= 1`, { key: 'threads' });
    }
    if (nRows < COMPILE_MIN_ROWS && compiled === undefined) return predictRawPlain(ensemble, columns, nRows);
    compiled ??= compileEnsemble(ensemble);
    if (!compiled) return predictRawPlain(ensemble, columns, nRows);
    const last = compiled.usedFeatures.length - 1;
    if (columns.length <= last) {
      const message = `the model reads feature ${last} but the input has ${columns.length} columns`;
      throw new InputError(message, { key: 'columns' });
    }
    const out = new Float64Array(nRows);
    if (threads > 1 && worthSharing(compiled, nRows)) scoreParallel(compiled, columns, nRows, threads, out);
    else scoreRows(compiled, columns, 0, nRows, out, codeBuffer(compiled));
    finishRaw(ensemble, out);
    return out;
  };
}

/** Adds the base margin (`sum`) or divides by the tree count (`mean`): the last step of every path. */
function finishRaw(ensemble: TreeEnsemble, out: Float64Array): void {
  if (ensemble.aggregate === 'sum') {
    for (let row = 0; row < out.length; row++) out[row] += ensemble.baseMargin;
  } else {
    const count = ensemble.trees.length || 1;
    for (let row = 0; row < out.length; row++) out[row] /= count;
  }
}

/** Rows scored together: their values, copied row by row, stay in cache while every tree walks them. */
const ROW_BLOCK = 256;

/**
 * `predictRaw` by walking each tree on the raw doubles: scores small batches and the ensembles the fast path
 * declines, and is its slow twin in tests and the bench's baseline.
 */
export function predictRawPlain(
  ensemble: TreeEnsemble,
  columns: Float64Array[],
  nRows: number,
): Float64Array {
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
  finishRaw(ensemble, out);
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
  options: PredictOptions = {},
): Float64Array {
  return probabilityFromRaw(ensemble, predictRaw(ensemble, columns, nRows, options));
}

/** Turns `predictRaw`'s output into probabilities in place (sigmoid for `sum` ensembles) and returns it. */
export function probabilityFromRaw(ensemble: TreeEnsemble, raw: Float64Array): Float64Array {
  const nRows = raw.length;
  if (ensemble.aggregate === 'sum') for (let row = 0; row < nRows; row++) raw[row] = sigmoid(raw[row]);
  return raw;
}
