// Leaf-wise (best-first) tree growth on binned data: training nodes hold row ranges and histograms; the
// finished tree comes out as a flat `Tree` with raw-space thresholds and as a bin-space twin for scoring.

import type { BinMapper, BinnedMatrix } from './binning.js';
import { type GradArray, SumArray } from './dtypes.js';
import { HIST_STRIDE, HistogramBuilder, HistogramPool, subtractHistogram } from './histogram.js';
import { partitionRows } from './histogram-kernel.js';
import { GrowerHelper, HALVE_MIN_ROWS } from './pool.js';
import type { QuantizedGradients } from './quantize.js';

/** Training rows from which a second thread pays for its start. */
const WORKER_MIN_ROWS = 20_000;

import type { Random } from './random.js';
import {
  ALL_BINS,
  findCategoricalSplit,
  findNumericSplit,
  leafValue,
  type NodeTotals,
  SplitInfo,
  type SplitParams,
  SplitScratch,
} from './split-finder.js';
import { emptyTree, type Tree } from './tree.js';

export interface GrowerParams extends SplitParams {
  /** Leaves per tree at most (Infinity: grow until no split is valid). */
  numLeaves: number;
  /** Depth at most, the root at depth 0; -1 for no limit. */
  maxDepth: number;
  /** Multiplies every leaf value (the shrinkage of boosting; 1 for a forest). */
  learningRate: number;
}

export interface GrowOptions {
  /** Features this tree may split on, ascending (all when omitted). */
  features?: ArrayLike<number>;
  /**
   * Random-forest style: at each node draw features in random order until this many that are not
   * constant in the node have been tried (scikit-learn's `max_features` rule). 0 tries all features
   * and turns on histogram subtraction.
   */
  featuresPerNode?: number;
  /** Needed when `featuresPerNode > 0`. */
  random?: Random;
  /** Also return the bin-space tree (default true; the forest does not need it). */
  binnedTree?: boolean;
  /**
   * This tree's gradients rounded to integers (see quantize.ts): histograms and split search use them,
   * and leaf values and covers are refit from the real `grad` and `hess` of each leaf's rows.
   */
  quantized?: QuantizedGradients;
}

/** The tree in bin space, to route binned rows: node i sends bin b left iff leftMask[i * 256 + b]. */
export interface BinnedTree {
  feature: Int32Array;
  left: Int32Array;
  right: Int32Array;
  leftMask: Uint8Array;
  value: Float64Array;
}

export interface GrownTree {
  tree: Tree;
  /** Null when `GrowOptions.binnedTree` is false. */
  binnedTree: BinnedTree | null;
  /** Leaf node ids, and the range of each leaf's rows in `rows`. */
  leafNodes: Int32Array;
  leafBegin: Int32Array;
  leafEnd: Int32Array;
  /** The grown rows, partitioned by leaf; overwritten by the next `grow`. */
  rows: Uint32Array;
}

/** A node while the tree grows: its rows are `rows[begin..end)` of the grower's row buffer. */
class TrainingNode {
  left = -1;
  right = -1;
  histogram: SumArray | null = null;
  constructor(
    readonly id: number,
    readonly depth: number,
    readonly begin: number,
    readonly end: number,
    readonly totals: NodeTotals,
    /** From the grower's pool: a split holds a 256-byte mask, too costly to allocate per node. */
    readonly split: SplitInfo,
  ) {}
}

/** Grows trees on one binned matrix; buffers (rows, histograms, scratch) live as long as the grower. */
export class TreeGrower {
  private readonly data: BinnedMatrix;
  private readonly mapper: BinMapper;
  private readonly params: GrowerParams;
  private readonly builder: HistogramBuilder;
  private readonly pool: HistogramPool;
  private readonly scratch = new SplitScratch();
  private readonly rows: Uint32Array;
  private readonly partitionScratch: Uint32Array;
  private readonly allFeatures: Int32Array;
  private readonly featureOrder: Int32Array;
  private readonly splitPool: SplitInfo[] = [];
  private readonly cleanHistogram: SumArray;
  private readonly touchedBins = new Int32Array(256);
  private readonly threads: number;
  /** The split parameters of the current tree: `params` rescaled to integer units when quantised. */
  private treeParams: SplitParams;
  /** Made on the first tree that searches all features per node (boosting); the forest never needs it. */
  private helper: GrowerHelper | null = null;

  /** `threads` > 1 lets histogram building use a worker thread; the trees are the same either way. */
  constructor(data: BinnedMatrix, mapper: BinMapper, params: GrowerParams, threads = 1) {
    this.data = data;
    this.mapper = mapper;
    this.params = params;
    this.treeParams = params;
    this.builder = new HistogramBuilder(data);
    this.threads = threads;
    this.pool = new HistogramPool(this.builder.layout);
    this.cleanHistogram = new SumArray(HIST_STRIDE * this.builder.layout.totalBins);
    // Shared so the histogram worker reads the node's rows where the grower partitions them.
    this.rows = new Uint32Array(new SharedArrayBuffer(4 * data.nRows));
    this.partitionScratch = new Uint32Array(new SharedArrayBuffer(4 * data.nRows));
    this.allFeatures = Int32Array.from({ length: data.nFeatures }, (_, j) => j);
    this.featureOrder = new Int32Array(data.nFeatures);
  }

  /** Grows one tree on rows `rows` (distinct indices into the binned matrix) with these gradients. */
  grow(
    realGrad: GradArray,
    realHess: GradArray,
    rows: ArrayLike<number>,
    options: GrowOptions = {},
  ): GrownTree {
    const n = rows.length;
    this.rows.set(rows);
    const features = options.features ?? this.allFeatures;
    const perNode = options.featuresPerNode ?? 0;
    const quantized = options.quantized ?? null;
    // Histograms, node totals and split search see these; leaf values the real ones.
    const grad = quantized ? quantized.grad : realGrad;
    const hess = quantized ? quantized.hess : realHess;
    this.builder.quantize(quantized, this.rows.subarray(0, n));
    this.treeParams = quantized ? integerUnitParams(this.params, quantized) : this.params;
    if (perNode === 0 && features === this.allFeatures) this.ensureHelper();
    this.helper?.setParams(this.treeParams);
    let sumGrad = 0;
    let sumHess = 0;
    for (let i = 0; i < n; i++) {
      const row = this.rows[i];
      sumGrad += grad[row];
      sumHess += hess[row];
    }
    const root = new TrainingNode(0, 0, 0, n, { grad: sumGrad, hess: sumHess, count: n }, this.takeSplit());
    const nodes = [root];
    const heap = new NodeHeap();
    if (this.canSplit(root)) {
      if (perNode > 0) this.evaluateSampled(root, features, perNode, options.random!, grad, hess);
      else {
        root.histogram = this.pool.acquire();
        this.builder.build(root.histogram, features, this.rows, 0, n, grad, hess);
        this.evaluate(root, features);
      }
      if (root.split.feature >= 0) heap.push(root);
      else this.releaseHistogram(root);
    }
    let leaves = 1;
    while (heap.size > 0 && leaves < this.params.numLeaves) {
      const parent = heap.pop();
      const split = parent.split;
      const mid = this.partition(parent);
      const left = new TrainingNode(
        nodes.length,
        parent.depth + 1,
        parent.begin,
        mid,
        { grad: split.leftGrad, hess: split.leftHess, count: mid - parent.begin },
        this.takeSplit(),
      );
      const right = new TrainingNode(
        nodes.length + 1,
        parent.depth + 1,
        mid,
        parent.end,
        { grad: split.rightGrad, hess: split.rightHess, count: parent.end - mid },
        this.takeSplit(),
      );
      parent.left = left.id;
      parent.right = right.id;
      nodes.push(left, right);
      leaves++;
      const children = [left, right];
      if (perNode > 0) {
        for (const child of children) {
          if (this.canSplit(child))
            this.evaluateSampled(child, features, perNode, options.random!, grad, hess);
        }
      } else {
        this.childHistograms(parent, left, right, features, grad, hess);
        for (const child of children) if (child.histogram) this.evaluate(child, features);
      }
      for (const child of children) {
        if (child.split.feature >= 0) heap.push(child);
        else this.releaseHistogram(child);
      }
    }
    for (const node of heap.items) this.releaseHistogram(node);
    const grown = this.finish(nodes, options.binnedTree ?? true);
    if (quantized) this.refit(nodes, grown, realGrad, realHess, quantized);
    for (const node of nodes) this.splitPool.push(node.split);
    return grown;
  }

  /** Releases the worker thread, if any; call when done growing. */
  close(): void {
    this.helper?.close();
    this.helper = null;
  }

  /** The helper that takes half of big histograms and of each split search (a worker when threads > 1). */
  private ensureHelper(): GrowerHelper {
    if (this.helper) return this.helper;
    const layout = this.builder.layout;
    const context = { layout, categorical: this.data.categorical, params: this.params };
    // Starting a worker costs tens of milliseconds: more than it saves on small data (same trees either way).
    const threads = this.data.nRows >= WORKER_MIN_ROWS ? this.threads : 1;
    this.helper = new GrowerHelper(
      this.builder.kernelBuffers(this.rows, this.partitionScratch),
      context,
      HIST_STRIDE * layout.totalBins,
      threads,
    );
    this.builder.useHelper(this.helper);
    return this.helper;
  }

  private takeSplit(): SplitInfo {
    const split = this.splitPool.pop() ?? new SplitInfo();
    split.reset();
    return split;
  }

  /** A node can split when both children could meet the row, hessian and depth limits. */
  private canSplit(node: TrainingNode): boolean {
    const { minDataInLeaf, maxDepth } = this.params;
    const { minSumHessian } = this.treeParams;
    return (
      (maxDepth < 0 || node.depth < maxDepth) &&
      node.totals.count >= 2 * Math.max(1, minDataInLeaf) &&
      node.totals.hess >= 2 * minSumHessian
    );
  }

  /**
   * Histograms of the children that can split: the smaller child's is built from its rows, the larger's
   * is the parent's minus it (in the parent's buffer). A child that cannot split gets none.
   */
  private childHistograms(
    parent: TrainingNode,
    left: TrainingNode,
    right: TrainingNode,
    features: ArrayLike<number>,
    grad: GradArray,
    hess: GradArray,
  ): void {
    const parentHistogram = parent.histogram!;
    parent.histogram = null;
    const [small, large] = left.totals.count <= right.totals.count ? [left, right] : [right, left];
    const smallCan = this.canSplit(small);
    const largeCan = this.canSplit(large);
    if (!largeCan) {
      if (smallCan) {
        small.histogram = parentHistogram;
        this.builder.build(small.histogram, features, this.rows, small.begin, small.end, grad, hess);
      } else this.pool.release(parentHistogram);
      return;
    }
    const smallHistogram = this.pool.acquire();
    this.builder.build(smallHistogram, features, this.rows, small.begin, small.end, grad, hess);
    subtractHistogram(parentHistogram, smallHistogram, this.builder.layout, features);
    large.histogram = parentHistogram;
    if (smallCan) small.histogram = smallHistogram;
    else this.pool.release(smallHistogram);
  }

  private evaluate(node: TrainingNode, features: ArrayLike<number>): void {
    const { histogram, totals, split } = node;
    if (this.helper && features === this.allFeatures) {
      this.helper.searchSplit(histogram!, totals, this.scratch, split);
      return;
    }
    const layout = this.builder.layout;
    const categorical = this.data.categorical;
    for (let k = 0; k < features.length; k++) {
      const f = features[k];
      if (categorical[f])
        findCategoricalSplit(histogram!, layout, f, totals, this.treeParams, this.scratch, split);
      else findNumericSplit(histogram!, layout, f, totals, this.treeParams, split);
    }
  }

  /** Per-node feature sampling: features in random order until `wanted` non-constant ones were tried. */
  private evaluateSampled(
    node: TrainingNode,
    features: ArrayLike<number>,
    wanted: number,
    random: Random,
    grad: GradArray,
    hess: GradArray,
  ): void {
    const order = this.featureOrder.subarray(0, features.length);
    order.set(features);
    // A histogram kept all zero between nodes, so small nodes touch only their own bins.
    const histogram = this.cleanHistogram;
    const touched = this.touchedBins;
    const { layout } = this.builder;
    const { begin, end, totals, split } = node;
    this.builder.gather(this.rows, begin, end, grad, hess);
    let tried = 0;
    for (let k = 0; k < order.length && tried < wanted; k++) {
      // Fisher–Yates, one step at a time: only as many features are drawn as are tried.
      const pick = k + random.nextInt(order.length - k);
      const f = order[pick];
      order[pick] = order[k];
      order[k] = f;
      const valueBins = layout.nBins[f] - 1;
      const sparse = end - begin < valueBins;
      let binCount = valueBins;
      let bins = ALL_BINS;
      if (sparse) {
        binCount = this.builder.accumulateSparse(histogram, f, this.rows, begin, end, touched);
        bins = touched;
      } else this.builder.accumulate(histogram, f, this.rows, begin, end);
      if (!isConstant(histogram, layout.offsets[f], bins, binCount, valueBins)) {
        tried++;
        if (this.data.categorical[f]) {
          findCategoricalSplit(
            histogram,
            layout,
            f,
            totals,
            this.treeParams,
            this.scratch,
            split,
            bins,
            binCount,
          );
        } else findNumericSplit(histogram, layout, f, totals, this.treeParams, split, bins, binCount);
      }
      if (sparse) this.builder.clearBins(histogram, f, touched, binCount);
      else this.builder.clearFeature(histogram, f);
    }
  }

  /**
   * Stable in-place partition of the node's rows by its split; returns where the right child starts.
   *
   *   before:  rows[begin..end) = r0 r1 r2 r3 r4 r5        (L = goes left, R = goes right)
   *                               L  R  R  L  L  R
   *   pass:    left rows are written forward from `begin` (the write cursor never passes the read
   *            cursor), right rows are copied to the scratch buffer in order;
   *   after:   rows[begin..end) = r0 r3 r4 | r1 r2 r5      both sides keep their order, so rows stay
   *                                        ^ returned      ascending and histogram reads stay local.
   */
  private partition(node: TrainingNode): number {
    const { begin, end, split } = node;
    if (this.helper && end - begin >= HALVE_MIN_ROWS) {
      return this.helper.partition(split.leftMask, split.feature, begin, end);
    }
    const nRows = this.data.nRows;
    const column = this.data.binned.subarray(split.feature * nRows, (split.feature + 1) * nRows);
    const left = partitionRows(this.rows, this.partitionScratch, column, split.leftMask, begin, end, 0);
    this.rows.set(this.partitionScratch.subarray(0, end - begin - left), begin + left);
    return begin + left;
  }

  private releaseHistogram(node: TrainingNode): void {
    if (node.histogram) this.pool.release(node.histogram);
    node.histogram = null;
  }

  /**
   * After a quantised tree: leaf values and covers from the real gradients of each leaf's rows (covers of
   * inner nodes as the sum of their children's, as TreeSHAP expects), gains back in real units.
   */
  private refit(
    nodes: TrainingNode[],
    grown: GrownTree,
    grad: GradArray,
    hess: GradArray,
    quantized: QuantizedGradients,
  ): void {
    const { tree, rows } = grown;
    const { lambda, learningRate } = this.params;
    const gainUnit = (quantized.gradScale * quantized.gradScale) / quantized.hessScale;
    // Children have larger ids than their parent: a backward pass sees both children first.
    for (let i = nodes.length - 1; i >= 0; i--) {
      const node = nodes[i];
      if (node.left >= 0) {
        tree.cover[i] = tree.cover[node.left] + tree.cover[node.right];
        tree.gain[i] *= gainUnit;
        continue;
      }
      let sumGrad = 0;
      let sumHess = 0;
      for (let k = node.begin; k < node.end; k++) {
        const row = rows[k];
        sumGrad += grad[row];
        sumHess += hess[row];
      }
      tree.cover[i] = sumHess;
      tree.value[i] = leafValue(sumGrad, sumHess, lambda) * learningRate;
    }
  }

  /** Flat tree (raw thresholds, category bitsets), its bin-space twin, and the leaves' row ranges. */
  private finish(nodes: TrainingNode[], withBinnedTree: boolean): GrownTree {
    const count = nodes.length;
    const { lambda, learningRate } = this.params;
    const tree = emptyTree(count);
    const leftMask = withBinnedTree ? new Uint8Array(count * 256) : null;
    const bits: number[] = [];
    const leafNodes: number[] = [];
    for (const node of nodes) {
      const i = node.id;
      tree.cover[i] = node.totals.hess;
      if (node.left < 0) {
        tree.value[i] = leafValue(node.totals.grad, node.totals.hess, lambda) * learningRate;
        leafNodes.push(i);
        continue;
      }
      const split = node.split;
      const f = split.feature;
      tree.feature[i] = f;
      tree.left[i] = node.left;
      tree.right[i] = node.right;
      tree.gain[i] = split.gain;
      const missingBin = this.data.missingBin[f];
      tree.missingLeft[i] = split.leftMask[missingBin];
      leftMask?.set(split.leftMask, i * 256);
      const bins = this.mapper.features[f];
      if (bins.kind === 'numeric') {
        // "All present values left" (present vs missing) has no upper edge: the largest double stands in
        // for +Infinity, which JSON cannot hold (only a present +Infinity would be routed differently).
        tree.threshold[i] =
          split.thresholdBin < bins.edges.length ? bins.edges[split.thresholdBin] : Number.MAX_VALUE;
      } else {
        const words = Math.max(1, (bins.binOfCode.length + 31) >>> 5);
        const start = bits.length;
        for (let w = 0; w < words; w++) bits.push(0);
        bins.binOfCode.forEach((bin, code) => {
          if (bin >= 0 && split.leftMask[bin] === 1) bits[start + (code >>> 5)] |= 1 << (code & 31);
        });
        tree.catStart[i] = start;
        tree.catWords[i] = words;
      }
    }
    tree.catBits = Uint32Array.from(bits, (word) => word >>> 0);
    const leafBegin = Int32Array.from(leafNodes, (i) => nodes[i].begin);
    const leafEnd = Int32Array.from(leafNodes, (i) => nodes[i].end);
    const binnedTree: BinnedTree | null = leftMask && {
      feature: tree.feature,
      left: tree.left,
      right: tree.right,
      leftMask,
      value: tree.value,
    };
    return { tree, binnedTree, leafNodes: Int32Array.from(leafNodes), leafBegin, leafEnd, rows: this.rows };
  }
}

/**
 * The split parameters in the integer units of quantised gradients: with g = s_g·G and h = s_h·H, the gain
 * (s_g·G)²/(s_h·H + λ) is (s_g²/s_h)·G²/(H + λ/s_h), so hessian-like parameters are divided by s_h and the
 * minimum gain by s_g²/s_h; the category order G/(H + catSmooth/s_h) is unchanged.
 */
function integerUnitParams<P extends SplitParams>(params: P, quantized: QuantizedGradients): P {
  const { gradScale, hessScale } = quantized;
  return {
    ...params,
    lambda: params.lambda / hessScale,
    minSumHessian: params.minSumHessian / hessScale,
    minGain: (params.minGain * hessScale) / (gradScale * gradScale),
    catSmooth: params.catSmooth / hessScale,
    catL2: params.catL2 / hessScale,
  };
}

/** Leaf of binned row `row` of `data` in a bin-space tree. */
export function binnedLeafIndex(tree: BinnedTree, data: BinnedMatrix, row: number): number {
  const { feature, left, right, leftMask } = tree;
  const binned = data.binned;
  const nRows = data.nRows;
  let node = 0;
  let f = feature[0];
  while (f >= 0) {
    node = leftMask[node * 256 + binned[f * nRows + row]] === 1 ? left[node] : right[node];
    f = feature[node];
  }
  return node;
}

/** True when at most one bin of the feature (the listed value bins, and the missing bin) holds rows. */
function isConstant(
  histogram: SumArray,
  offset: number,
  bins: Int32Array,
  binCount: number,
  missingBin: number,
) {
  let nonEmpty = histogram[HIST_STRIDE * (offset + missingBin) + 2] > 0 ? 1 : 0;
  for (let k = 0; k < binCount; k++) {
    if (histogram[HIST_STRIDE * (offset + bins[k]) + 2] > 0 && ++nonEmpty > 1) return false;
  }
  return true;
}

/** Max-heap of nodes by split gain; equal gains pop the older node first (deterministic order). */
class NodeHeap {
  readonly items: TrainingNode[] = [];
  get size(): number {
    return this.items.length;
  }
  push(node: TrainingNode): void {
    const items = this.items;
    items.push(node);
    let i = items.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!before(items[i], items[up])) break;
      [items[i], items[up]] = [items[up], items[i]];
      i = up;
    }
  }
  pop(): TrainingNode {
    const items = this.items;
    const top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && before(items[l], items[m])) m = l;
        if (r < items.length && before(items[r], items[m])) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m], items[i]];
        i = m;
      }
    }
    return top;
  }
}

function before(a: TrainingNode, b: TrainingNode): boolean {
  return a.split.gain > b.split.gain || (a.split.gain === b.split.gain && a.id < b.id);
}
