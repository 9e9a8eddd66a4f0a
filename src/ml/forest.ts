// Random forest on the boosting machinery: bootstrap rows as per-row weights, features drawn per node,
// trees grown to purity on gradients chosen so the grower's gain is the Gini (variance) reduction.

import { InputError } from '../errors.js';
import { applyBins, fitBins } from './binning.js';
import { GradArray, MAX_BINS } from './dtypes.js';
import type { TreeEnsemble } from './ensemble.js';
import { TreeGrower } from './grower.js';
import type { FeatureMatrix } from './matrix.js';
import { bootstrapCounts, Random } from './random.js';
import type { SplitParams } from './split-finder.js';
import type { Tree } from './tree.js';

export interface ForestOptions {
  trees?: number;
  /**
   * Features tried per node: 'sqrt' (default) or 'log2' of the feature count, 'all', a count (an integer
   * >= 1) or a share (a number in (0, 1)). Features constant in the node do not count (scikit-learn's rule).
   */
  maxFeatures?: 'sqrt' | 'log2' | 'all' | number;
  /** Distinct training rows per leaf at least. */
  minSamplesLeaf?: number;
  /** -1: no limit. */
  maxDepth?: number;
  /** Draw each tree's rows with replacement (as per-row weights); false grows every tree on all rows. */
  bootstrap?: boolean;
  maxBins?: number;
  seed?: number;
  /** Rows to fit on (all rows when omitted). */
  trainRows?: ArrayLike<number>;
  /** Weight of positive rows relative to negative ones, or 'balanced' (n / (2 n_class), as scikit-learn). */
  classWeight?: number | 'balanced';
  /** Called after each tree. */
  onProgress?: (done: number, total: number) => void;
}

type ResolvedOptions = Required<Omit<ForestOptions, 'trainRows' | 'onProgress'>>;

const defaults: ResolvedOptions = {
  trees: 300,
  maxFeatures: 'sqrt',
  minSamplesLeaf: 1,
  maxDepth: -1,
  bootstrap: true,
  maxBins: MAX_BINS,
  seed: 0,
  classWeight: 1,
};

/**
 * Why these gradients give the Gini criterion. Take for row i the weight w_i (class weight × bootstrap
 * count), g_i = −w_i·y_i, h_i = w_i and λ = 0. For a node, H = Σ w_i = W and G = −Σ w_i y_i = −W·p with p the
 * weighted positive share, so the structure score G²/H = W·p². The weighted Gini impurity of the node is
 * W·2p(1 − p) = 2(W·p − W·p²), and W·p = Σ w_i y_i is the same for a parent and its two children together;
 * hence the impurity decrease of a split is 2·(G_L²/H_L + G_R²/H_R − G²/H) = 2 × the grower's gain (equally:
 * the decrease of the weighted variance p(1 − p) of the 0/1 label). The leaf value −G/(H + λ) = p is the
 * weighted positive share: what the forest averages.
 */
const forestSplitParams = (minSamplesLeaf: number): SplitParams => ({
  lambda: 0,
  minDataInLeaf: minSamplesLeaf,
  minSumHessian: 0,
  minGain: 0,
  // Breiman et al. 1984 (and Fisher 1958): for a 0/1 label, sorting categories by p and trying every
  // prefix finds the best category subset, so no cap, smoothing or extra penalty.
  maxCatThreshold: 256,
  minDataPerCategory: 1,
  catSmooth: 0,
  catL2: 0,
});

/** Trains a random forest on binary labels `y` (0/1); probability = mean of the trees' leaf shares. */
export function trainForest(
  X: FeatureMatrix,
  y: ArrayLike<number>,
  options: ForestOptions = {},
): TreeEnsemble {
  const o = validateForestOptions(options);
  const rows = checkRows(options.trainRows ?? rangeRows(X.nRows), X.nRows);
  if (rows.length === 0) throw new InputError('trainRows is empty', { key: 'trainRows' });
  if (y.length !== X.nRows)
    throw new InputError(`y has ${y.length} labels for ${X.nRows} rows`, { key: 'y' });
  for (const row of rows) {
    if (y[row] !== 0 && y[row] !== 1)
      throw new InputError(`y[${row}]=${y[row]} must be 0 or 1`, { key: 'y' });
  }
  return growForest(X, y, rows, o, options.onProgress);
}

/** Checks every option and fills in defaults; errors name the option and its value. */
export function validateForestOptions(options: ForestOptions): ResolvedOptions {
  const o = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof ResolvedOptions)[]) {
    if (options[key] !== undefined) (o as Record<string, unknown>)[key] = options[key];
  }
  const fail = (name: string, value: unknown, rule: string): never => {
    throw new InputError(`${name}=${value} ${rule}`, { key: name });
  };
  if (!Number.isInteger(o.trees) || o.trees < 1) fail('trees', o.trees, 'must be an integer >= 1');
  const mf = o.maxFeatures;
  if (typeof mf === 'number') {
    if (!(mf > 0 && (mf < 1 || Number.isInteger(mf)))) {
      fail('maxFeatures', mf, "must be a count >= 1, a share in (0, 1), 'sqrt', 'log2' or 'all'");
    }
  } else if (mf !== 'sqrt' && mf !== 'log2' && mf !== 'all') {
    fail('maxFeatures', mf, "must be a count >= 1, a share in (0, 1), 'sqrt', 'log2' or 'all'");
  }
  if (!Number.isInteger(o.minSamplesLeaf) || o.minSamplesLeaf < 1) {
    fail('minSamplesLeaf', o.minSamplesLeaf, 'must be an integer >= 1');
  }
  if (o.maxDepth !== -1 && !(Number.isInteger(o.maxDepth) && o.maxDepth >= 1)) {
    fail('maxDepth', o.maxDepth, 'must be an integer >= 1 (or -1 for no limit)');
  }
  if (!Number.isInteger(o.maxBins) || o.maxBins < 2 || o.maxBins > MAX_BINS) {
    fail('maxBins', o.maxBins, `must be an integer in 2..${MAX_BINS}`);
  }
  if (!Number.isSafeInteger(o.seed)) fail('seed', o.seed, 'must be an integer');
  const cw = o.classWeight;
  if (cw !== 'balanced' && !(typeof cw === 'number' && cw > 0 && Number.isFinite(cw))) {
    fail('classWeight', cw, "must be a number > 0 or 'balanced'");
  }
  return o;
}

/** Features tried per node for `maxFeatures` and `nFeatures` features (at least 1). */
export function featuresPerNode(maxFeatures: ResolvedOptions['maxFeatures'], nFeatures: number): number {
  let k: number;
  if (maxFeatures === 'sqrt') k = Math.floor(Math.sqrt(nFeatures));
  else if (maxFeatures === 'log2') k = Math.floor(Math.log2(nFeatures));
  else if (maxFeatures === 'all') k = nFeatures;
  else if (maxFeatures < 1) k = Math.floor(maxFeatures * nFeatures);
  else k = maxFeatures;
  return Math.min(nFeatures, Math.max(1, k));
}

function growForest(
  X: FeatureMatrix,
  y: ArrayLike<number>,
  trainRows: Uint32Array,
  o: ResolvedOptions,
  onProgress: ForestOptions['onProgress'],
): TreeEnsemble {
  const mapper = fitBins(X, trainRows, { maxBins: o.maxBins, seed: o.seed });
  const data = applyBins(mapper, X, trainRows);
  const n = data.nRows;
  const label = Uint8Array.from(trainRows, (row) => y[row]);
  const classWeight = classWeights(label, o.classWeight);
  const grower = new TreeGrower(data, mapper, {
    ...forestSplitParams(o.minSamplesLeaf),
    numLeaves: Number.POSITIVE_INFINITY,
    maxDepth: o.maxDepth,
    learningRate: 1,
  });
  const perNode = featuresPerNode(o.maxFeatures, data.nFeatures);
  const grad = new GradArray(n);
  const hess = new GradArray(n);
  const rows = new Uint32Array(n);
  const trees: Tree[] = [];
  for (let t = 0; t < o.trees; t++) {
    // Each tree has its own random stream, so trees could be grown in any order (or in parallel).
    const random = new Random(o.seed, t + 1);
    const counts = o.bootstrap ? bootstrapCounts(n, random) : null;
    let used = 0;
    for (let i = 0; i < n; i++) {
      const count = counts ? counts[i] : 1;
      if (count === 0) continue;
      const w = classWeight[label[i]] * count;
      grad[i] = -w * label[i];
      hess[i] = w;
      rows[used++] = i;
    }
    trees.push(
      grower.grow(grad, hess, rows.subarray(0, used), { featuresPerNode: perNode, random, binnedTree: false })
        .tree,
    );
    onProgress?.(t + 1, o.trees);
  }
  return { trees, aggregate: 'mean', baseMargin: 0 };
}

/** [negative weight, positive weight]. */
function classWeights(label: Uint8Array, classWeight: number | 'balanced'): [number, number] {
  if (classWeight !== 'balanced') return [1, classWeight];
  let positives = 0;
  for (const l of label) positives += l;
  const negatives = label.length - positives;
  const n = label.length;
  return [negatives > 0 ? n / (2 * negatives) : 1, positives > 0 ? n / (2 * positives) : 1];
}

function rangeRows(n: number): Uint32Array {
  return Uint32Array.from({ length: n }, (_, i) => i);
}

function checkRows(rows: ArrayLike<number>, nRows: number): Uint32Array {
  const out = new Uint32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!(Number.isInteger(row) && row >= 0 && row < nRows)) {
      throw new InputError(`trainRows[${i}]=${row} is not a row index in 0..${nRows - 1}`, {
        key: 'trainRows',
      });
    }
    out[i] = row;
  }
  return out;
}
