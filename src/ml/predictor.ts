// Fast scoring of a tree ensemble: each value is binned once per row block into a small integer code (its rank
// among the ensemble's thresholds on that feature), and the flattened trees are walked on those codes.

import type { TreeEnsemble } from './ensemble.js';
import type { Tree } from './tree.js';

/*
 * Codes. A numeric feature whose nodes use the sorted distinct thresholds t0 < t1 < … < t(n−1) codes a value by
 * how many thresholds it reaches, plus one; a missing value gets 0 or MISSING_RIGHT, depending on the slot:
 *
 *   x     …  t0  …  t1  …      …  t(n−1)  …        NaN
 *   code   1     2     3   …     n     n+1      0 (slot of nodes sending missing left) | 0x7fff (right)
 *
 * so `x < t_k`, and NaN going left or right, become one integer test: right iff code > k + 1. A categorical
 * feature keeps its category code (`x | 0`, as `goesLeft` reads it); codes no node lists become OUT = 32 × the
 * most bitset words of its nodes, missing becomes OUT + 1. Each row's codes sit side by side, one slot per
 * (feature, use): a numeric feature takes up to two slots (missing left, missing right), a categorical one one.
 *
 * Nodes, two Int32 words each, trees one after the other, each tree in breadth-first order so that a node's
 * two children are neighbours:
 *
 *   nodes[2i]     K << 16 | slot            numeric split: goes right iff code > K; a leaf has K = 0x7fff
 *                 0xffff << 16 | slot       categorical split (negative): goes left iff the code's bit is set
 *                                           in catBits from catOffset[i] (missing: bit OUT + 1)
 *   nodes[2i + 1] left child; the right child is the next node; a leaf is its own child
 *
 * A leaf never goes right, so walking a tree `depth` steps from its root ends on the row's leaf whatever the
 * leaf's depth: eight rows walk a tree together, in lock step, with no branch that depends on the data (except
 * the rare categorical node).
 */

/** Code of a missing value in a slot whose nodes send missing values right; also a leaf's K. */
const MISSING_RIGHT = 0x7fff;
/** The largest threshold count and category bitset a code can cover; larger models score with the plain walk. */
const MAX_THRESHOLDS = MISSING_RIGHT - 2;
const MAX_CATEGORY_WORDS = (MISSING_RIGHT - 1) >>> 5;
const MAX_SLOTS = 0xffff;
/** Marks a categorical node in the K half of its first word (the word is then negative). */
const CATEGORICAL_K = 0xffff;
/** Rows walked together through a tree. */
const LANES = 8;
/** A row block's codes are kept near this size, so they stay in the L1 cache while every tree walks them. */
const BLOCK_BYTES = 32 * 1024;
const MAX_BLOCK_ROWS = 256;

/**
 * An ensemble flattened for scoring: typed arrays only, the large ones on SharedArrayBuffer so that scoring
 * threads share them (postMessage copies the small ones).
 */
export interface CompiledEnsemble {
  nTrees: number;
  /** Codes per row: the slots plus one unused slot that absent slots write to. */
  rowStride: number;
  blockRows: number;
  /** Features the trees read (1) or not (0), by feature index. */
  usedFeatures: Uint8Array;
  numericFeature: Int32Array;
  /** Slot of the feature's missing-left and missing-right nodes; the unused slot when there are none. */
  missingLeftSlot: Int32Array;
  missingRightSlot: Int32Array;
  /** Sorted distinct thresholds of each numeric feature, padded with NaN to a power of two (≥ count + 1). */
  thresholdStart: Int32Array;
  thresholdSpan: Int32Array;
  thresholds: Float64Array;
  categoricalFeature: Int32Array;
  categoricalSlot: Int32Array;
  /** The code of categories no node lists; missing is this + 1. */
  categoricalOut: Int32Array;
  nodes: Int32Array;
  catOffset: Int32Array;
  catBits: Uint32Array;
  /** Leaf value by node (0 at split nodes). */
  leafValue: Float64Array;
  roots: Int32Array;
  /** Steps from the root to the tree's deepest leaf. */
  depths: Int32Array;
}

/** What one feature's nodes need, gathered over all trees. */
interface FeatureUse {
  thresholds: Set<number>;
  missingLeft: boolean;
  missingRight: boolean;
  categoryWords: number;
  categorical: boolean;
}

/**
 * Flattens `ensemble` for `scoreRows`; null when it does not fit the layout (more than 32,765 distinct
 * thresholds on a feature, category codes past 32,735, 65,535 slots, or a malformed tree).
 */
export function compileEnsemble(ensemble: TreeEnsemble): CompiledEnsemble | null {
  const uses = new Map<number, FeatureUse>();
  for (const tree of ensemble.trees) gatherUses(tree, uses);
  const features = [...uses.keys()].sort((a, b) => a - b);

  let nSlots = 0;
  const numeric: { feature: number; left: number; right: number; sorted: Float64Array }[] = [];
  const categorical: { feature: number; slot: number; out: number }[] = [];
  for (const feature of features) {
    const use = uses.get(feature)!;
    if (use.thresholds.size > MAX_THRESHOLDS || use.categoryWords > MAX_CATEGORY_WORDS) return null;
    if (use.missingLeft || use.missingRight) {
      const left = use.missingLeft ? nSlots++ : -1;
      const right = use.missingRight ? nSlots++ : -1;
      numeric.push({ feature, left, right, sorted: Float64Array.from(use.thresholds).sort() });
    }
    if (use.categorical) categorical.push({ feature, slot: nSlots++, out: 32 * use.categoryWords });
  }
  if (nSlots > MAX_SLOTS) return null;
  const unused = nSlots;
  const rowStride = nSlots + 1;

  const thresholdStart = sharedInt32(numeric.length);
  const thresholdSpan = sharedInt32(numeric.length);
  let span = 0;
  numeric.forEach((entry, i) => {
    thresholdStart[i] = span;
    thresholdSpan[i] = paddedSize(entry.sorted.length + 1);
    span += thresholdSpan[i];
  });
  const thresholds = new Float64Array(new SharedArrayBuffer(8 * span)).fill(Number.NaN);
  numeric.forEach((entry, i) => {
    thresholds.set(entry.sorted, thresholdStart[i]);
  });

  const numericSlots = new Map(numeric.map((entry) => [entry.feature, entry]));
  const categoricalSlots = new Map(categorical.map((entry) => [entry.feature, entry]));
  const nTrees = ensemble.trees.length;
  let nNodes = 0;
  for (const tree of ensemble.trees) nNodes += tree.feature.length;
  const nodes = sharedInt32(2 * nNodes);
  const catOffset = sharedInt32(nNodes);
  const leafValue = new Float64Array(new SharedArrayBuffer(8 * nNodes));
  const roots = sharedInt32(nTrees);
  const depths = sharedInt32(nTrees);
  const bits: number[] = [];
  let next = 0;
  for (let t = 0; t < nTrees; t++) {
    const tree = ensemble.trees[t];
    const n = tree.feature.length;
    // Breadth-first: `order` lists the tree's nodes by new position, `position` maps them back.
    const position = new Int32Array(n).fill(-1);
    const order = [0];
    const depth = new Int32Array(n);
    roots[t] = next;
    position[0] = next++;
    for (let q = 0; q < order.length; q++) {
      const node = order[q];
      const at = position[node];
      depths[t] = Math.max(depths[t], depth[node]);
      const feature = tree.feature[node];
      if (feature < 0) {
        nodes[2 * at] = MISSING_RIGHT << 16;
        nodes[2 * at + 1] = at;
        leafValue[at] = tree.value[node];
        continue;
      }
      const left = tree.left[node];
      const right = tree.right[node];
      const malformed = (child: number) => !(child >= 0 && child < n) || position[child] !== -1;
      if (malformed(left) || malformed(right) || left === right) return null;
      position[left] = next;
      position[right] = next + 1;
      next += 2;
      order.push(left, right);
      depth[left] = depth[right] = depth[node] + 1;
      nodes[2 * at + 1] = position[left];
      if (tree.catStart[node] >= 0) {
        const slot = categoricalSlots.get(feature)!;
        catOffset[at] = bits.length;
        const words = ((slot.out + 1) >>> 5) + 1;
        for (let w = 0; w < words; w++)
          bits.push(w < tree.catWords[node] ? tree.catBits[tree.catStart[node] + w] : 0);
        if (tree.missingLeft[node])
          bits[catOffset[at] + ((slot.out + 1) >>> 5)] |= 1 << ((slot.out + 1) & 31);
        nodes[2 * at] = (CATEGORICAL_K << 16) | slot.slot;
      } else {
        const entry = numericSlots.get(feature)!;
        const slot = tree.missingLeft[node] ? entry.left : entry.right;
        const threshold = tree.threshold[node];
        const k = Number.isNaN(threshold) ? -1 : lowerBound(entry.sorted, threshold);
        nodes[2 * at] = ((k + 1) << 16) | slot;
      }
    }
  }
  const catBits = new Uint32Array(new SharedArrayBuffer(4 * Math.max(1, bits.length)));
  for (let i = 0; i < bits.length; i++) catBits[i] = bits[i] >>> 0;

  const usedFeatures = new Uint8Array(new SharedArrayBuffer(features.length ? features.at(-1)! + 1 : 0));
  for (const feature of features) usedFeatures[feature] = 1;
  const blockRows = Math.max(
    LANES,
    Math.min(MAX_BLOCK_ROWS, Math.floor(BLOCK_BYTES / (2 * rowStride) / LANES) * LANES),
  );
  return {
    nTrees,
    rowStride,
    blockRows,
    usedFeatures,
    numericFeature: Int32Array.from(numeric, (entry) => entry.feature),
    missingLeftSlot: Int32Array.from(numeric, (entry) => (entry.left >= 0 ? entry.left : unused)),
    missingRightSlot: Int32Array.from(numeric, (entry) => (entry.right >= 0 ? entry.right : unused)),
    thresholdStart,
    thresholdSpan,
    thresholds,
    categoricalFeature: Int32Array.from(categorical, (entry) => entry.feature),
    categoricalSlot: Int32Array.from(categorical, (entry) => entry.slot),
    categoricalOut: Int32Array.from(categorical, (entry) => entry.out),
    nodes: nodes.subarray(0, 2 * next),
    catOffset: catOffset.subarray(0, next),
    catBits,
    leafValue: leafValue.subarray(0, next),
    roots,
    depths,
  };
}

function gatherUses(tree: Tree, uses: Map<number, FeatureUse>): void {
  for (let node = 0; node < tree.feature.length; node++) {
    const feature = tree.feature[node];
    if (feature < 0) continue;
    let use = uses.get(feature);
    if (!use) {
      use = {
        thresholds: new Set(),
        missingLeft: false,
        missingRight: false,
        categoryWords: 0,
        categorical: false,
      };
      uses.set(feature, use);
    }
    if (tree.catStart[node] >= 0) {
      use.categorical = true;
      use.categoryWords = Math.max(use.categoryWords, tree.catWords[node]);
    } else {
      if (!Number.isNaN(tree.threshold[node])) use.thresholds.add(tree.threshold[node]);
      if (tree.missingLeft[node]) use.missingLeft = true;
      else use.missingRight = true;
    }
  }
}

function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * length));
}

function paddedSize(n: number): number {
  let size = 1;
  while (size < n) size *= 2;
  return size;
}

/** Index of the first entry of `sorted` not below `value`. */
function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Scratch for one thread's `scoreRows` calls: a row block's codes. */
export function codeBuffer(model: CompiledEnsemble): Uint16Array {
  return new Uint16Array(model.blockRows * model.rowStride);
}

/**
 * Adds every tree's leaf value, in tree order, to out[row] for rows [begin, end) of `columns` (the sum only:
 * the caller adds the base margin or divides by the tree count). `codes` comes from `codeBuffer(model)`.
 */
export function scoreRows(
  model: CompiledEnsemble,
  columns: Float64Array[],
  begin: number,
  end: number,
  out: Float64Array,
  codes: Uint16Array,
): void {
  for (let start = begin; start < end; start += model.blockRows) {
    const count = Math.min(model.blockRows, end - start);
    encodeBlock(model, columns, start, count, codes);
    walkBlock(model, codes, count, out, start);
  }
}

/** Codes of rows [start, start + count), row after row (see the picture at the top). */
function encodeBlock(
  model: CompiledEnsemble,
  columns: Float64Array[],
  start: number,
  count: number,
  codes: Uint16Array,
): void {
  const stride = model.rowStride;
  const { thresholds, thresholdStart, thresholdSpan, missingLeftSlot, missingRightSlot } = model;
  for (let j = 0; j < model.numericFeature.length; j++) {
    const column = columns[model.numericFeature[j]];
    const first = thresholdStart[j];
    const top = thresholdSpan[j] >>> 1;
    const left = missingLeftSlot[j];
    const right = missingRightSlot[j];
    for (let i = 0; i < count; i++) {
      const x = column[start + i];
      // Binary search without branches: `rank` gains each power of two whose threshold is still <= x (NaN
      // padding never is), so it ends as the number of thresholds <= x.
      let rank = 0;
      for (let step = top; step > 0; step >>= 1)
        rank += step * Number(thresholds[first + rank + step - 1] <= x);
      const present = Number(!Number.isNaN(x));
      codes[i * stride + left] = present * (rank + 1);
      codes[i * stride + right] = present * (rank + 1) + (1 - present) * MISSING_RIGHT;
    }
  }
  const { categoricalFeature, categoricalSlot, categoricalOut } = model;
  for (let j = 0; j < categoricalFeature.length; j++) {
    const column = columns[categoricalFeature[j]];
    const slot = categoricalSlot[j];
    const out = categoricalOut[j];
    for (let i = 0; i < count; i++) {
      const x = column[start + i];
      const code = x | 0;
      codes[i * stride + slot] = Number.isNaN(x) ? out + 1 : code >= 0 && code < out ? code : out;
    }
  }
}

/** One step of a walk: the node after `node` for the row whose codes start at `base`. */
function step(
  nodes: Int32Array,
  catOffset: Int32Array,
  catBits: Uint32Array,
  codes: Uint16Array,
  base: number,
  node: number,
): number {
  const word = nodes[2 * node];
  const code = codes[base + (word & 0xffff)];
  const right =
    word >= 0
      ? ((word >> 16) - code) >>> 31
      : 1 ^ ((catBits[catOffset[node] + (code >>> 5)] >>> (code & 31)) & 1);
  return nodes[2 * node + 1] + right;
}

/** Adds each tree's leaf value of the block's rows to out[offset..], trees outer, eight rows at a time inner. */
function walkBlock(
  model: CompiledEnsemble,
  codes: Uint16Array,
  count: number,
  out: Float64Array,
  offset: number,
): void {
  const { nodes, catOffset, catBits, leafValue, roots, depths } = model;
  const stride = model.rowStride;
  for (let t = 0; t < model.nTrees; t++) {
    const root = roots[t];
    const depth = depths[t];
    let i = 0;
    for (; i + LANES <= count; i += LANES) {
      const b0 = i * stride;
      const b1 = b0 + stride;
      const b2 = b1 + stride;
      const b3 = b2 + stride;
      const b4 = b3 + stride;
      const b5 = b4 + stride;
      const b6 = b5 + stride;
      const b7 = b6 + stride;
      let n0 = root;
      let n1 = root;
      let n2 = root;
      let n3 = root;
      let n4 = root;
      let n5 = root;
      let n6 = root;
      let n7 = root;
      for (let level = 0; level < depth; level++) {
        n0 = step(nodes, catOffset, catBits, codes, b0, n0);
        n1 = step(nodes, catOffset, catBits, codes, b1, n1);
        n2 = step(nodes, catOffset, catBits, codes, b2, n2);
        n3 = step(nodes, catOffset, catBits, codes, b3, n3);
        n4 = step(nodes, catOffset, catBits, codes, b4, n4);
        n5 = step(nodes, catOffset, catBits, codes, b5, n5);
        n6 = step(nodes, catOffset, catBits, codes, b6, n6);
        n7 = step(nodes, catOffset, catBits, codes, b7, n7);
      }
      const row = offset + i;
      out[row] += leafValue[n0];
      out[row + 1] += leafValue[n1];
      out[row + 2] += leafValue[n2];
      out[row + 3] += leafValue[n3];
      out[row + 4] += leafValue[n4];
      out[row + 5] += leafValue[n5];
      out[row + 6] += leafValue[n6];
      out[row + 7] += leafValue[n7];
    }
    for (; i < count; i++) {
      const base = i * stride;
      let node = root;
      for (let level = 0; level < depth; level++) node = step(nodes, catOffset, catBits, codes, base, node);
      out[offset + i] += leafValue[node];
    }
  }
}
