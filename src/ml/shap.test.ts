import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import type { TreeEnsemble } from './ensemble.js';
import { predictRaw } from './ensemble.js';
import { bruteForceShap, ensembleShap, treeExpectedValue, treeShapRow } from './shap.js';
import type { NodeSpec, Tree } from './tree.js';
import { buildTree } from './tree.js';
import { loadXgboostJson } from './xgboost-json.js';

const goldenPath = new URL('../../../shared/golden/treeshap.json', import.meta.url);

interface Golden {
  n_features: number;
  expected_value: number;
  X: (number | null)[][];
  margin: number[];
  shap_values: number[][];
  shap_values_bruteforce_f64: number[][];
  model: unknown;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, abs: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst).toBeLessThanOrEqual(abs);
}

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rows of a row-major (nRows × stride) array. */
function rowOf(values: Float64Array, row: number, stride: number): Float64Array {
  return values.subarray(row * stride, (row + 1) * stride);
}

describe('TreeSHAP on the golden XGBoost model', () => {
  const golden = JSON.parse(readFileSync(goldenPath, 'utf8')) as Golden;
  const p = golden.n_features;
  const nRows = golden.X.length;
  const columns = Array.from({ length: p }, (_, j) =>
    Float64Array.from(golden.X, (row) => row[j] ?? Number.NaN),
  );
  const { ensemble } = loadXgboostJson(golden.model);
  const shap = ensembleShap(ensemble, columns, nRows, p);

  it("matches XGBoost's pred_contribs within 1e-5 (XGBoost computes in float32)", () => {
    expectClose(shap, golden.shap_values.flat(), 1e-5);
    expect(shap[p]).toBeCloseTo(golden.expected_value, 5);
    expect(Math.abs(shap[p] - golden.expected_value)).toBeLessThanOrEqual(1e-5);
  });

  it('matches the float64 brute-force Shapley values within 1e-9', () => {
    expectClose(shap, golden.shap_values_bruteforce_f64.flat(), 1e-9);
  });

  it('has a brute-force twin that matches the golden brute force within 1e-9', () => {
    for (const row of [0, 5, 17, nRows - 1]) {
      expectClose(bruteForceShap(ensemble, columns, row, p), golden.shap_values_bruteforce_f64[row], 1e-9);
    }
  });

  it('sums every row to the margin (predictRaw) within 1e-12', () => {
    const raw = predictRaw(ensemble, columns, nRows);
    for (let row = 0; row < nRows; row++) {
      const sum = rowOf(shap, row, p + 1).reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - raw[row])).toBeLessThanOrEqual(1e-12);
    }
    expectClose(raw, golden.margin, 1e-5);
  });
});

/** A random tree over `nFeatures` features; feature `categorical` splits on category sets of codes 0..5. */
function randomTree(random: () => number, nFeatures: number, maxDepth: number, categorical: number): Tree {
  const specs: NodeSpec[] = [];
  const grow = (depth: number): number => {
    const id = specs.length;
    specs.push({ feature: -1, cover: 0 });
    if (depth > 0 && (depth === maxDepth || random() < 0.2)) {
      specs[id] = { feature: -1, value: random() * 2 - 1, cover: 0.5 + 4 * random() };
      return id;
    }
    const feature = Math.floor(random() * nFeatures);
    const left = grow(depth + 1);
    const right = grow(depth + 1);
    // Covers that do not add up exactly, as XGBoost's float32 sums do not.
    const cover = (specs[left].cover + specs[right].cover) * (1 + (random() - 0.5) * 1e-3);
    const spec: NodeSpec = { feature, left, right, missingLeft: random() < 0.5, cover, gain: random() };
    // A non-empty set: buildTree cannot take an empty one (see the report).
    if (feature === categorical)
      spec.leftCategories = [0, 1, 2, 3, 4].filter((code) => code === 0 || random() < 0.5);
    else spec.threshold = random() * 2 - 1;
    specs[id] = spec;
    return id;
  };
  grow(0);
  return buildTree(specs);
}

/** Columns of uniform(−1, 1) values, 20% NaN; column `categorical` holds codes 0..5 (5 unseen by the splits). */
function randomColumns(
  random: () => number,
  nFeatures: number,
  nRows: number,
  categorical: number,
): Float64Array[] {
  return Array.from({ length: nFeatures }, (_, j) =>
    Float64Array.from({ length: nRows }, () => {
      if (random() < 0.2) return Number.NaN;
      return j === categorical ? Math.floor(random() * 6) : random() * 2 - 1;
    }),
  );
}

describe('TreeSHAP against its brute-force twin on random trees', () => {
  const nFeatures = 6;
  const nRows = 25;
  const categorical = 2;

  for (const aggregate of ['sum', 'mean'] as const) {
    it(`agrees within 1e-12 and sums to predictRaw ('${aggregate}' ensembles, NaN and categorical splits)`, () => {
      const random = seeded(aggregate === 'sum' ? 7 : 8);
      for (let trial = 0; trial < 8; trial++) {
        const trees = Array.from({ length: 3 }, () => randomTree(random, nFeatures, 2 + trial, categorical));
        const ensemble: TreeEnsemble = { trees, aggregate, baseMargin: aggregate === 'sum' ? -0.7 : 0 };
        const columns = randomColumns(random, nFeatures, nRows, categorical);
        const shap = ensembleShap(ensemble, columns, nRows, nFeatures);
        const raw = predictRaw(ensemble, columns, nRows);
        for (let row = 0; row < nRows; row++) {
          const phi = rowOf(shap, row, nFeatures + 1);
          expectClose(phi, bruteForceShap(ensemble, columns, row, nFeatures), 1e-12);
          expect(Math.abs(phi.reduce((a, b) => a + b, 0) - raw[row])).toBeLessThanOrEqual(1e-12);
        }
      }
    });
  }

  it('gives a stump the whole difference from the expected value', () => {
    // x0 < 0.5 ? 1 : 3, covers 1 and 3 (root 4): E = (1·1 + 3·3)/4 = 2.5.
    const tree = buildTree([
      { feature: 0, threshold: 0.5, left: 1, right: 2, missingLeft: true, cover: 4 },
      { feature: -1, value: 1, cover: 1 },
      { feature: -1, value: 3, cover: 3 },
    ]);
    expect(treeExpectedValue(tree)).toBe(2.5);
    const columns = [Float64Array.of(0, 1, Number.NaN), Float64Array.of(9, 9, 9)];
    const phi = new Float64Array(2);
    for (const [row, expected] of [
      [0, -1.5],
      [1, 0.5],
      [2, -1.5],
    ]) {
      phi.fill(0);
      treeShapRow(tree, columns, row, phi);
      expect(Array.from(phi)).toEqual([expected, 0]);
    }
  });

  it('splits an interaction evenly and adds scale·φ without touching other slots', () => {
    // f = 1 iff x0 < 0 and x1 < 0, even covers: E = 1/4; at (−1, −1) φ0 = φ1 = 3/8.
    const tree = buildTree([
      { feature: 0, threshold: 0, left: 1, right: 2, cover: 4 },
      { feature: 1, threshold: 0, left: 3, right: 4, cover: 2 },
      { feature: -1, value: 0, cover: 2 },
      { feature: -1, value: 1, cover: 1 },
      { feature: -1, value: 0, cover: 1 },
    ]);
    const phi = Float64Array.of(10, 20, 30);
    treeShapRow(tree, [Float64Array.of(-1), Float64Array.of(-1)], 0, phi, 2);
    expect(Array.from(phi)).toEqual([10.75, 20.75, 30]);
  });

  it('handles a single-leaf tree and an empty ensemble', () => {
    const leaf = buildTree([{ feature: -1, value: 0.25, cover: 3 }]);
    const columns = [Float64Array.of(1, 2)];
    expect(
      Array.from(ensembleShap({ trees: [leaf], aggregate: 'sum', baseMargin: 1 }, columns, 2, 1)),
    ).toEqual([0, 1.25, 0, 1.25]);
    expect(Array.from(ensembleShap({ trees: [], aggregate: 'mean', baseMargin: 0 }, columns, 2, 1))).toEqual([
      0, 0, 0, 0,
    ]);
  });

  it('rejects shapes that do not fit the trees', () => {
    const tree = randomTree(seeded(3), 4, 3, -1);
    const ensemble: TreeEnsemble = { trees: [tree], aggregate: 'sum', baseMargin: 0 };
    const columns = randomColumns(seeded(4), 4, 5, -1);
    expect(() => ensembleShap(ensemble, columns, 5, 1)).toThrow(InputError);
    expect(() => ensembleShap(ensemble, columns, 6, 4)).toThrow(/column \d has 5 rows, expected 6/);
    expect(() => treeShapRow(tree, columns, 0, new Float64Array(1))).toThrow(InputError);
    expect(() => bruteForceShap(ensemble, columns, 0, 17)).toThrow(/must be <= 16/);
  });
});
