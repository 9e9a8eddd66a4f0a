import { describe, expect, it } from 'vitest';
import {
  applyBins,
  type CategoricalBins,
  fitBins,
  midpoint,
  type NumericBins,
  numericBin,
} from './binning.js';
import { logLossGradients } from './gbdt.js';
import { binnedLeafIndex, TreeGrower } from './grower.js';
import type { FeatureMatrix } from './matrix.js';
import { takeRows } from './matrix.js';
import { Random } from './random.js';
import { defaultSplitParams } from './split-finder.js';
import { uniform } from './testing/expect-close.js';
import { syntheticChurn } from './testing/synthetic.js';
import { leafIndex } from './tree.js';

function numericMatrix(...columns: number[][]): FeatureMatrix {
  return {
    nRows: columns[0].length,
    names: columns.map((_, j) => `f${j}`),
    kinds: columns.map(() => 'numeric'),
    categories: columns.map(() => []),
    columns: columns.map((c) => Float64Array.from(c)),
  };
}

function categoricalMatrix(codes: number[], categories: string[]): FeatureMatrix {
  return {
    nRows: codes.length,
    names: ['plan'],
    kinds: ['categorical'],
    categories: [categories],
    columns: [Float64Array.from(codes)],
  };
}

describe('fitBins, numeric', () => {
  it('gives one bin per distinct value with midpoint edges, and a last bin for missing values', () => {
    const X = numericMatrix([3, 1, 2, Number.NaN, 2, 1, 10]);
    const bins = fitBins(X).features[0] as NumericBins;
    expect(bins.edges).toEqual([1.5, 2.5, 6.5]);
    expect(bins.nBins).toBe(5);
    expect(bins.missingBin).toBe(4);
    const { binned, nBins, missingBin } = applyBins(fitBins(X), X);
    expect(Array.from(binned)).toEqual([2, 0, 1, 4, 1, 0, 3]);
    expect(nBins[0]).toBe(5);
    expect(missingBin[0]).toBe(4);
  });

  it('keeps a missing bin and one value bin for an all-missing or constant feature', () => {
    const X = numericMatrix([Number.NaN, Number.NaN], [5, 5]);
    const mapper = fitBins(X);
    expect(mapper.features.map((f) => f.nBins)).toEqual([2, 2]);
    expect(Array.from(applyBins(mapper, X).binned)).toEqual([1, 1, 0, 0]);
  });

  it('cuts many distinct values into at most maxBins bins of similar size', () => {
    const random = new Random(1);
    const values = Array.from({ length: 20_000 }, () => random.next() * 100);
    const X = numericMatrix(values);
    const mapper = fitBins(X, undefined, { maxBins: 64 });
    const bins = mapper.features[0] as NumericBins;
    expect(bins.nBins).toBeLessThanOrEqual(65);
    expect(bins.nBins).toBeGreaterThan(60);
    const counts = new Float64Array(bins.nBins);
    for (const b of applyBins(mapper, X).binned) counts[b]++;
    const expected = 20_000 / (bins.nBins - 1);
    for (let b = 0; b < bins.nBins - 1; b++) {
      expect(counts[b]).toBeGreaterThan(0.5 * expected);
      expect(counts[b]).toBeLessThan(1.5 * expected);
    }
  });

  it('gives a heavy value a bin of its own', () => {
    const random = new Random(2);
    const values = Array.from({ length: 10_000 }, (_, i) => (i % 2 === 0 ? 0 : random.next()));
    const X = numericMatrix(values);
    const mapper = fitBins(X, undefined, { maxBins: 16 });
    const binned = applyBins(mapper, X).binned;
    const zeroBin = binned[0];
    for (let i = 0; i < values.length; i++) expect(binned[i] === zeroBin).toBe(values[i] === 0);
  });

  it('places edges from a sample when there are more rows than sampleSize', () => {
    const random = new Random(3);
    const X = numericMatrix(Array.from({ length: 5000 }, () => random.next()));
    const a = fitBins(X, undefined, { sampleSize: 1000, seed: 1 });
    const b = fitBins(X, undefined, { sampleSize: 1000, seed: 1 });
    const c = fitBins(X, undefined, { sampleSize: 1000, seed: 2 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.features[0].nBins).toBe(256);
  });

  it('agrees with the tree test: bin <= b exactly when x < edges[b], for values seen or not', () => {
    const random = new Random(4);
    const X = numericMatrix(Array.from({ length: 3000 }, () => Math.round(random.next() * 500) / 10));
    const { edges } = fitBins(X).features[0] as NumericBins;
    let disagreements = 0;
    for (let t = 0; t < 2000; t++) {
      const x = t < 500 ? X.columns[0][t] : (random.next() - 0.05) * 60;
      const bin = numericBin(edges, x);
      for (let b = 0; b < edges.length; b++) if (bin <= b !== x < edges[b]) disagreements++;
    }
    expect(disagreements).toBe(0);
  });

  it('separates neighbouring doubles with the midpoint', () => {
    const next = 1 + Number.EPSILON;
    expect(midpoint(1, next)).toBe(next);
    expect(midpoint(1, 3)).toBe(2);
    expect(midpoint(-Number.MAX_VALUE, Number.MAX_VALUE)).toBe(0);
  });
});

describe('fitBins, categorical', () => {
  const categories = ['a', 'b', 'c', 'd', 'e'];
  // a: 30 rows, b: 20, c: 3 (rare), d: never seen, e: 15; 2 missing.
  const codes = [
    ...Array(30).fill(0),
    ...Array(20).fill(1),
    ...Array(3).fill(2),
    ...Array(15).fill(4),
    Number.NaN,
    Number.NaN,
  ];

  it('keeps frequent categories, merges rare and unseen ones, and puts missing last', () => {
    const X = categoricalMatrix(codes, categories);
    const bins = fitBins(X).features[0] as CategoricalBins;
    expect(bins.binOfCode).toEqual([0, 1, 3, 3, 2]);
    expect(bins.otherBin).toBe(3);
    expect(bins.nBins).toBe(5);
    expect(bins.missingBin).toBe(4);
    expect(bins.categories).toEqual(categories);
    const binned = applyBins(
      fitBins(X),
      categoricalMatrix([0, 2, 3, 4, Number.NaN, 7, -1], categories),
    ).binned;
    expect(Array.from(binned)).toEqual([0, 3, 3, 2, 4, 4, 4]);
  });

  it('keeps the most frequent categories when there are more than maxBins', () => {
    const X = categoricalMatrix(codes, categories);
    const bins = fitBins(X, undefined, { maxBins: 3, minCategoryCount: 1 }).features[0] as CategoricalBins;
    // a and b kept, c, d and e merged.
    expect(bins.binOfCode).toEqual([0, 1, 2, 2, 2]);
    expect(bins.nBins).toBe(4);
  });

  it('gives every category a bin, and no other bin, when all are frequent enough', () => {
    const X = categoricalMatrix([0, 1, 1, 2], ['x', 'y', 'z']);
    const bins = fitBins(X, undefined, { minCategoryCount: 1 }).features[0] as CategoricalBins;
    expect(bins.binOfCode).toEqual([0, 1, 2]);
    expect(bins.otherBin).toBe(-1);
    expect(bins.nBins).toBe(4);
  });
});

describe('applyBins', () => {
  it('bins a subset of rows as if the matrix held only those rows', () => {
    const { X } = syntheticChurn(500, 5);
    const mapper = fitBins(X);
    const rows = [7, 3, 499, 0, 250];
    expect(applyBins(mapper, X, rows)).toEqual(applyBins(mapper, takeRows(X, rows)));
  });

  it('rejects a matrix that does not match the bins', () => {
    const X = numericMatrix([1, 2, 3]);
    const mapper = fitBins(X);
    expect(() => applyBins(mapper, numericMatrix([1], [2]))).toThrow('the matrix has 2 features');
    expect(() => applyBins(mapper, categoricalMatrix([0], ['a']))).toThrow('but was binned as numeric');
  });

  it('names the option and value of a bad setting', () => {
    const X = numericMatrix([1, 2, 3]);
    expect(() => fitBins(X, undefined, { maxBins: 1 })).toThrow('maxBins=1 must be an integer in 2..255');
    expect(() => fitBins(X, undefined, { maxBins: 300 })).toThrow('maxBins=300 must be an integer in 2..255');
    expect(() => fitBins(X, [0, 5])).toThrow('row index 5 is outside 0..2');
  });
});

describe('bins and raw thresholds route alike', () => {
  it('sends every training row to the same leaf with raw values and with bins', () => {
    const { X, y } = syntheticChurn(4000, 6);
    const mapper = fitBins(X, undefined, { maxBins: 32 });
    const data = applyBins(mapper, X);
    const margin = new Float64Array(X.nRows);
    const label = Uint8Array.from(y);
    const grad = new Float32Array(X.nRows);
    const hess = new Float32Array(X.nRows);
    // Random margins give varied gradients, so the trees split on many features and categories.
    const random = new Random(8);
    for (let i = 0; i < X.nRows; i++) margin[i] = random.next() * 2 - 1;
    logLossGradients(margin, label, new Float64Array(X.nRows).fill(1), grad, hess);
    const grower = new TreeGrower(data, mapper, {
      ...defaultSplitParams,
      minDataInLeaf: 5,
      numLeaves: 63,
      maxDepth: -1,
      learningRate: 1,
    });
    const rows = Uint32Array.from({ length: X.nRows }, (_, i) => i);
    let categoricalSplits = 0;
    let missingLeft = 0;
    for (let t = 0; t < 3; t++) {
      const { tree, binnedTree } = grower.grow(grad, hess, rows);
      categoricalSplits += tree.catStart.filter((s) => s >= 0).length;
      missingLeft += tree.missingLeft.reduce((a, b) => a + b, 0);
      let same = 0;
      for (let row = 0; row < X.nRows; row++) {
        if (leafIndex(tree, X.columns, row) === binnedLeafIndex(binnedTree!, data, row)) same++;
      }
      expect(same).toBe(X.nRows);
      for (let i = 0; i < X.nRows; i++) margin[i] += tree.value[leafIndex(tree, X.columns, i)];
      logLossGradients(margin, label, new Float64Array(X.nRows).fill(1), grad, hess);
    }
    expect(categoricalSplits).toBeGreaterThan(0);
    expect(missingLeft).toBeGreaterThan(0);
  });
});

describe('applyBins on numeric columns', () => {
  it('puts every value in the bin the plain binary search gives, whatever the distribution', () => {
    const next = uniform(11);
    const shapes: ((i: number) => number)[] = [
      () => next(),
      () => Math.exp(20 * next()) * (next() < 0.5 ? -1 : 1),
      (i) => i % 7,
      () =>
        next() < 0.01 ? Number.POSITIVE_INFINITY : next() < 0.01 ? Number.NEGATIVE_INFINITY : next() * 1e-300,
      () => 5,
    ];
    for (const shape of shapes) {
      const column = Float64Array.from({ length: 5000 }, (_, i) => (i % 13 === 0 ? Number.NaN : shape(i)));
      const X: FeatureMatrix = {
        nRows: 5000,
        names: ['x'],
        kinds: ['numeric'],
        categories: [[]],
        columns: [column],
      };
      const mapper = fitBins(X, undefined, { sampleSize: 1000 });
      const bins = mapper.features[0];
      if (bins.kind !== 'numeric') throw new Error('expected numeric bins');
      const { binned } = applyBins(mapper, X);
      for (let i = 0; i < 5000; i++) {
        const x = column[i];
        expect(binned[i]).toBe(Number.isNaN(x) ? bins.missingBin : numericBin(bins.edges, x));
      }
    }
  });
});
