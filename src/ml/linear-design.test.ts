import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { applyDesign, fitDesign, frequentLevels, selectKth } from './linear-design.js';
import type { FeatureMatrix } from './matrix.js';
import { expectAllClose, expectClose } from './testing/expect-close.js';
import { numericMatrix } from './testing/matrices.js';

const goldenPath = new URL('../../../shared/golden/logistic.json', import.meta.url);
const golden = JSON.parse(readFileSync(goldenPath, 'utf8')) as {
  X: number[][];
  standardization: { mean: number[]; std: number[] };
};

/** One categorical feature `f` holding `labels` (null = missing), coded in the order of `dictionary`. */
function categoricalMatrix(labels: (string | null)[], dictionary: string[]): FeatureMatrix {
  return {
    nRows: labels.length,
    names: ['f'],
    kinds: ['categorical'],
    categories: [dictionary],
    columns: [
      Float64Array.from(labels, (label) => (label === null ? Number.NaN : dictionary.indexOf(label))),
    ],
  };
}

/** Undoes the standardisation of design row i: the raw one-hot (or imputed) values. */
function rawRow(design: ReturnType<typeof fitDesign>, values: Float64Array, i: number): number[] {
  const d = design.columnNames.length;
  return design.mean.map((mean, k) => Math.round((values[i * d + k] * design.std[k] + mean) * 1e12) / 1e12);
}

describe('fitDesign on numeric features', () => {
  it("matches StandardScaler's mean and std on the golden X (1e-12 relative)", () => {
    const design = fitDesign(numericMatrix(golden.X));
    expectAllClose(design.mean, golden.standardization.mean, 1e-12);
    expectAllClose(design.std, golden.standardization.std, 1e-12);
    expect(design.columnNames).toEqual(['x0', 'x1', 'x2', 'x3', 'x4', 'x5']);
  });

  it('imputes missing values with the median of the present training values', () => {
    const X = numericMatrix([[5], [Number.NaN], [1], [4], [100], [2]]);
    // Present: 5, 1, 4, 100, 2 → median 4; with row 4 (100) left out: 5, 1, 4, 2 → (2 + 4) / 2 = 3.
    const all = fitDesign(X);
    expect(all.blocks[0]).toMatchObject({ kind: 'numeric', median: 4 });
    const some = fitDesign(X, [0, 1, 2, 3, 5]);
    expect(some.blocks[0]).toMatchObject({ median: 3 });
    // Moments are of the imputed column: 5, 3, 1, 4, 2.
    expect(some.mean[0]).toBe(3);
    expectClose(some.std[0], Math.sqrt(2), 1e-15);
    const { values } = applyDesign(some, X);
    expect(values[1]).toBe(0);
    expectClose(values[4], 97 / Math.sqrt(2), 1e-15);
  });

  it('scales a constant column by 1, as StandardScaler does', () => {
    const design = fitDesign(numericMatrix([[0.1], [0.1], [0.1]]));
    // The mean, 0.10000000000000002, leaves a variance of ~1e-34 that the constant-feature bound catches.
    expect(design.std[0]).toBe(1);
    const { values } = applyDesign(design, numericMatrix([[0.1], [1.1]]));
    expect(Math.abs(values[0])).toBeLessThan(1e-16);
    expectClose(values[1], 1, 1e-15);
  });

  it('imputes 0 for a column with no present training value', () => {
    const design = fitDesign(numericMatrix([[Number.NaN], [Number.NaN]]));
    expect(design.blocks[0]).toMatchObject({ median: 0 });
    expect(design.std[0]).toBe(1);
  });
});

describe('selectKth', () => {
  it('agrees with sorting (its slow twin), ties included', () => {
    let state = 7;
    const random = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    for (const length of [1, 2, 3, 10, 101, 1000]) {
      const values = Float64Array.from({ length }, () => Math.floor(random() * 20) - 5);
      const sorted = Float64Array.from(values).sort();
      for (const k of [0, length >> 1, length - 1]) {
        const copy = Float64Array.from(values);
        expect(selectKth(copy, length, k)).toBe(sorted[k]);
        for (let i = 0; i < k; i++) expect(copy[i]).toBeLessThanOrEqual(copy[k]);
        for (let i = k + 1; i < length; i++) expect(copy[i]).toBeGreaterThanOrEqual(copy[k]);
      }
    }
  });
});

describe('fitDesign on categorical features', () => {
  // The example scikit-learn 1.2.1 was run on: OneHotEncoder(handle_unknown='infrequent_if_exist',
  // max_categories=3) on [b, a, c, c, __missing__, Z, a, d] gives columns f_a, f_c, f_infrequent_sklearn
  // and maps [zz, a, b] to [[0,0,1], [1,0,0], [0,0,1]]; with max_categories=50 it gives
  // f_Z, f___missing__, f_a, f_b, f_c, f_d and maps zz to all zeros.
  const dictionary = ['d', 'c', 'b', 'a', 'Z', 'zz'];
  const train = categoricalMatrix(['b', 'a', 'c', 'c', null, 'Z', 'a', 'd'], dictionary);
  const query = categoricalMatrix(['zz', 'a', 'b', null], dictionary);

  it('sorts levels like the reference, missing sorting as __missing__', () => {
    const design = fitDesign(train);
    expect(design.columnNames).toEqual(['f=Z', 'f=<missing>', 'f=a', 'f=b', 'f=c', 'f=d']);
    expect(design.columnFeature).toEqual([0, 0, 0, 0, 0, 0]);
    expect(design.mean).toEqual([1 / 8, 1 / 8, 2 / 8, 1 / 8, 2 / 8, 1 / 8]);
    expectClose(design.std[2], Math.sqrt((2 / 8) * (6 / 8)), 1e-15);
    const { values, nCols } = applyDesign(design, query);
    expect(nCols).toBe(6);
    expect(rawRow(design, values, 0)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(rawRow(design, values, 1)).toEqual([0, 0, 1, 0, 0, 0]);
    expect(rawRow(design, values, 3)).toEqual([0, 1, 0, 0, 0, 0]);
  });

  it('merges the rarest levels into an infrequent column that also takes unseen ones', () => {
    const design = fitDesign(train, undefined, { maxCategories: 3 });
    expect(design.columnNames).toEqual(['f=a', 'f=c', 'f=<infrequent>']);
    expect(design.blocks[0]).toMatchObject({ levels: ['a', 'c'], infrequent: ['Z', null, 'b', 'd'] });
    const { values } = applyDesign(design, query);
    expect([0, 1, 2, 3].map((i) => rawRow(design, values, i))).toEqual([
      [0, 0, 1],
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 1],
    ]);
  });

  it('breaks count ties toward keeping the level that sorts last', () => {
    expect(frequentLevels([1, 1, 2, 1, 2, 1], 3)).toEqual([false, false, true, false, true, false]);
    expect(frequentLevels([3, 1, 1], 3)).toEqual([true, false, true]);
    expect(frequentLevels([3, 1], 3)).toEqual([true, true]);
  });

  it('has no missing column when training rows have no missing value; missing is then unseen', () => {
    const design = fitDesign(train, [0, 1, 2]);
    expect(design.columnNames).toEqual(['f=a', 'f=b', 'f=c']);
    const { values } = applyDesign(design, query);
    expect(rawRow(design, values, 3)).toEqual([0, 0, 0]);
    expect(values[9]).toBe(-design.mean[0] / design.std[0]);
  });

  it('matches levels by label, so another code numbering gives the same rows', () => {
    const design = JSON.parse(JSON.stringify(fitDesign(train)));
    const recoded = categoricalMatrix(['zz', 'a', 'b', null], ['a', 'zz', 'b']);
    expect(applyDesign(design, recoded).values).toEqual(applyDesign(design, query).values);
  });

  it('puts numeric columns first, then one-hot blocks, each naming its source feature', () => {
    const X: FeatureMatrix = {
      nRows: 3,
      names: ['Contract', 'tenure'],
      kinds: ['categorical', 'numeric'],
      categories: [['Month-to-month', 'Two year'], []],
      columns: [Float64Array.of(0, 1, 0), Float64Array.of(1, 2, 3)],
    };
    const design = fitDesign(X);
    expect(design.columnNames).toEqual(['tenure', 'Contract=Month-to-month', 'Contract=Two year']);
    expect(design.columnFeature).toEqual([1, 0, 0]);
    const { values } = applyDesign(design, X, [2]);
    expect(rawRow(design, values, 0)).toEqual([3, 1, 0]);
  });
});

describe('validation', () => {
  const X = categoricalMatrix(['a', 'b'], ['a', 'b']);

  it('names the parameter and its value', () => {
    expect(() => fitDesign(X, undefined, { maxCategories: 1 })).toThrow(
      'maxCategories=1 must be an integer >= 2',
    );
    expect(() => fitDesign(X, [0, 2])).toThrow('rows[1]=2 is not a row index in [0, 2)');
    expect(() => fitDesign(X, [])).toThrow(InputError);
  });

  it('says where a bad value is', () => {
    const bad = categoricalMatrix(['a', 'b'], ['a', 'b']);
    bad.columns[0][1] = 7;
    expect(() => fitDesign(bad)).toThrow(expect.objectContaining({ where: { column: 'f', row: 2 } }));
    const infinite = numericMatrix([[1], [Number.POSITIVE_INFINITY]]);
    expect(() => fitDesign(infinite)).toThrow('value Infinity is not finite');
  });

  it('rejects a matrix without a feature of the design, or with another kind', () => {
    const design = fitDesign(X);
    expect(() => applyDesign(design, numericMatrix([[1]]))).toThrow('feature "f" of the model is missing');
    const numeric = { ...numericMatrix([[1]]), names: ['f'] };
    expect(() => applyDesign(design, numeric)).toThrow(
      'feature "f" is numeric, the model expects categorical',
    );
  });
});
