import { describe, expect, it } from 'vitest';
import { ensemblePredictor, predictRaw, predictRawPlain, type TreeEnsemble } from './ensemble.js';
import { helpersReady, scoreParallel, worthSharing } from './predict-threads.js';
import { codeBuffer, compileEnsemble, scoreRows } from './predictor.js';
import { Random } from './random.js';
import { buildTree, leafIndex, type NodeSpec, type Tree } from './tree.js';

// Values that make every edge case likely: repeated values (so thresholds equal values), ±0, ±Infinity.
const NUMERIC_VALUES = [
  -2,
  -1,
  -0.5,
  -0,
  0,
  0.25,
  0.5,
  1,
  3,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
];
// Thresholds per numeric feature: all the values above, no infinities, positive ones only, few — so that some
// values fall below or above every threshold of their feature.
const THRESHOLDS = [
  NUMERIC_VALUES,
  NUMERIC_VALUES.filter(Number.isFinite),
  NUMERIC_VALUES.filter((v) => v > 0),
  [Number.NEGATIVE_INFINITY, -2, 0],
];
// Category codes as `goesLeft` reads them (`x | 0`): in range, past every bitset (68 and 100 land on the next
// node's words if not caught), negative, fractional, huge.
const CATEGORY_VALUES = [
  0,
  1,
  2,
  4,
  5,
  31,
  32,
  33,
  40,
  63,
  64,
  68,
  100,
  -1,
  2.7,
  1e10,
  Number.POSITIVE_INFINITY,
];
const N_FEATURES = 6;
/** Features 4 and 5 are categorical. */
const isCategorical = (f: number) => f >= 4;

function pick<T>(random: Random, values: readonly T[]): T {
  return values[random.nextInt(values.length)];
}

/** Columns with 10% missing values drawn from the values above. */
function randomColumns(random: Random, nRows: number): Float64Array[] {
  return Array.from({ length: N_FEATURES }, (_, f) =>
    Float64Array.from({ length: nRows }, () => {
      if (random.next() < 0.1) return Number.NaN;
      return isCategorical(f) ? pick(random, CATEGORY_VALUES) : pick(random, NUMERIC_VALUES);
    }),
  );
}

/** A random unbalanced tree of at most `maxLeaves` leaves, thresholds drawn from the data's values (or NaN). */
function randomTree(random: Random, maxLeaves: number): Tree {
  const nodes: NodeSpec[] = [{ feature: -1, value: 0, cover: 1 }];
  const leaves = [0];
  while (leaves.length < maxLeaves && random.next() < 0.95) {
    const at = leaves.splice(random.nextInt(leaves.length), 1)[0];
    const feature = random.nextInt(N_FEATURES);
    const left = nodes.length;
    nodes.push({ feature: -1, value: random.next() - 0.5, cover: 1 });
    nodes.push({ feature: -1, value: random.next() - 0.5, cover: 1 });
    leaves.push(left, left + 1);
    const split: NodeSpec = { feature, left, right: left + 1, missingLeft: random.next() < 0.5, cover: 1 };
    if (isCategorical(feature)) {
      // Feature 4's bitsets take one word, feature 5's up to three.
      const top = feature === 4 ? 20 : pick(random, [20, 50, 70]);
      split.leftCategories = Array.from({ length: top }, (_, code) => code).filter(() => random.next() < 0.5);
    } else {
      split.threshold = random.next() < 0.05 ? Number.NaN : pick(random, THRESHOLDS[feature]);
    }
    nodes[at] = split;
  }
  return buildTree(nodes);
}

function randomEnsemble(seed: number, nTrees: number, aggregate: 'sum' | 'mean'): TreeEnsemble {
  const random = new Random(seed);
  const trees = Array.from({ length: nTrees }, () => randomTree(random, 2 + random.nextInt(40)));
  return { trees, aggregate, baseMargin: aggregate === 'sum' ? random.next() - 0.5 : 0 };
}

/** The slow twin: each row walks each tree with `leafIndex`, adding in tree order, then the base margin. */
function twin(ensemble: TreeEnsemble, columns: Float64Array[], nRows: number): Float64Array {
  return Float64Array.from({ length: nRows }, (_, row) => {
    let sum = 0;
    for (const tree of ensemble.trees) sum += tree.value[leafIndex(tree, columns, row)];
    return ensemble.aggregate === 'sum' ? sum + ensemble.baseMargin : sum / (ensemble.trees.length || 1);
  });
}

/** Asserts bit-for-bit equality (Object.is: -0 and NaN count too), naming the first differing row. */
function expectSame(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  const bad = expected.findIndex((value, row) => !Object.is(actual[row], value));
  expect(bad, `row ${bad}: ${actual[bad]} vs ${expected[bad]}`).toBe(-1);
}

/** Raw outputs of the compiled kernel alone (no small-batch shortcut, no threads). */
function compiledRaw(ensemble: TreeEnsemble, columns: Float64Array[], nRows: number): Float64Array {
  const model = compileEnsemble(ensemble);
  expect(model).not.toBeNull();
  const out = new Float64Array(nRows);
  scoreRows(model!, columns, 0, nRows, out, codeBuffer(model!));
  for (let row = 0; row < nRows; row++) {
    if (ensemble.aggregate === 'sum') out[row] += ensemble.baseMargin;
    else out[row] /= ensemble.trees.length || 1;
  }
  return out;
}

describe('compiled predictor', () => {
  for (const aggregate of ['sum', 'mean'] as const) {
    it(`equals the plain walk bit for bit on random trees ('${aggregate}': NaN, categorical, ties, ±Infinity)`, () => {
      for (let seed = 1; seed <= 8; seed++) {
        const ensemble = randomEnsemble(seed, 30, aggregate);
        const nRows = 1000 + seed; // not a multiple of the eight rows walked together
        const columns = randomColumns(new Random(100 + seed), nRows);
        const expected = twin(ensemble, columns, nRows);
        expectSame(compiledRaw(ensemble, columns, nRows), expected);
        expectSame(predictRawPlain(ensemble, columns, nRows), expected);
        expectSame(predictRaw(ensemble, columns, nRows), expected);
      }
    });
  }

  it('scores small batches, single leaves and empty ensembles like the twin', () => {
    const columns = randomColumns(new Random(7), 300);
    const stump = buildTree([{ feature: -1, value: 0.75, cover: 1 }]);
    const cases: TreeEnsemble[] = [
      { trees: [stump, stump], aggregate: 'sum', baseMargin: 0.5 },
      { trees: [], aggregate: 'sum', baseMargin: -1 },
      { trees: [], aggregate: 'mean', baseMargin: 0 },
      randomEnsemble(9, 5, 'sum'),
    ];
    for (const ensemble of cases) {
      for (const nRows of [0, 1, 7, 9, 300]) {
        expectSame(compiledRaw(ensemble, columns, nRows), twin(ensemble, columns, nRows));
        expectSame(predictRaw(ensemble, columns, nRows), twin(ensemble, columns, nRows));
      }
    }
  });

  it('falls back to the plain walk when a feature has more thresholds than a code can rank', () => {
    const nodes: NodeSpec[] = [];
    const nSplits = 40_000;
    // A chain: split i (node 2i) sends values below i to its leaf (node 2i + 1), the rest on to split i + 1.
    for (let i = 0; i < nSplits; i++) {
      nodes.push({ feature: 0, threshold: i, left: 2 * i + 1, right: 2 * i + 2, cover: 1 });
      nodes.push({ feature: -1, value: i, cover: 1 });
    }
    nodes.push({ feature: -1, value: -1, cover: 1 });
    const tree = buildTree(nodes);
    const ensemble: TreeEnsemble = { trees: [tree], aggregate: 'sum', baseMargin: 0 };
    expect(compileEnsemble(ensemble)).toBeNull();
    const columns = [Float64Array.from({ length: 500 }, (_, i) => i * 97 - 3)];
    expectSame(predictRaw(ensemble, columns, 500), twin(ensemble, columns, 500));
  });

  it('rejects a bad thread count and too few columns, naming them', () => {
    const ensemble = randomEnsemble(3, 5, 'sum');
    const columns = randomColumns(new Random(3), 400);
    expect(() => predictRaw(ensemble, columns, 400, { threads: 0 })).toThrow(
      'threads=0 must be an integer >= 1',
    );
    expect(() => predictRaw(ensemble, columns.slice(0, 2), 400)).toThrow(
      /reads feature \d+ but the input has 2 columns/,
    );
  });
});

describe('scoring on two threads', () => {
  it('gives the same output as one thread, bit for bit, with the helper scoring part of the rows', async () => {
    expect(await helpersReady(1)).toBe(true);
    for (const aggregate of ['sum', 'mean'] as const) {
      const ensemble = randomEnsemble(aggregate === 'sum' ? 11 : 12, 60, aggregate);
      const nRows = 40_000 + 123;
      const columns = randomColumns(new Random(13), nRows);
      const expected = predictRawPlain(ensemble, columns, nRows);
      const model = compileEnsemble(ensemble)!;
      expect(worthSharing(model, nRows)).toBe(true);
      expectSame(predictRaw(ensemble, columns, nRows, { threads: 2 }), expected);

      const out = new Float64Array(nRows);
      const helperRows = scoreParallel(model, columns, nRows, 2, out);
      expect(helperRows).toBeGreaterThan(0);
      expect(helperRows).toBeLessThan(nRows);
      const predict = ensemblePredictor(ensemble);
      expectSame(predict(columns, nRows, { threads: 2 }), expected);
      expectSame(predict(columns, nRows, { threads: 1 }), expected);
    }
  });
});
