import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import type { TreeEnsemble } from './ensemble.js';
import { gainImportance, meanAbsShap, rankImportance } from './importance.js';
import { ensembleShap } from './shap.js';
import { buildTree } from './tree.js';

// Two trees over 3 features: feature 0 split twice (gains 4 and 1), feature 2 once (gain 5), feature 1 never.
const ensemble: TreeEnsemble = {
  aggregate: 'sum',
  baseMargin: 0,
  trees: [
    buildTree([
      { feature: 0, threshold: 0, left: 1, right: 2, cover: 4, gain: 4 },
      { feature: -1, value: -1, cover: 2 },
      { feature: 2, threshold: 0, left: 3, right: 4, cover: 2, gain: 5 },
      { feature: -1, value: 0.5, cover: 1 },
      { feature: -1, value: 2, cover: 1 },
    ]),
    buildTree([
      { feature: 0, threshold: 1, left: 1, right: 2, cover: 4, gain: 1 },
      { feature: -1, value: 0.1, cover: 3 },
      { feature: -1, value: -0.3, cover: 1 },
    ]),
  ],
};

describe('gainImportance', () => {
  it('totals the split gain per feature, with shares and split counts', () => {
    const { total, share, splits } = gainImportance(ensemble, 3);
    expect(Array.from(total)).toEqual([5, 0, 5]);
    expect(Array.from(share)).toEqual([0.5, 0, 0.5]);
    expect(Array.from(splits)).toEqual([2, 0, 1]);
  });

  it('gives zero shares when no split has gain, and rejects a too small nFeatures', () => {
    const stump = buildTree([{ feature: -1, value: 1, cover: 1 }]);
    const { share } = gainImportance({ trees: [stump], aggregate: 'mean', baseMargin: 0 }, 2);
    expect(Array.from(share)).toEqual([0, 0]);
    expect(() => gainImportance(ensemble, 2)).toThrow(InputError);
  });
});

describe('meanAbsShap', () => {
  it('averages |φ| per feature, ignoring the bias column', () => {
    const shap = Float64Array.of(1, -2, 0, 9, -3, 4, 1, 9);
    expect(Array.from(meanAbsShap(shap, 2, 3))).toEqual([2, 3, 0.5]);
    expect(() => meanAbsShap(shap, 3, 3)).toThrow(/expected nRows × \(nFeatures \+ 1\) = 12/);
  });

  it('ranks a feature the trees never use last', () => {
    const columns = [
      Float64Array.of(-1, 0.5, 2),
      Float64Array.of(0, 0, 0),
      Float64Array.of(-1, 1, Number.NaN),
    ];
    const values = meanAbsShap(ensembleShap(ensemble, columns, 3, 3), 3, 3);
    expect(values[1]).toBe(0);
    expect(rankImportance(['a', 'b', 'c'], values).at(-1)).toEqual({ name: 'b', value: 0 });
  });
});

describe('rankImportance', () => {
  it('sorts descending, keeps input order on ties, puts NaN last and cuts at top', () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const values = [0.1, Number.NaN, 0.7, 0.1, -1];
    expect(rankImportance(names, values)).toEqual([
      { name: 'c', value: 0.7 },
      { name: 'a', value: 0.1 },
      { name: 'd', value: 0.1 },
      { name: 'e', value: -1 },
      { name: 'b', value: Number.NaN },
    ]);
    expect(rankImportance(names, Float64Array.from(values), 2).map((r) => r.name)).toEqual(['c', 'a']);
    expect(rankImportance(names, values, 0)).toEqual([]);
  });

  it('rejects mismatched lengths and a bad top', () => {
    expect(() => rankImportance(['a'], [1, 2])).toThrow('1 names but 2 values');
    expect(() => rankImportance(['a'], [1], -1)).toThrow('top=-1 must be an integer >= 0');
  });
});
