import { describe, expect, it } from 'vitest';
import { predictProbability, predictRaw, sigmoid, type TreeEnsemble } from './ensemble.js';
import { buildTree, leafIndex } from './tree.js';

// A numeric root, a categorical split on the left, a numeric split with missing values going left.
const tree = buildTree([
  { feature: 0, threshold: 0.5, left: 1, right: 2, missingLeft: false, cover: 10 },
  { feature: 1, leftCategories: [0, 2, 33], left: 3, right: 4, missingLeft: true, cover: 6 },
  { feature: 2, threshold: -1, left: 5, right: 6, missingLeft: true, cover: 4 },
  { feature: -1, value: 0.1, cover: 3 },
  { feature: -1, value: -0.2, cover: 3 },
  { feature: -1, value: 0.3, cover: 2 },
  { feature: -1, value: -0.4, cover: 2 },
]);

const columns = [
  Float64Array.from([0, 0.4, 0.5, Number.NaN, 1, 2, 0.1, 0.2, -3]),
  Float64Array.from([0, 1, 2, 33, Number.NaN, 0, 5, 34, 2]),
  Float64Array.from([0, 0, 0, 0, Number.NaN, -5, 0, 0, -1]),
];

describe('predictRaw', () => {
  it('equals the plain tree walk, for numeric, categorical and missing values', () => {
    const ensemble: TreeEnsemble = { trees: [tree, tree], aggregate: 'sum', baseMargin: 0.25 };
    const fast = predictRaw(ensemble, columns, 9);
    for (let row = 0; row < 9; row++) {
      expect(fast[row]).toBe(0.25 + 2 * tree.value[leafIndex(tree, columns, row)]);
    }
    const probability = predictProbability(ensemble, columns, 9);
    for (let row = 0; row < 9; row++) expect(probability[row]).toBe(sigmoid(fast[row]));
  });

  it('averages a forest', () => {
    const forest: TreeEnsemble = { trees: [tree, tree, tree], aggregate: 'mean', baseMargin: 0 };
    const raw = predictRaw(forest, columns, 9);
    for (let row = 0; row < 9; row++)
      expect(raw[row]).toBeCloseTo(tree.value[leafIndex(tree, columns, row)], 15);
  });
});
