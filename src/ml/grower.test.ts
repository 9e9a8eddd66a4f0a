import { describe, expect, it } from 'vitest';
import type { BinMapper, BinnedMatrix } from './binning.js';
import { binnedLeafIndex, type GrowerParams, type GrownTree, TreeGrower } from './grower.js';
import { HESS_LEVELS, quantizedBuffers, quantizeGradients } from './quantize.js';
import { Random } from './random.js';
import { defaultSplitParams } from './split-finder.js';
import type { Tree } from './tree.js';

/**
 * Already-binned data: `nFeatures` numeric features with `nBins` value bins (+1 missing bin), edges at
 * 10, 20, ..., and one categorical feature with 6 categories (+1 missing bin) at the end.
 */
function binnedData(nRows: number, nFeatures: number, nBins: number, seed: number) {
  const random = new Random(seed);
  const total = nFeatures + 1;
  const binned = new Uint8Array(nRows * total);
  for (let j = 0; j < nFeatures; j++) {
    for (let i = 0; i < nRows; i++)
      binned[j * nRows + i] = random.next() < 0.05 ? nBins : random.nextInt(nBins);
  }
  for (let i = 0; i < nRows; i++) binned[nFeatures * nRows + i] = random.nextInt(7);
  const data: BinnedMatrix = {
    binned,
    nRows,
    nFeatures: total,
    nBins: Int32Array.from({ length: total }, (_, j) => (j < nFeatures ? nBins + 1 : 7)),
    missingBin: Int32Array.from({ length: total }, (_, j) => (j < nFeatures ? nBins : 6)),
    categorical: Uint8Array.from({ length: total }, (_, j) => (j < nFeatures ? 0 : 1)),
  };
  const edges = Array.from({ length: nBins - 1 }, (_, b) => 10 * (b + 1));
  const mapper: BinMapper = {
    names: Array.from({ length: total }, (_, j) => `f${j}`),
    features: [
      ...Array.from({ length: nFeatures }, () => ({
        kind: 'numeric' as const,
        edges,
        nBins: nBins + 1,
        missingBin: nBins,
      })),
      {
        kind: 'categorical' as const,
        categories: ['a', 'b', 'c', 'd', 'e', 'f'],
        binOfCode: [0, 1, 2, 3, 4, 5],
        otherBin: -1,
        nBins: 7,
        missingBin: 6,
      },
    ],
  };
  return { data, mapper };
}

const bin = (data: BinnedMatrix, feature: number, row: number) => data.binned[feature * data.nRows + row];

function params(overrides: Partial<GrowerParams> = {}): GrowerParams {
  return { ...defaultSplitParams, numLeaves: 31, maxDepth: -1, learningRate: 1, ...overrides };
}

function allRows(n: number): Uint32Array {
  return Uint32Array.from({ length: n }, (_, i) => i);
}

function depthOf(tree: Tree, node = 0): number {
  if (tree.feature[node] < 0) return 0;
  return 1 + Math.max(depthOf(tree, tree.left[node]), depthOf(tree, tree.right[node]));
}

/** Gradients −1 when feature 1 is in bins 0..2, +1 otherwise, plus a small push from the category. */
function stepGradients(data: BinnedMatrix) {
  const grad = new Float32Array(data.nRows);
  const hess = new Float32Array(data.nRows).fill(1);
  for (let i = 0; i < data.nRows; i++) {
    grad[i] = bin(data, 1, i) <= 2 ? -1 : 1;
    const category = bin(data, 3, i);
    grad[i] += category === 1 || category === 4 ? 0.3 : -0.3;
  }
  return { grad, hess };
}

function checkLeaves(
  grown: GrownTree,
  data: BinnedMatrix,
  nRows: number,
  grad: Float32Array,
  lambda: number,
) {
  const { tree, binnedTree, leafNodes, leafBegin, leafEnd, rows } = grown;
  let covered = 0;
  leafNodes.forEach((leaf, l) => {
    expect(tree.feature[leaf]).toBe(-1);
    let g = 0;
    let h = 0;
    for (let i = leafBegin[l]; i < leafEnd[l]; i++) {
      expect(binnedLeafIndex(binnedTree!, data, rows[i])).toBe(leaf);
      g += grad[rows[i]];
      h += 1;
    }
    expect(tree.value[leaf]).toBeCloseTo(-g / (h + lambda), 9);
    expect(tree.cover[leaf]).toBeCloseTo(h, 9);
    covered += leafEnd[l] - leafBegin[l];
  });
  expect(covered).toBe(nRows);
  expect(new Set(rows.subarray(0, nRows)).size).toBe(nRows);
  for (let node = 0; node < tree.feature.length; node++) {
    if (tree.feature[node] < 0) continue;
    expect(tree.cover[node]).toBeCloseTo(tree.cover[tree.left[node]] + tree.cover[tree.right[node]], 6);
    expect(tree.gain[node]).toBeGreaterThan(0);
  }
}

describe('TreeGrower', () => {
  const { data, mapper } = binnedData(4000, 3, 8, 1);
  const { grad: stepGrad, hess } = stepGradients(data);
  // Noise on top, so there is something left to split on after the step and the categories.
  const noise = new Random(5);
  const grad = Float32Array.from(stepGrad, (g) => g + (noise.next() - 0.5));

  it('puts the first split where the gradient steps, with the threshold in raw space', () => {
    const grower = new TreeGrower(data, mapper, params({ numLeaves: 2 }));
    const { tree, leafNodes } = grower.grow(stepGrad, hess, allRows(4000));
    expect(tree.feature[0]).toBe(1);
    expect(tree.threshold[0]).toBe(30); // bins 0..2 hold x < 30
    expect(leafNodes.length).toBe(2);
    // Left rows have gradient −1.1 on average: leaf value 1.1 × n / (n + λ).
    expect(tree.value[tree.left[0]]).toBeCloseTo(1.1, 1);
    expect(tree.value[tree.right[0]]).toBeCloseTo(-0.9, 1);
  });

  it('grows up to numLeaves leaves whose rows partition the input and reach them', () => {
    // λ = 0: every split of noisy gradients gains a little (with λ > 0 splitting off noise costs λ).
    const grower = new TreeGrower(data, mapper, params({ numLeaves: 15, minDataInLeaf: 30, lambda: 0 }));
    const grown = grower.grow(grad, hess, allRows(4000));
    expect(grown.leafNodes.length).toBe(15);
    checkLeaves(grown, data, 4000, grad, 0);
    for (let l = 0; l < grown.leafNodes.length; l++) {
      expect(grown.leafEnd[l] - grown.leafBegin[l]).toBeGreaterThanOrEqual(30);
    }
  });

  it('splits the categorical feature by category set', () => {
    const grower = new TreeGrower(data, mapper, params({ numLeaves: 4 }));
    const { tree } = grower.grow(grad, hess, allRows(4000));
    const node = Array.from(tree.feature).indexOf(3);
    expect(node).toBeGreaterThanOrEqual(0);
    const bits = tree.catBits[tree.catStart[node]];
    // Categories b and e (codes 1, 4) on one side, the rest on the other.
    expect([0b10010, 0b101101]).toContain(bits);
  });

  it('respects maxDepth and a per-tree feature subset', () => {
    const grower = new TreeGrower(data, mapper, params({ numLeaves: 31, maxDepth: 2 }));
    const grown = grower.grow(grad, hess, allRows(4000), { features: [0, 2, 3] });
    expect(depthOf(grown.tree)).toBeLessThanOrEqual(2);
    expect(grown.leafNodes.length).toBeLessThanOrEqual(4);
    expect(Array.from(grown.tree.feature).filter((f) => f >= 0 && ![0, 2, 3].includes(f))).toEqual([]);
    checkLeaves(grown, data, 4000, grad, 1);
  });

  it('grows on a subset of rows only', () => {
    const rows = Uint32Array.from({ length: 1500 }, (_, i) => 2 * i + 1);
    const grower = new TreeGrower(data, mapper, params());
    const grown = grower.grow(grad, hess, rows);
    checkLeaves(grown, data, 1500, grad, 1);
    expect(Array.from(grown.rows.subarray(0, 1500)).every((row) => row % 2 === 1)).toBe(true);
  });

  it('grows on quantised gradients and refits leaf values and covers from the real ones', () => {
    const rows = allRows(4000);
    const quantized = quantizedBuffers(4000);
    quantizeGradients(stepGrad, hess, rows, new Random(8), quantized);
    const stump = new TreeGrower(data, mapper, params({ numLeaves: 2 })).grow(stepGrad, hess, rows, {
      quantized,
    }).tree;
    expect(stump.feature[0]).toBe(1);
    expect(stump.threshold[0]).toBe(30);
    quantizeGradients(grad, hess, rows, new Random(9), quantized);
    // Hessians all 1 quantise to the top level exactly: integer units are 1/HESS_LEVELS of real ones.
    expect(quantized.hess.every((h) => h === HESS_LEVELS)).toBe(true);
    const grower = new TreeGrower(data, mapper, params({ numLeaves: 15, minDataInLeaf: 30, lambda: 0 }));
    const grown = grower.grow(grad, hess, rows, { quantized });
    expect(grown.leafNodes.length).toBe(15);
    checkLeaves(grown, data, 4000, grad, 0);
  });

  it('builds the same tree with histogram subtraction as with every histogram rebuilt', () => {
    const noisy = grad;
    const grower = new TreeGrower(data, mapper, params({ minDataInLeaf: 10 }));
    const subtracted = grower.grow(noisy, hess, allRows(4000)).tree;
    // featuresPerNode = all features: every node builds its own histogram, no subtraction.
    const rebuilt = grower.grow(noisy, hess, allRows(4000), {
      featuresPerNode: 4,
      random: new Random(1),
    }).tree;
    expect(Array.from(rebuilt.feature)).toEqual(Array.from(subtracted.feature));
    expect(Array.from(rebuilt.threshold)).toEqual(Array.from(subtracted.threshold));
    for (let i = 0; i < rebuilt.value.length; i++)
      expect(rebuilt.value[i]).toBeCloseTo(subtracted.value[i], 9);
  });

  it('draws features per node from its random generator, reproducibly', () => {
    const grower = new TreeGrower(
      data,
      mapper,
      params({ numLeaves: Number.POSITIVE_INFINITY, minDataInLeaf: 5, lambda: 0 }),
    );
    const grow = (seed: number) =>
      grower.grow(grad, hess, allRows(4000), { featuresPerNode: 1, random: new Random(seed) }).tree;
    const a = grow(3);
    expect(Array.from(grow(3).feature)).toEqual(Array.from(a.feature));
    expect(Array.from(grow(4).feature)).not.toEqual(Array.from(a.feature));
    expect(new Set(Array.from(a.feature).filter((f) => f >= 0)).size).toBe(4);
  });

  it('leaves a single leaf when no split is allowed', () => {
    const grower = new TreeGrower(data, mapper, params({ minDataInLeaf: 2001 }));
    const { tree, leafNodes } = grower.grow(grad, hess, allRows(4000));
    expect(tree.feature.length).toBe(1);
    expect(Array.from(leafNodes)).toEqual([0]);
  });
});
