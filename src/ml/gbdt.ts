// Gradient boosting for binary log-loss: bins the training rows, grows one leaf-wise tree per round on the
// gradients, tracks the validation log loss incrementally and stops early, keeping the best iteration.

import { InputError } from '../errors.js';
import { applyBins, type BinMapper, type BinnedMatrix, fitBins } from './binning.js';
import { GradArray, MAX_BINS } from './dtypes.js';
import { sigmoid, type TreeEnsemble } from './ensemble.js';
import { type BinnedTree, binnedLeafIndex, TreeGrower } from './grower.js';
import type { FeatureMatrix } from './matrix.js';
import { quantizedBuffers, quantizeGradients } from './quantize.js';
import { Random, sampleWithoutReplacement } from './random.js';
import { defaultSplitParams } from './split-finder.js';
import type { Tree } from './tree.js';

export interface GbdtOptions {
  /** Boosting rounds at most. */
  rounds?: number;
  learningRate?: number;
  numLeaves?: number;
  /** -1: no limit. */
  maxDepth?: number;
  maxBins?: number;
  /** L2 regularisation of leaf values (XGBoost's reg_lambda, default 1 like it). */
  lambda?: number;
  minDataInLeaf?: number;
  minSumHessian?: number;
  minGain?: number;
  /** Weight of positive rows (class weight) in the gradients. */
  scalePosWeight?: number;
  /** Share of the training rows drawn (without replacement) for each tree. */
  rowSubsample?: number;
  /** Share of the features drawn for each tree. */
  featureSubsample?: number;
  /** Stop after this many rounds without a better validation loss; 0 trains every round. */
  earlyStoppingRounds?: number;
  seed?: number;
  /**
   * Grow trees on gradients rounded to small integers (quantize.ts; leaf values refit from the real ones):
   * histograms about twice as fast, for a negligible loss of accuracy on large data. 'auto' (the default)
   * quantises from QUANTIZE_MIN_ROWS fitted rows: below, training is fast anyway and the rounding noise of
   * a small leaf is worth avoiding.
   */
  quantizeGradients?: boolean | 'auto';
  /** Threads for histogram building (1 or 2 are used); the model is the same whatever the count. */
  threads?: number;
  /** Rows to fit on (all rows when omitted). */
  trainRows?: ArrayLike<number>;
  /** Rows to stop early on; must not overlap `trainRows`. */
  validRows?: ArrayLike<number>;
  /** Called after every round; `validLoss` is NaN without validation rows. */
  onProgress?: (round: number, total: number, validLoss: number) => void;
}

export interface GbdtModel {
  ensemble: TreeEnsemble;
  binMapper: BinMapper;
  /** Trees kept: the round with the lowest validation loss (all rounds without early stopping). */
  bestIteration: number;
  /** Unweighted validation log loss after each round trained (empty without validation rows). */
  validLoss: number[];
}

type ResolvedOptions = Required<Omit<GbdtOptions, 'trainRows' | 'validRows' | 'onProgress'>>;

const defaults: ResolvedOptions = {
  rounds: 500,
  learningRate: 0.05,
  numLeaves: 31,
  maxDepth: -1,
  maxBins: MAX_BINS,
  lambda: 1,
  minDataInLeaf: 20,
  minSumHessian: 1e-3,
  minGain: 0,
  scalePosWeight: 1,
  rowSubsample: 1,
  featureSubsample: 1,
  earlyStoppingRounds: 50,
  seed: 0,
  quantizeGradients: 'auto',
  threads: 1,
};

/** Fitted rows from which `quantizeGradients: 'auto'` quantises. */
export const QUANTIZE_MIN_ROWS = 50_000;

/** Smallest hessian used, so a confident row never divides by zero. */
const MIN_HESSIAN = 1e-16;

/** Trains boosted trees on binary labels `y` (0/1) for rows of `X`. Same inputs and seed, same model. */
export function trainGbdt(X: FeatureMatrix, y: ArrayLike<number>, options: GbdtOptions = {}): GbdtModel {
  const resolved = validateGbdtOptions(options);
  const trainRows = checkRows('trainRows', options.trainRows ?? rangeRows(X.nRows), X.nRows);
  const validRows = checkRows('validRows', options.validRows ?? [], X.nRows);
  checkLabels(y, X.nRows);
  checkDisjoint(trainRows, validRows, X.nRows);
  if (trainRows.length === 0) throw new InputError('trainRows is empty', { key: 'trainRows' });
  return boost(X, y, trainRows, validRows, resolved, options.onProgress);
}

/** Checks every option and fills in defaults; errors name the option and its value. */
export function validateGbdtOptions(options: GbdtOptions): ResolvedOptions {
  const o: ResolvedOptions = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof ResolvedOptions)[]) {
    const value = options[key];
    if (value !== undefined) Object.assign(o, { [key]: value });
  }
  if (typeof o.quantizeGradients !== 'boolean' && o.quantizeGradients !== 'auto') {
    throw new InputError(`quantizeGradients=${o.quantizeGradients} must be true, false or 'auto'`, {
      key: 'quantizeGradients',
    });
  }
  integer('rounds', o.rounds, 1);
  positive('learningRate', o.learningRate);
  integer('numLeaves', o.numLeaves, 2);
  if (o.maxDepth !== -1) integer('maxDepth', o.maxDepth, 1, '(or -1 for no limit)');
  integer('maxBins', o.maxBins, 2);
  if (o.maxBins > MAX_BINS) fail('maxBins', o.maxBins, `must be <= ${MAX_BINS}`);
  nonNegative('lambda', o.lambda);
  integer('minDataInLeaf', o.minDataInLeaf, 1);
  nonNegative('minSumHessian', o.minSumHessian);
  nonNegative('minGain', o.minGain);
  positive('scalePosWeight', o.scalePosWeight);
  fraction('rowSubsample', o.rowSubsample);
  fraction('featureSubsample', o.featureSubsample);
  integer('earlyStoppingRounds', o.earlyStoppingRounds, 0);
  if (!Number.isSafeInteger(o.seed)) fail('seed', o.seed, 'must be an integer');
  integer('threads', o.threads, 1);
  return o;
}

function boost(
  X: FeatureMatrix,
  y: ArrayLike<number>,
  trainRows: Uint32Array,
  validRows: Uint32Array,
  o: ResolvedOptions,
  onProgress: GbdtOptions['onProgress'],
): GbdtModel {
  const binMapper = fitBins(X, trainRows, { maxBins: o.maxBins, seed: o.seed });
  const train = applyBins(binMapper, X, trainRows);
  const valid = validRows.length > 0 ? applyBins(binMapper, X, validRows) : null;
  const n = train.nRows;
  const label = Uint8Array.from(trainRows, (row) => (y[row] === 1 ? 1 : 0));
  const weight = Float64Array.from(label, (l) => (l === 1 ? o.scalePosWeight : 1));
  const validLabel = Uint8Array.from(validRows, (row) => (y[row] === 1 ? 1 : 0));

  const baseMargin = initialMargin(label, weight);
  const margin = new Float64Array(n).fill(baseMargin);
  const validMargin = new Float64Array(validRows.length).fill(baseMargin);
  const grad = new GradArray(n);
  const hess = new GradArray(n);
  const grower = new TreeGrower(
    train,
    binMapper,
    {
      ...defaultSplitParams,
      lambda: o.lambda,
      minDataInLeaf: o.minDataInLeaf,
      minSumHessian: o.minSumHessian,
      minGain: o.minGain,
      numLeaves: o.numLeaves,
      maxDepth: o.maxDepth,
      learningRate: o.learningRate,
    },
    o.threads,
  );
  const allRows = rangeRows(n);
  const quantize = o.quantizeGradients === 'auto' ? n >= QUANTIZE_MIN_ROWS : o.quantizeGradients;
  const quantized = quantize ? quantizedBuffers(n) : undefined;
  const nFeatures = train.nFeatures;
  const rowsPerTree = Math.max(1, Math.round(o.rowSubsample * n));
  const featuresPerTree = Math.max(1, Math.round(o.featureSubsample * nFeatures));

  const trees: Tree[] = [];
  const validLoss: number[] = [];
  let bestLoss = Number.POSITIVE_INFINITY;
  let bestIteration = 0;
  try {
    for (let round = 0; round < o.rounds; round++) {
      logLossGradients(margin, label, weight, grad, hess);
      const random = new Random(o.seed, round + 1);
      const rows = rowsPerTree < n ? sampleWithoutReplacement(n, rowsPerTree, random) : allRows;
      const features =
        featuresPerTree < nFeatures
          ? sampleWithoutReplacement(nFeatures, featuresPerTree, random)
          : undefined;
      // Its own stream per round, apart from the sampling's, so quantising does not change which rows are drawn.
      if (quantized) quantizeGradients(grad, hess, rows, new Random(o.seed, -(round + 1)), quantized);
      const grown = grower.grow(grad, hess, rows, { features, quantized });
      trees.push(grown.tree);

      // Training margins: the grown rows by leaf range, any others by walking the tree.
      const value = grown.tree.value;
      if (rows === allRows) {
        for (let l = 0; l < grown.leafNodes.length; l++) {
          const v = value[grown.leafNodes[l]];
          for (let i = grown.leafBegin[l]; i < grown.leafEnd[l]; i++) margin[grown.rows[i]] += v;
        }
      } else addTree(grown.binnedTree!, train, margin);

      let loss = Number.NaN;
      if (valid) {
        addTree(grown.binnedTree!, valid, validMargin);
        loss = logLoss(validMargin, validLabel);
        validLoss.push(loss);
        if (loss < bestLoss) {
          bestLoss = loss;
          bestIteration = round + 1;
        }
      }
      onProgress?.(round + 1, o.rounds, loss);
      if (valid && o.earlyStoppingRounds > 0 && round + 1 - bestIteration >= o.earlyStoppingRounds) break;
    }
  } finally {
    grower.close();
  }
  const keep = valid && o.earlyStoppingRounds > 0 ? bestIteration : trees.length;
  return {
    ensemble: { trees: trees.slice(0, keep), aggregate: 'sum', baseMargin },
    binMapper,
    bestIteration: keep,
    validLoss,
  };
}

/**
 * Starting margin: the logit of the weighted positive rate, the constant that minimises the weighted log
 * loss (LightGBM's boost_from_average; XGBoost >= 2 also estimates it from the labels).
 */
export function initialMargin(label: ArrayLike<number>, weight: ArrayLike<number>): number {
  let positive = 0;
  let total = 0;
  for (let i = 0; i < label.length; i++) {
    total += weight[i];
    if (label[i] === 1) positive += weight[i];
  }
  if (positive === 0 || positive === total) return 0;
  const rate = positive / total;
  return Math.log(rate / (1 - rate));
}

/** Log-loss derivatives in the margin z: g = w (σ(z) − y), h = w σ(z)(1 − σ(z)) (Friedman 2001, §4.5). */
export function logLossGradients(
  margin: Float64Array,
  label: Uint8Array,
  weight: Float64Array,
  grad: GradArray,
  hess: GradArray,
): void {
  for (let i = 0; i < margin.length; i++) {
    const p = sigmoid(margin[i]);
    const w = weight[i];
    grad[i] = w * (p - label[i]);
    hess[i] = Math.max(w * p * (1 - p), MIN_HESSIAN);
  }
}

/** Mean log loss of margins against 0/1 labels, with probabilities clipped to [1e-15, 1 − 1e-15]. */
export function logLoss(margin: Float64Array, label: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < margin.length; i++) {
    const p = Math.min(Math.max(sigmoid(margin[i]), 1e-15), 1 - 1e-15);
    sum -= label[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / margin.length;
}

/** Adds a tree's leaf values to the margins of every row of a binned matrix. */
function addTree(tree: BinnedTree, data: BinnedMatrix, margin: Float64Array): void {
  const value = tree.value;
  for (let row = 0; row < data.nRows; row++) margin[row] += value[binnedLeafIndex(tree, data, row)];
}

function rangeRows(n: number): Uint32Array {
  const rows = new Uint32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

function checkRows(name: string, rows: ArrayLike<number>, nRows: number): Uint32Array {
  const out = new Uint32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!(Number.isInteger(row) && row >= 0 && row < nRows)) {
      throw new InputError(`${name}[${i}]=${row} is not a row index in 0..${nRows - 1}`, { key: name });
    }
    out[i] = row;
  }
  return out;
}

function checkLabels(y: ArrayLike<number>, nRows: number): void {
  if (y.length !== nRows) throw new InputError(`y has ${y.length} labels for ${nRows} rows`, { key: 'y' });
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new InputError(`y[${i}]=${y[i]} must be 0 or 1`, { key: 'y' });
  }
}

function checkDisjoint(trainRows: Uint32Array, validRows: Uint32Array, nRows: number): void {
  if (validRows.length === 0) return;
  const inTrain = new Uint8Array(nRows);
  for (const row of trainRows) inTrain[row] = 1;
  for (const row of validRows) {
    if (inTrain[row]) {
      throw new InputError(
        `validRows and trainRows share row ${row}; fit on train minus valid (fitRows(split))`,
        { key: 'validRows' },
      );
    }
  }
}

function fail(name: string, value: number, rule: string): never {
  throw new InputError(`${name}=${value} ${rule}`, { key: name });
}

function integer(name: string, value: number, min: number, note = ''): void {
  if (!Number.isInteger(value)) fail(name, value, `must be an integer${note ? ` ${note}` : ''}`);
  if (value < min) fail(name, value, `must be >= ${min}${note ? ` ${note}` : ''}`);
}

function positive(name: string, value: number): void {
  if (!(value > 0 && Number.isFinite(value))) fail(name, value, 'must be > 0');
}

function nonNegative(name: string, value: number): void {
  if (!(value >= 0 && Number.isFinite(value))) fail(name, value, 'must be >= 0');
}

function fraction(name: string, value: number): void {
  if (!(value > 0 && value <= 1)) fail(name, value, 'must be in (0, 1]');
}
