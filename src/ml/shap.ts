// Exact TreeSHAP (Lundberg, Erion & Lee 2018, Alg. 2) over the flat `Tree`: per-row feature attributions
// that add up to the model's raw output, plus `bruteForceShap`, the slow Shapley-formula twin for tests.

import { InputError } from '../errors.js';
import type { TreeEnsemble } from './ensemble.js';
import type { Tree } from './tree.js';
import { goesLeft } from './tree.js';

/*
 * The game. For a set S of known features, a tree's value is E[f(x) | x_S] by the path-dependent rule:
 * at a split on a known feature follow x; on an unknown one, average both children weighted by
 * cover[child] / cover[node] (the node's own cover, as XGBoost does: float32 covers need not add up).
 * φ_j are the Shapley values of that game; TreeSHAP finds them in O(leaves · depth²) per tree and row.
 *
 * Path buffer. The recursion keeps, for the path from the root to the current node, one element per
 * distinct feature split on (plus a dummy root element, feature -1):
 *   feature[k]  d: the feature;
 *   zero[k]     z: share of the cover-weighted paths that pass here when d is unknown (product over the
 *                  path's splits on d of cover[child] / cover[node]);
 *   one[k]      o: 1 if x itself follows this path at every split on d, else 0;
 *   weight[k]   w: sum over subsets of size k of the other path features of the Shapley permutation weight
 *                  times the product of their z or o (a polynomial in the subset size, see `extendPath`).
 * Each recursion level s owns a segment of s + 1 slots, starting at s(s + 1)/2. Entering a child copies
 * the parent's segment into the next one and works there, so going back up costs nothing and both
 * children see the parent's path unchanged:
 *
 *   slot:    0 | 1  2 | 3  4  5 | 6  7  8  9 | 10 ...
 *   level:   0 |   1  |    2    |     3      |  4 ...
 *            ^ root: [dummy]    ^ depth-2 node: [dummy, d_a, d_b] (fewer when a feature repeats)
 *
 * A tree of depth D (leaves at depth ≤ D) needs (D + 1)(D + 2)/2 slots, allocated once per depth seen.
 */

interface PathBuffer {
  feature: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  weight: Float64Array;
  /** reciprocal[k] = 1/k, k = 1..depth + 1: multiplying is several times faster than dividing. */
  reciprocal: Float64Array;
}

function allocatePath(depth: number): PathBuffer {
  const size = ((depth + 1) * (depth + 2)) / 2;
  return {
    feature: new Int32Array(size),
    zero: new Float64Array(size),
    one: new Float64Array(size),
    weight: new Float64Array(size),
    reciprocal: Float64Array.from({ length: depth + 2 }, (_, k) => 1 / k),
  };
}

/** Path buffers by tree depth; a depth's buffer is reused by every row and tree of that depth. */
const pathBuffers: PathBuffer[] = [];

function pathBufferFor(depth: number): PathBuffer {
  let buffer = pathBuffers[depth];
  if (buffer === undefined) {
    buffer = allocatePath(depth);
    pathBuffers[depth] = buffer;
  }
  return buffer;
}

/**
 * Appends element (feature, pZero, pOne) to the path of `length` elements at `start` and updates the
 * subset-size weights: EXTEND of Lundberg, Erion & Lee 2018, Alg. 2. With l = length, the new weights are
 *   w'[k] = z · w[k] · (l − k)/(l + 1) + o · w[k − 1] · k/(l + 1),   k = 0..l,
 * i.e. each subset either leaves the new feature out (factor z) or puts it in (factor o).
 */
function extendPath(
  path: PathBuffer,
  start: number,
  length: number,
  pZero: number,
  pOne: number,
  feature: number,
): void {
  const { weight } = path;
  const end = start + length;
  path.feature[end] = feature;
  path.zero[end] = pZero;
  path.one[end] = pOne;
  weight[end] = length === 0 ? 1 : 0;
  const oneStep = pOne / (length + 1);
  const zeroStep = pZero / (length + 1);
  for (let k = length - 1; k >= 0; k--) {
    weight[start + k + 1] += oneStep * weight[start + k] * (k + 1);
    weight[start + k] = zeroStep * weight[start + k] * (length - k);
  }
}

/**
 * Removes element `index` from the path of `length` elements at `start`, inverting `extendPath` for it:
 * UNWIND of Lundberg, Erion & Lee 2018, Alg. 2. With l = length − 1 and (z, o) the removed element's
 * fractions, solving the EXTEND recurrence from the top (o ≠ 0) or term by term (o = 0) gives
 *   o ≠ 0:  w[k] = n_k · (l + 1)/((k + 1) · o),  n_{l−1} = w'[l],  n_{k−1} = w'[k] − z · w[k] · (l − k)/(l + 1)
 *   o = 0:  w[k] = w'[k] · (l + 1)/(z · (l − k)).
 */
function unwindPath(path: PathBuffer, start: number, length: number, index: number): void {
  const { weight } = path;
  const l = length - 1;
  const pZero = path.zero[start + index];
  const pOne = path.one[start + index];
  if (pOne !== 0) {
    let next = weight[start + l];
    for (let k = l - 1; k >= 0; k--) {
      const old = weight[start + k];
      weight[start + k] = (next * (l + 1)) / ((k + 1) * pOne);
      next = old - (weight[start + k] * pZero * (l - k)) / (l + 1);
    }
  } else {
    for (let k = l - 1; k >= 0; k--) weight[start + k] = (weight[start + k] * (l + 1)) / (pZero * (l - k));
  }
  for (let k = start + index; k < start + l; k++) {
    path.feature[k] = path.feature[k + 1];
    path.zero[k] = path.zero[k + 1];
    path.one[k] = path.one[k + 1];
  }
}

/** Sum of the weights `unwindPath(path, start, length, index)` would leave, without changing the path. */
function unwoundPathSum(path: PathBuffer, start: number, length: number, index: number): number {
  const { weight, reciprocal } = path;
  const l = length - 1;
  const pZero = path.zero[start + index];
  const pOne = path.one[start + index];
  // The hot loop of TreeSHAP (once per leaf and path element): the constant factors are taken out.
  let total = 0;
  if (pOne !== 0) {
    const oneScale = (l + 1) / pOne;
    const zeroStep = pZero / (l + 1);
    let next = weight[start + l];
    for (let k = l - 1; k >= 0; k--) {
      const w = next * oneScale * reciprocal[k + 1];
      total += w;
      next = weight[start + k] - w * zeroStep * (l - k);
    }
    return total;
  }
  for (let k = l - 1; k >= 0; k--) total += weight[start + k] * reciprocal[l - k];
  return (total * (l + 1)) / pZero;
}

/** What one call of `recurse` reads besides its arguments; one reused object, so no allocation per row. */
interface ShapContext {
  tree: Tree;
  columns: Float64Array[];
  row: number;
  path: PathBuffer;
  out: Float64Array;
  offset: number;
  scale: number;
}

const context: ShapContext = {
  tree: undefined as unknown as Tree,
  columns: [],
  row: 0,
  path: allocatePath(0),
  out: new Float64Array(0),
  offset: 0,
  scale: 1,
};

/** RECURSE of Alg. 2: `node` at recursion `level`, parent path of `parentLength` elements at `parentStart`. */
function recurse(
  ctx: ShapContext,
  node: number,
  level: number,
  parentStart: number,
  parentLength: number,
  pZero: number,
  pOne: number,
  pFeature: number,
): void {
  const { tree, path } = ctx;
  const start = (level * (level + 1)) / 2;
  // A plain loop: copyWithin's call overhead dominates for paths this short.
  const { feature: pathFeature, zero, one, weight } = path;
  for (let k = 0; k < parentLength; k++) {
    pathFeature[start + k] = pathFeature[parentStart + k];
    zero[start + k] = zero[parentStart + k];
    one[start + k] = one[parentStart + k];
    weight[start + k] = weight[parentStart + k];
  }
  extendPath(path, start, parentLength, pZero, pOne, pFeature);
  let length = parentLength + 1;

  const feature = tree.feature[node];
  if (feature < 0) {
    const value = ctx.scale * tree.value[node];
    for (let k = 1; k < length; k++) {
      const w = unwoundPathSum(path, start, length, k);
      ctx.out[ctx.offset + pathFeature[start + k]] += w * (one[start + k] - zero[start + k]) * value;
    }
    return;
  }

  const left = tree.left[node];
  const right = tree.right[node];
  const wentLeft = goesLeft(tree, node, ctx.columns[feature][ctx.row]);
  const hot = wentLeft ? left : right;
  const cold = wentLeft ? right : left;
  // A feature seen higher up the path: take its element out and carry its fractions into this split.
  let inZero = 1;
  let inOne = 1;
  for (let k = 1; k < length; k++) {
    if (pathFeature[start + k] === feature) {
      inZero = zero[start + k];
      inOne = one[start + k];
      unwindPath(path, start, length, k);
      length--;
      break;
    }
  }
  const cover = tree.cover[node];
  recurse(ctx, hot, level + 1, start, length, (inZero * tree.cover[hot]) / cover, inOne, feature);
  recurse(ctx, cold, level + 1, start, length, (inZero * tree.cover[cold]) / cover, 0, feature);
}

/** Facts about a tree computed once and cached: depth, largest feature index, expected value. */
interface TreeFacts {
  depth: number;
  maxFeature: number;
  expectedValue: number;
}

const factsCache = new WeakMap<Tree, TreeFacts>();

function treeFacts(tree: Tree): TreeFacts {
  let facts = factsCache.get(tree);
  if (facts === undefined) {
    let maxFeature = -1;
    const walk = (node: number): [depth: number, expected: number] => {
      const feature = tree.feature[node];
      if (feature < 0) return [0, tree.value[node]];
      maxFeature = Math.max(maxFeature, feature);
      const left = tree.left[node];
      const right = tree.right[node];
      const [leftDepth, leftValue] = walk(left);
      const [rightDepth, rightValue] = walk(right);
      const expected = (tree.cover[left] * leftValue + tree.cover[right] * rightValue) / tree.cover[node];
      return [1 + Math.max(leftDepth, rightDepth), expected];
    };
    const [depth, expectedValue] = walk(0);
    facts = { depth, maxFeature, expectedValue };
    factsCache.set(tree, facts);
  }
  return facts;
}

/**
 * Expected value of the tree's output: the cover-weighted mean of its leaf values, each leaf weighted by
 * the product of cover[child] / cover[node] along its path (= cover[leaf] / cover[root] when covers add up).
 * This is E[f(x) | x_∅] of the TreeSHAP game, so it is the bias that makes SHAP rows sum to the output.
 */
export function treeExpectedValue(tree: Tree): number {
  return treeFacts(tree).expectedValue;
}

/** Adds scale·φ of `tree` at `row` into out[offset + j]; trusts its input. */
function treeShapInto(
  tree: Tree,
  columns: Float64Array[],
  row: number,
  out: Float64Array,
  offset: number,
  scale: number,
): void {
  const ctx = context;
  ctx.tree = tree;
  ctx.columns = columns;
  ctx.row = row;
  ctx.path = pathBufferFor(treeFacts(tree).depth);
  ctx.out = out;
  ctx.offset = offset;
  ctx.scale = scale;
  recurse(ctx, 0, 0, 0, 0, 1, 1, -1);
}

function checkColumns(tree: Tree, columns: Float64Array[], nRows: number, where: string): void {
  const { maxFeature } = treeFacts(tree);
  if (columns.length <= maxFeature) {
    throw new InputError(
      `${where}: the tree splits on feature ${maxFeature}, but there are ${columns.length} columns`,
      {
        key: 'columns',
      },
    );
  }
  for (let j = 0; j <= maxFeature; j++) {
    if (columns[j].length < nRows) {
      throw new InputError(`${where}: column ${j} has ${columns[j].length} rows, expected ${nRows}`, {
        key: `columns[${j}]`,
      });
    }
  }
}

/**
 * Adds scale·φ_j of `tree` for row `row` into phi[j], j = 0..p−1 (φ summed over the features equals the
 * leaf value reached minus `treeExpectedValue(tree)`). Does not touch a bias slot.
 */
export function treeShapRow(
  tree: Tree,
  columns: Float64Array[],
  row: number,
  phi: Float64Array,
  scale = 1,
): void {
  if (!Number.isInteger(row) || row < 0)
    throw new InputError(`row=${row} must be an integer >= 0`, { key: 'row' });
  checkColumns(tree, columns, row + 1, 'treeShapRow');
  const { maxFeature } = treeFacts(tree);
  if (phi.length <= maxFeature) {
    throw new InputError(`phi has ${phi.length} slots, but the tree splits on feature ${maxFeature}`, {
      key: 'phi',
    });
  }
  treeShapInto(tree, columns, row, phi, 0, scale);
}

function checkShape(ensemble: TreeEnsemble, columns: Float64Array[], nRows: number, nFeatures: number): void {
  if (!Number.isInteger(nRows) || nRows < 0) {
    throw new InputError(`nRows=${nRows} must be an integer >= 0`, { key: 'nRows' });
  }
  if (!Number.isInteger(nFeatures) || nFeatures < 0) {
    throw new InputError(`nFeatures=${nFeatures} must be an integer >= 0`, { key: 'nFeatures' });
  }
  ensemble.trees.forEach((tree, t) => {
    const { maxFeature } = treeFacts(tree);
    if (maxFeature >= nFeatures) {
      throw new InputError(`tree ${t} splits on feature ${maxFeature}, but nFeatures=${nFeatures}`, {
        key: `trees[${t}]`,
      });
    }
    checkColumns(tree, columns, nRows, `tree ${t}`);
  });
}

/** Bias of the SHAP rows: the expected raw output (margin for 'sum', probability for 'mean'). */
function ensembleExpectedValue(ensemble: TreeEnsemble): number {
  let total = 0;
  for (const tree of ensemble.trees) total += treeExpectedValue(tree);
  if (ensemble.aggregate === 'sum') return ensemble.baseMargin + total;
  return total / (ensemble.trees.length || 1);
}

/**
 * SHAP values of every row: nRows × (nFeatures + 1), row-major, the last column the bias (expected raw
 * output). For 'sum' ensembles in margin space (bias = baseMargin + Σ tree expected values); for 'mean'
 * ensembles everything is divided by the tree count (probability space). Each row sums to `predictRaw`.
 */
export function ensembleShap(
  ensemble: TreeEnsemble,
  columns: Float64Array[],
  nRows: number,
  nFeatures: number,
): Float64Array {
  checkShape(ensemble, columns, nRows, nFeatures);
  const stride = nFeatures + 1;
  const out = new Float64Array(nRows * stride);
  const scale = ensemble.aggregate === 'sum' ? 1 : 1 / (ensemble.trees.length || 1);
  for (const tree of ensemble.trees) {
    for (let row = 0; row < nRows; row++) treeShapInto(tree, columns, row, out, row * stride, scale);
  }
  const bias = ensembleExpectedValue(ensemble);
  for (let row = 0; row < nRows; row++) out[row * stride + nFeatures] = bias;
  return out;
}

// ---------------------------------------------------------------------------------------------- slow twin

/** Largest feature count `bruteForceShap` accepts: it evaluates all 2^p subsets. */
export const BRUTE_FORCE_MAX_FEATURES = 16;

/** E[f(x) | x_S] for the feature set `known` (bit j = feature j), by the cover-weighted tree walk. */
function conditionalExpectation(
  tree: Tree,
  columns: Float64Array[],
  row: number,
  known: number,
  node: number,
): number {
  const feature = tree.feature[node];
  if (feature < 0) return tree.value[node];
  const left = tree.left[node];
  const right = tree.right[node];
  if ((known >>> feature) & 1) {
    const next = goesLeft(tree, node, columns[feature][row]) ? left : right;
    return conditionalExpectation(tree, columns, row, known, next);
  }
  return (
    (tree.cover[left] * conditionalExpectation(tree, columns, row, known, left) +
      tree.cover[right] * conditionalExpectation(tree, columns, row, known, right)) /
    tree.cover[node]
  );
}

/**
 * Shapley values of one row by the definition, φ_j = Σ_{S ⊆ F∖{j}} |S|!(p−|S|−1)!/p! · (v(S ∪ {j}) − v(S)),
 * over all 2^p subsets, v(S) = E[f(x) | x_S] as in TreeSHAP. Returns nFeatures + 1 values, the last the
 * bias v(∅) (+ baseMargin for 'sum'; all divided by the tree count for 'mean'). For tests; p ≤ 16.
 */
export function bruteForceShap(
  ensemble: TreeEnsemble,
  columns: Float64Array[],
  row: number,
  nFeatures: number,
): Float64Array {
  if (nFeatures > BRUTE_FORCE_MAX_FEATURES) {
    throw new InputError(
      `nFeatures=${nFeatures} must be <= ${BRUTE_FORCE_MAX_FEATURES} for the brute force`,
      {
        key: 'nFeatures',
      },
    );
  }
  checkShape(ensemble, columns, row + 1, nFeatures);
  const subsets = 1 << nFeatures;
  const scale = ensemble.aggregate === 'sum' ? 1 : 1 / (ensemble.trees.length || 1);
  const value = new Float64Array(subsets);
  for (const tree of ensemble.trees) {
    for (let known = 0; known < subsets; known++) {
      value[known] += scale * conditionalExpectation(tree, columns, row, known, 0);
    }
  }
  const factorial = [1];
  for (let k = 1; k <= nFeatures; k++) factorial.push(factorial[k - 1] * k);
  const phi = new Float64Array(nFeatures + 1);
  for (let known = 0; known < subsets; known++) {
    let size = 0;
    for (let bits = known; bits !== 0; bits &= bits - 1) size++;
    if (size === nFeatures) continue;
    const weight = (factorial[size] * factorial[nFeatures - size - 1]) / factorial[nFeatures];
    for (let j = 0; j < nFeatures; j++) {
      if (!((known >>> j) & 1)) phi[j] += weight * (value[known | (1 << j)] - value[known]);
    }
  }
  phi[nFeatures] = value[0] + (ensemble.aggregate === 'sum' ? ensemble.baseMargin : 0);
  return phi;
}
