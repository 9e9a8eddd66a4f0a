// A finished decision tree as flat typed arrays: what prediction, saving, TreeSHAP and the forest use.
// The grower's training nodes are a different type; they end up here through `TreeBuilder`.

/**
 * Node i is a leaf when `feature[i] === -1`. At a split node a present numeric value goes left iff
 * `x < threshold[i]` (XGBoost's convention, so its models load unchanged); a categorical value goes left iff
 * its code is in the node's bitset; a missing value (NaN) goes left iff `missingLeft[i]`.
 */
export interface Tree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  missingLeft: Uint8Array;
  /** Start of the node's category bitset in `catBits`, -1 for numeric splits and leaves. */
  catStart: Int32Array;
  /** Number of 32-bit words in the node's category bitset. */
  catWords: Int32Array;
  catBits: Uint32Array;
  /** Leaf output (margin for boosting, positive-class probability for the forest); 0 at split nodes. */
  value: Float64Array;
  /** Sum of hessians (boosting) or of sample weights (forest) of the training rows that reached the node. */
  cover: Float64Array;
  /** Loss reduction of the split; 0 at leaves. */
  gain: Float64Array;
}

/** True when value `x` of the node's feature goes to the left child. */
export function goesLeft(tree: Tree, node: number, x: number): boolean {
  if (Number.isNaN(x)) return tree.missingLeft[node] === 1;
  const start = tree.catStart[node];
  if (start < 0) return x < tree.threshold[node];
  const code = x | 0;
  const word = code >>> 5;
  if (code < 0 || word >= tree.catWords[node]) return false;
  return ((tree.catBits[start + word] >>> (code & 31)) & 1) === 1;
}

/** Index of the leaf that row `row` of `columns` reaches. */
export function leafIndex(tree: Tree, columns: Float64Array[], row: number): number {
  let node = 0;
  const feature = tree.feature;
  while (feature[node] >= 0) {
    node = goesLeft(tree, node, columns[feature[node]][row]) ? tree.left[node] : tree.right[node];
  }
  return node;
}

/** Number of nodes in the tree. */
export function nodeCount(tree: Tree): number {
  return tree.feature.length;
}

/** Plain-object description of one node, used to build a tree without touching typed arrays. */
export interface NodeSpec {
  feature: number;
  threshold?: number;
  left?: number;
  right?: number;
  missingLeft?: boolean;
  /** Category codes that go left (categorical split). */
  leftCategories?: number[];
  value?: number;
  cover: number;
  gain?: number;
}

/** A tree of `n` nodes, all leaves with value 0 and no children, ready to be filled in. */
export function emptyTree(n: number): Tree {
  return {
    feature: new Int32Array(n).fill(-1),
    threshold: new Float64Array(n),
    left: new Int32Array(n).fill(-1),
    right: new Int32Array(n).fill(-1),
    missingLeft: new Uint8Array(n),
    catStart: new Int32Array(n).fill(-1),
    catWords: new Int32Array(n),
    catBits: new Uint32Array(0),
    value: new Float64Array(n),
    cover: new Float64Array(n),
    gain: new Float64Array(n),
  };
}

/** Builds a flat tree from node descriptions in index order (node 0 is the root). */
export function buildTree(nodes: NodeSpec[]): Tree {
  const tree = emptyTree(nodes.length);
  const bits: number[] = [];
  nodes.forEach((spec, i) => {
    tree.feature[i] = spec.feature;
    tree.cover[i] = spec.cover;
    if (spec.feature < 0) {
      tree.value[i] = spec.value ?? 0;
      return;
    }
    tree.left[i] = spec.left ?? -1;
    tree.right[i] = spec.right ?? -1;
    tree.missingLeft[i] = spec.missingLeft ? 1 : 0;
    tree.gain[i] = spec.gain ?? 0;
    if (spec.leftCategories) {
      const codes = spec.leftCategories;
      const words = codes.length ? (Math.max(...codes) >>> 5) + 1 : 0;
      tree.catStart[i] = bits.length;
      tree.catWords[i] = words;
      const start = bits.length;
      for (let w = 0; w < words; w++) bits.push(0);
      for (const code of spec.leftCategories) bits[start + (code >>> 5)] |= 1 << (code & 31);
    } else {
      tree.threshold[i] = spec.threshold ?? 0;
    }
  });
  tree.catBits = Uint32Array.from(bits, (b) => b >>> 0);
  return tree;
}
