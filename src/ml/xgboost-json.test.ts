import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { predictProbability, predictRaw } from './ensemble.js';
import { leafIndex } from './tree.js';
import { float64Threshold, isXgboostModel, loadXgboostJson, parseXgboostJson } from './xgboost-json.js';

const goldenPath = new URL('../../../shared/golden/treeshap.json', import.meta.url);

interface Golden {
  n_features: number;
  base_margin: number;
  X: (number | null)[][];
  margin: number[];
  prob: number[];
  leaf_index: number[][];
  model: unknown;
}

const golden = JSON.parse(readFileSync(goldenPath, 'utf8')) as Golden;
const nRows = golden.X.length;
const columns = Array.from({ length: golden.n_features }, (_, j) =>
  Float64Array.from(golden.X, (row) => row[j] ?? Number.NaN),
);

/** |a − b| <= abs (the golden README's tolerance rule with rel = 0). */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, abs: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst).toBeLessThanOrEqual(abs);
}

/** The parts of XGBoost's JSON the tests touch. */
interface JsonTree {
  [key: string]: unknown;
  left_children: number[];
  right_children: number[];
  split_indices: number[];
  split_conditions: number[];
  sum_hessian: unknown[];
  split_type: number[];
  tree_param: Record<string, unknown>;
}
interface ModelDoc {
  learner: {
    [key: string]: unknown;
    objective: { name: string };
    gradient_booster: { name: string; model: { trees: JsonTree[] } };
    learner_model_param: Record<string, unknown>;
    feature_names: string[];
  };
}

/** A deep copy of the golden model to corrupt. */
function goldenModel(): ModelDoc {
  return structuredClone(golden.model) as ModelDoc;
}

/** Tree `t` of a model document. */
function treeOf(json: ModelDoc, t: number): JsonTree {
  return json.learner.gradient_booster.model.trees[t];
}

function inputErrorOf(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('loadXgboostJson on the golden XGBoost 1.7.4 model', () => {
  const model = loadXgboostJson(golden.model);

  it('reads the learner parameters', () => {
    expect(model.nFeatures).toBe(8);
    expect(model.objective).toBe('binary:logistic');
    expect(model.bestIteration).toBe(11);
    expect(model.featureNames).toBeUndefined();
    expect(model.ensemble.aggregate).toBe('sum');
    expect(model.ensemble.baseMargin).toBe(golden.base_margin);
    expect(model.ensemble.trees.length).toBe(12);
  });

  it('reaches the same leaf as XGBoost in every tree (exact)', () => {
    for (let row = 0; row < nRows; row++) {
      const leaves = model.ensemble.trees.map((tree) => leafIndex(tree, columns, row));
      expect(leaves).toEqual(golden.leaf_index[row]);
    }
  });

  it('gives XGBoost margins within 1e-5 and probabilities within 1e-6', () => {
    expectClose(predictRaw(model.ensemble, columns, nRows), golden.margin, 1e-5);
    expectClose(predictProbability(model.ensemble, columns, nRows), golden.prob, 1e-6);
  });

  it('holds leaf values, covers and gains as float32', () => {
    for (const tree of model.ensemble.trees) {
      for (let i = 0; i < tree.feature.length; i++) {
        expect(Math.fround(tree.value[i])).toBe(tree.value[i]);
        expect(Math.fround(tree.cover[i])).toBe(tree.cover[i]);
      }
    }
  });

  it('routes float64 data as XGBoost routes its float32 cast, at every golden threshold', () => {
    const json = golden.model as ModelDoc;
    json.learner.gradient_booster.model.trees.forEach((jsonTree, t) => {
      const tree = model.ensemble.trees[t];
      for (let i = 0; i < tree.feature.length; i++) {
        if (tree.feature[i] < 0) continue;
        const t32 = Math.fround(jsonTree.split_conditions[i]);
        for (const x of probesAround(t32)) expect(x < tree.threshold[i]).toBe(Math.fround(x) < t32);
      }
    });
  });

  it('parses text, and isXgboostModel recognises the document', () => {
    const fromText = parseXgboostJson(JSON.stringify(golden.model));
    expect(fromText.ensemble.trees[0].threshold).toEqual(model.ensemble.trees[0].threshold);
    expect(isXgboostModel(golden.model)).toBe(true);
    expect(isXgboostModel({ learner: {} })).toBe(false);
    expect(isXgboostModel([1, 2])).toBe(false);
    expect(isXgboostModel(null)).toBe(false);
    expect(isXgboostModel({ format: 'churnwatch.model.v1' })).toBe(false);
  });

  it('reads feature names and an XGBoost 2.x bracketed base_score', () => {
    const json = goldenModel();
    json.learner.feature_names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    json.learner.learner_model_param.base_score = '[2.5E-1]';
    json.learner.objective.name = 'binary:logitraw';
    const loaded = loadXgboostJson(json);
    expect(loaded.featureNames).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    expect(loaded.ensemble.baseMargin).toBeCloseTo(Math.log(1 / 3), 15);
    expect(loaded.objective).toBe('binary:logitraw');
  });
});

/** Doubles near float32 `t`: t, the float32 below, the midpoint between them and its double neighbours. */
function probesAround(t: number): number[] {
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  f32[0] = t;
  u32[0] += t > 0 ? -1 : 1;
  const below = t === 0 ? -(2 ** -149) : f32[0];
  const mid = (below + t) / 2;
  const f64 = new Float64Array(1);
  const u64 = new BigUint64Array(f64.buffer);
  const neighbour = (x: number, step: bigint) => {
    f64[0] = x;
    u64[0] += x > 0 ? step : -step;
    return f64[0];
  };
  return [t, below, mid, neighbour(mid, 1n), neighbour(mid, -1n), neighbour(t, 1n), neighbour(t, -1n)];
}

describe('float64Threshold', () => {
  it('makes x < threshold agree with fround(x) < t next to random float32 thresholds', () => {
    let state = 12345;
    const random = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 2 ** 32;
    };
    for (let k = 0; k < 5000; k++) {
      const t = Math.fround((random() - 0.5) * 10 ** Math.floor(random() * 12 - 6));
      const threshold = float64Threshold(t);
      for (const x of probesAround(t)) expect(x < threshold).toBe(Math.fround(x) < t);
    }
  });

  it('handles both tie directions of round-half-even at the midpoint', () => {
    // 1 = 0x3f800000 (even significand); the float32 below, 1 − 2^-24, is odd: the midpoint rounds up to 1.
    const mid1 = 1 - 2 ** -25;
    expect(Math.fround(mid1)).toBe(1);
    expect(float64Threshold(1)).toBe(mid1);
    // 1 + 2^-23 is odd; 1 is even: the midpoint 1 + 2^-24 rounds down to 1, so it must go left.
    const t = 1 + 2 ** -23;
    const mid2 = 1 + 2 ** -24;
    expect(Math.fround(mid2)).toBe(1);
    expect(float64Threshold(t)).toBeGreaterThan(mid2);
    expect(mid2 < float64Threshold(t)).toBe(true);
  });

  it('keeps the edges: 0, the smallest subnormal, infinities', () => {
    for (const t of [0, -0, 2 ** -149, -(2 ** -149), 3.4028234663852886e38, Number.POSITIVE_INFINITY]) {
      const threshold = float64Threshold(t);
      for (const x of [...probesAround(t), 0, -0, 1e300, -1e300, 3.4028235677973366e38]) {
        expect(x < threshold).toBe(Math.fround(x) < t);
      }
    }
    expect(float64Threshold(Number.NEGATIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('malformed XGBoost JSON', () => {
  const trees = 'learner.gradient_booster.model.trees';
  const cases: [string, (json: ModelDoc) => void, string][] = [
    [
      'a missing children array',
      (j) => Reflect.deleteProperty(treeOf(j, 3), 'left_children'),
      `${trees}[3].left_children`,
    ],
    ['a short children array', (j) => treeOf(j, 3).left_children.pop(), `${trees}[3].left_children`],
    ['a string in a node array', (j) => (treeOf(j, 2).sum_hessian[4] = 'x'), `${trees}[2].sum_hessian[4]`],
    ['a child out of range', (j) => (treeOf(j, 1).right_children[0] = 999), `${trees}[1].right_children[0]`],
    ['a cycle', (j) => (treeOf(j, 0).right_children[1] = 3), `${trees}[0].right_children[1]`],
    ['a feature out of range', (j) => (treeOf(j, 5).split_indices[0] = 8), `${trees}[5].split_indices[0]`],
    ['a categorical split', (j) => (treeOf(j, 4).split_type[2] = 1), `${trees}[4].split_type[2]`],
    [
      'num_nodes not a count',
      (j) => (treeOf(j, 0).tree_param.num_nodes = 'many'),
      `${trees}[0].tree_param.num_nodes`,
    ],
    ['a tree count mismatch', (j) => j.learner.gradient_booster.model.trees.pop(), trees],
    [
      'a multiclass objective',
      (j) => (j.learner.objective.name = 'multi:softprob'),
      'learner.objective.name',
    ],
    ['a dart booster', (j) => (j.learner.gradient_booster.name = 'dart'), 'learner.gradient_booster.name'],
    [
      'a base_score of 1',
      (j) => (j.learner.learner_model_param.base_score = '1'),
      'learner.learner_model_param.base_score',
    ],
    [
      'a missing learner_model_param',
      (j) => Reflect.deleteProperty(j.learner, 'learner_model_param'),
      'learner.learner_model_param',
    ],
    ['a missing learner', (j) => Reflect.deleteProperty(j, 'learner'), 'learner'],
    ['too few feature names', (j) => (j.learner.feature_names = ['a']), 'learner.feature_names'],
  ];

  it.each(cases)('rejects %s, naming the key path', (_, corrupt, key) => {
    const json = goldenModel();
    corrupt(json);
    const error = inputErrorOf(() => loadXgboostJson(json));
    expect(error.where.key).toBe(key);
    expect(error.message).toMatch(/^XGBoost model: /);
  });

  it('names the file when given one, and rejects text that is not JSON', () => {
    const json = goldenModel();
    json.learner.objective.name = 'reg:squarederror';
    const error = inputErrorOf(() => loadXgboostJson(json, 'm.json'));
    expect(error.where).toEqual({ file: 'm.json', key: 'learner.objective.name' });
    expect(error.message).toContain('reg:squarederror');
    const notJson = inputErrorOf(() => parseXgboostJson('{"learner": ', 'm.json'));
    expect(notJson.where).toEqual({ file: 'm.json' });
    expect(notJson.cause).toBeInstanceOf(SyntaxError);
  });
});
