import { describe, expect, it } from 'vitest';
import { predictProbability } from './ensemble.js';
import { featuresPerNode, trainForest } from './forest.js';
import { takeRows } from './matrix.js';
import { rocAuc } from './metrics.js';
import { syntheticChurn } from './testing/synthetic.js';
import { leafIndex } from './tree.js';

const range = (begin: number, end: number) => Uint32Array.from({ length: end - begin }, (_, i) => begin + i);

describe('trainForest', () => {
  const { X, y } = syntheticChurn(20_000, 1);
  const train = range(0, 15_000);
  const test = range(15_000, 20_000);
  const testX = takeRows(X, test);
  const testY = Array.from(test, (row) => y[row]);

  it('learns the synthetic problem', () => {
    const forest = trainForest(X, y, { trainRows: train, trees: 100 });
    expect(forest.aggregate).toBe('mean');
    expect(forest.trees.length).toBe(100);
    // scikit-learn's RandomForestClassifier (100 trees, median imputation, one-hot categories) gets 0.871
    // on these rows; we get 0.880.
    expect(rocAuc(testY, predictProbability(forest, testX.columns, testX.nRows))).toBeGreaterThan(0.87);
  });

  it('sets leaf values to the (class-weighted) positive share of the leaf and cover to its weight', () => {
    const rows = range(0, 3000);
    for (const classWeight of [1, 3]) {
      const [tree] = trainForest(X, y, {
        trainRows: rows,
        trees: 1,
        bootstrap: false,
        maxDepth: 3,
        classWeight,
      }).trees;
      const positive = new Float64Array(tree.feature.length);
      const total = new Float64Array(tree.feature.length);
      for (const row of rows) {
        const leaf = leafIndex(tree, X.columns, row);
        const w = y[row] === 1 ? classWeight : 1;
        total[leaf] += w;
        positive[leaf] += w * y[row];
      }
      for (let node = 0; node < tree.feature.length; node++) {
        if (tree.feature[node] >= 0) continue;
        expect(tree.value[node]).toBeCloseTo(positive[node] / total[node], 6);
        expect(tree.cover[node]).toBeCloseTo(total[node], 3);
      }
    }
  });

  it('grows trees to purity by default and keeps minSamplesLeaf rows per leaf when asked', () => {
    const rows = range(0, 2000);
    const [pure] = trainForest(X, y, {
      trainRows: rows,
      trees: 1,
      bootstrap: false,
      maxFeatures: 'all',
    }).trees;
    const fitted = Array.from(rows, (row) => pure.value[leafIndex(pure, X.columns, row)]);
    expect(
      rocAuc(
        Array.from(rows, (row) => y[row]),
        fitted,
      ),
    ).toBeGreaterThan(0.99);

    const [coarse] = trainForest(X, y, {
      trainRows: rows,
      trees: 1,
      bootstrap: false,
      minSamplesLeaf: 25,
    }).trees;
    const perLeaf = new Map<number, number>();
    for (const row of rows) {
      const leaf = leafIndex(coarse, X.columns, row);
      perLeaf.set(leaf, (perLeaf.get(leaf) ?? 0) + 1);
    }
    expect(Math.min(...perLeaf.values())).toBeGreaterThanOrEqual(25);
  });

  it('gives the same forest for the same seed, another for another seed', () => {
    const options = { trainRows: range(0, 2000), trees: 5, seed: 4 };
    const a = trainForest(X, y, options);
    expect(trainForest(X, y, options)).toEqual(a);
    expect(trainForest(X, y, { ...options, seed: 5 })).not.toEqual(a);
    // Bootstrap samples make the trees differ from one another.
    expect(a.trees[1]).not.toEqual(a.trees[0]);
  });

  it("raises the probabilities with classWeight 'balanced' when positives are the minority", () => {
    const rows = range(0, 3000);
    const plain = trainForest(X, y, { trainRows: rows, trees: 10, maxDepth: 4 });
    const balanced = trainForest(X, y, { trainRows: rows, trees: 10, maxDepth: 4, classWeight: 'balanced' });
    const mean = (p: Float64Array) => p.reduce((a, b) => a + b, 0) / p.length;
    const meanPlain = mean(predictProbability(plain, testX.columns, testX.nRows));
    const meanBalanced = mean(predictProbability(balanced, testX.columns, testX.nRows));
    expect(meanPlain).toBeLessThan(0.35);
    expect(meanBalanced).toBeGreaterThan(meanPlain + 0.1);
  });

  it('reports progress after each tree', () => {
    const seen: string[] = [];
    trainForest(X, y, {
      trainRows: range(0, 500),
      trees: 3,
      onProgress: (done, total) => seen.push(`${done}/${total}`),
    });
    expect(seen).toEqual(['1/3', '2/3', '3/3']);
  });

  it('names the parameter and value it rejects', () => {
    const bad = (options: Parameters<typeof trainForest>[2]) => () => trainForest(X, y, options);
    expect(bad({ trees: 0 })).toThrow('trees=0 must be an integer >= 1');
    expect(bad({ maxFeatures: 0 })).toThrow('maxFeatures=0 must be a count >= 1, a share in (0, 1)');
    expect(bad({ maxFeatures: 2.5 })).toThrow('maxFeatures=2.5 must be');
    expect(bad({ minSamplesLeaf: 0 })).toThrow('minSamplesLeaf=0 must be an integer >= 1');
    expect(bad({ maxDepth: 0 })).toThrow('maxDepth=0 must be an integer >= 1 (or -1 for no limit)');
    expect(bad({ maxBins: 1 })).toThrow('maxBins=1 must be an integer in 2..255');
    expect(bad({ classWeight: -2 })).toThrow("classWeight=-2 must be a number > 0 or 'balanced'");
    expect(bad({ trainRows: [-1] })).toThrow('trainRows[0]=-1 is not a row index');
  });
});

describe('featuresPerNode', () => {
  it("follows scikit-learn's max_features rules", () => {
    expect(featuresPerNode('sqrt', 30)).toBe(5);
    expect(featuresPerNode('log2', 30)).toBe(4);
    expect(featuresPerNode('all', 30)).toBe(30);
    expect(featuresPerNode(0.5, 30)).toBe(15);
    expect(featuresPerNode(0.01, 30)).toBe(1);
    expect(featuresPerNode(7, 30)).toBe(7);
    expect(featuresPerNode(70, 30)).toBe(30);
  });
});
