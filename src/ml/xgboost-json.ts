// Loads XGBoost's JSON model format (`booster.save_model('m.json')`, 1.7) into a `TreeEnsemble`.
// Checks the document as it reads; every problem is an InputError naming the JSON key path.

import { InputError } from '../errors.js';
import type { TreeEnsemble } from './ensemble.js';
import { emptyTree, type Tree } from './tree.js';

/** Objectives whose raw output is a logit, so `sigmoid(margin)` is the positive-class probability. */
export const XGBOOST_OBJECTIVES = ['binary:logistic', 'binary:logitraw', 'reg:logistic'] as const;
export type XgboostObjective = (typeof XGBOOST_OBJECTIVES)[number];

export interface XgboostModel {
  /** aggregate 'sum', baseMargin = logit(base_score). */
  ensemble: TreeEnsemble;
  nFeatures: number;
  featureNames?: string[];
  bestIteration?: number;
  objective: XgboostObjective;
}

/** Cheap shape test (no validation): does `json` look like an XGBoost JSON model? */
export function isXgboostModel(json: unknown): boolean {
  if (!isObject(json) || !isObject(json['learner'])) return false;
  const learner = json['learner'];
  return isObject(learner['gradient_booster']) && isObject(learner['learner_model_param']);
}

/** Parses the text of an XGBoost JSON model file; `file` goes into the errors' `where`. */
export function parseXgboostJson(text: string, file?: string): XgboostModel {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new InputError(`not valid JSON: ${(cause as Error).message}`, { file }, { cause });
  }
  return loadXgboostJson(json, file);
}

/** Converts an already parsed XGBoost JSON model; `file` goes into the errors' `where`. */
export function loadXgboostJson(json: unknown, file?: string): XgboostModel {
  try {
    return readModel(json);
  } catch (error) {
    if (error instanceof InputError && file !== undefined) {
      throw new InputError(error.message, { ...error.where, file }, { cause: error.cause });
    }
    throw error;
  }
}

// -------------------------------------------------------------------------------------- float32 splits

const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const f64Bits = new BigUint64Array(f64.buffer);
/** Largest finite float32, (2 − 2^−23)·2^127. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** The float32 just below float32 `t` (t > −∞). */
function previousFloat32(t: number): number {
  if (t === 0) return -(2 ** -149);
  if (t === Number.POSITIVE_INFINITY) return FLOAT32_MAX;
  f32[0] = t;
  f32Bits[0] += t > 0 ? -1 : 1;
  return f32[0];
}

/** The double just above finite double `x` (x ≠ 0). */
function nextDouble(x: number): number {
  f64[0] = x;
  f64Bits[0] += x > 0 ? 1n : -1n;
  return f64[0];
}

/**
 * XGBoost stores features as float32 and sends x left iff fround(x) < t, t a float32. Our trees send x
 * left iff x < threshold on float64 data. fround(x) < t ⇔ fround(x) ≤ p (p the float32 below t) ⇔ x lies
 * below the midpoint m = (p + t)/2, or on it when round-half-even takes m down to p. So the double
 * threshold is m, or the double just above m in that tie case. (m is exact in float64: p and t have 24-bit
 * significands.) For float32-valued data this changes nothing; for other doubles it reproduces XGBoost.
 */
export function float64Threshold(t: number): number {
  if (Number.isNaN(t) || t === Number.NEGATIVE_INFINITY) return t;
  const below = previousFloat32(t);
  // For t = +∞: doubles from FLOAT32_MAX + half its ulp (2^103) upwards round to +∞.
  const mid = t === Number.POSITIVE_INFINITY ? below + 2 ** 103 : (below + t) / 2;
  return Math.fround(mid) === below ? nextDouble(mid) : mid;
}

// ------------------------------------------------------------------------------------ reading the JSON

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (key missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function fail(message: string, key: string): never {
  throw new InputError(`XGBoost model: ${message}`, { key });
}

function objectAt(value: unknown, key: string): JsonObject {
  if (!isObject(value)) fail(`expected an object, found ${describe(value)}`, key);
  return value;
}

function arrayAt(value: unknown, key: string): unknown[] {
  if (!Array.isArray(value)) fail(`expected an array, found ${describe(value)}`, key);
  return value;
}

function stringAt(value: unknown, key: string): string {
  if (typeof value !== 'string') fail(`expected a string, found ${describe(value)}`, key);
  return value;
}

/** A number written as a JSON number or, as XGBoost writes its parameters, a string ("5E-1", "[5E-1]"). */
function numberAt(value: unknown, key: string): number {
  let number = Number.NaN;
  if (typeof value === 'number') number = value;
  else if (typeof value === 'string') number = Number(value.trim().replace(/^\[(.*)\]$/, '$1'));
  if (!Number.isFinite(number) || (typeof value === 'string' && value.trim() === '')) {
    fail(`expected a number, found ${describe(value)}`, key);
  }
  return number;
}

function countAt(value: unknown, key: string, min: number): number {
  const number = numberAt(value, key);
  if (!Number.isInteger(number) || number < min)
    fail(`expected an integer >= ${min}, found ${describe(value)}`, key);
  return number;
}

/** A node-indexed array of `nNodes` numbers; `integer` also requires integers. */
function nodeArray(
  tree: JsonObject,
  treeKey: string,
  name: string,
  nNodes: number,
  integer: boolean,
): Float64Array {
  const key = `${treeKey}.${name}`;
  const array = arrayAt(tree[name], key);
  if (array.length !== nNodes) fail(`has ${array.length} entries, tree_param.num_nodes says ${nNodes}`, key);
  const out = new Float64Array(nNodes);
  for (let i = 0; i < nNodes; i++) {
    let value = array[i];
    if (typeof value === 'boolean') value = value ? 1 : 0;
    if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      fail(
        `expected ${integer ? 'an integer' : 'a finite number'}, found ${describe(value)}`,
        `${key}[${i}]`,
      );
    }
    out[i] = value;
  }
  return out;
}

function readTree(value: unknown, key: string, nFeatures: number): Tree {
  const json = objectAt(value, key);
  const param = objectAt(json['tree_param'], `${key}.tree_param`);
  const nNodes = countAt(param['num_nodes'], `${key}.tree_param.num_nodes`, 1);
  if (
    param['size_leaf_vector'] !== undefined &&
    numberAt(param['size_leaf_vector'], `${key}.tree_param.size_leaf_vector`) !== 0
  ) {
    fail('vector leaves (multi-target trees) are not supported', `${key}.tree_param.size_leaf_vector`);
  }
  const left = nodeArray(json, key, 'left_children', nNodes, true);
  const right = nodeArray(json, key, 'right_children', nNodes, true);
  const splitIndex = nodeArray(json, key, 'split_indices', nNodes, true);
  const condition = nodeArray(json, key, 'split_conditions', nNodes, false);
  const defaultLeft = nodeArray(json, key, 'default_left', nNodes, true);
  const hessian = nodeArray(json, key, 'sum_hessian', nNodes, false);
  const gain = nodeArray(json, key, 'loss_changes', nNodes, false);
  if (json['split_type'] !== undefined) {
    const splitType = nodeArray(json, key, 'split_type', nNodes, true);
    const categorical = splitType.findIndex((type) => type !== 0);
    if (categorical >= 0) fail('categorical splits are not supported', `${key}.split_type[${categorical}]`);
  }

  const tree = emptyTree(nNodes);
  // Walk from the root so that unreachable (deleted) nodes are ignored and cycles are caught.
  const reached = new Uint8Array(nNodes);
  const stack = [0];
  reached[0] = 1;
  while (stack.length > 0) {
    const i = stack.pop()!;
    const cover = Math.fround(hessian[i]);
    if (cover < 0) fail(`expected a cover >= 0, found ${hessian[i]}`, `${key}.sum_hessian[${i}]`);
    tree.cover[i] = cover;
    if (left[i] === -1 && right[i] === -1) {
      tree.value[i] = Math.fround(condition[i]);
      continue;
    }
    for (const [children, name] of [
      [left, 'left_children'],
      [right, 'right_children'],
    ] as const) {
      const child = children[i];
      if (child < 1 || child >= nNodes)
        fail(`child ${child} is not a node id in 1..${nNodes - 1}`, `${key}.${name}[${i}]`);
      if (reached[child]) fail(`node ${child} is reached twice`, `${key}.${name}[${i}]`);
      reached[child] = 1;
      stack.push(child);
    }
    const feature = splitIndex[i];
    if (feature < 0 || feature >= nFeatures) {
      fail(`feature ${feature} is not in 0..${nFeatures - 1} (num_feature)`, `${key}.split_indices[${i}]`);
    }
    if (!(cover > 0)) fail(`a split node needs a cover > 0, found ${hessian[i]}`, `${key}.sum_hessian[${i}]`);
    tree.feature[i] = feature;
    tree.left[i] = left[i];
    tree.right[i] = right[i];
    tree.threshold[i] = float64Threshold(Math.fround(condition[i]));
    tree.missingLeft[i] = defaultLeft[i] !== 0 ? 1 : 0;
    tree.gain[i] = gain[i];
  }
  return tree;
}

function readObjective(learner: JsonObject): XgboostObjective {
  const objective = objectAt(learner['objective'], 'learner.objective');
  const name = stringAt(objective['name'], 'learner.objective.name');
  const supported = XGBOOST_OBJECTIVES.find((known) => known === name);
  if (supported === undefined) {
    fail(
      `objective "${name}" is not supported (only ${XGBOOST_OBJECTIVES.join(', ')})`,
      'learner.objective.name',
    );
  }
  return supported;
}

function readBaseMargin(param: JsonObject): number {
  const key = 'learner.learner_model_param.base_score';
  const baseScore = Math.fround(numberAt(param['base_score'], key));
  if (!(baseScore > 0 && baseScore < 1)) fail(`base_score=${baseScore} must be a probability in (0, 1)`, key);
  return Math.log(baseScore / (1 - baseScore));
}

function readFeatureNames(learner: JsonObject, nFeatures: number): string[] | undefined {
  if (learner['feature_names'] === undefined) return undefined;
  const names = arrayAt(learner['feature_names'], 'learner.feature_names');
  if (names.length === 0) return undefined;
  if (names.length !== nFeatures) {
    fail(`has ${names.length} names, num_feature says ${nFeatures}`, 'learner.feature_names');
  }
  return names.map((name, j) => stringAt(name, `learner.feature_names[${j}]`));
}

function readBestIteration(learner: JsonObject): number | undefined {
  if (learner['attributes'] === undefined) return undefined;
  const attributes = objectAt(learner['attributes'], 'learner.attributes');
  if (attributes['best_iteration'] === undefined) return undefined;
  return countAt(attributes['best_iteration'], 'learner.attributes.best_iteration', 0);
}

function readModel(json: unknown): XgboostModel {
  const root = objectAt(json, '(root)');
  const learner = objectAt(root['learner'], 'learner');
  const objective = readObjective(learner);
  const param = objectAt(learner['learner_model_param'], 'learner.learner_model_param');
  const nFeatures = countAt(param['num_feature'], 'learner.learner_model_param.num_feature', 1);
  if (
    param['num_class'] !== undefined &&
    countAt(param['num_class'], 'learner.learner_model_param.num_class', 0) > 1
  ) {
    fail('multi-class models are not supported', 'learner.learner_model_param.num_class');
  }
  if (
    param['num_target'] !== undefined &&
    countAt(param['num_target'], 'learner.learner_model_param.num_target', 1) > 1
  ) {
    fail('multi-target models are not supported', 'learner.learner_model_param.num_target');
  }
  const baseMargin = readBaseMargin(param);

  const booster = objectAt(learner['gradient_booster'], 'learner.gradient_booster');
  const boosterName = stringAt(booster['name'], 'learner.gradient_booster.name');
  if (boosterName !== 'gbtree') {
    fail(`booster "${boosterName}" is not supported (only gbtree)`, 'learner.gradient_booster.name');
  }
  const model = objectAt(booster['model'], 'learner.gradient_booster.model');
  const treesKey = 'learner.gradient_booster.model.trees';
  const jsonTrees = arrayAt(model['trees'], treesKey);
  if (model['gbtree_model_param'] !== undefined) {
    const key = 'learner.gradient_booster.model.gbtree_model_param';
    const declared = countAt(objectAt(model['gbtree_model_param'], key)['num_trees'], `${key}.num_trees`, 0);
    if (declared !== jsonTrees.length)
      fail(`has ${jsonTrees.length} trees, ${key}.num_trees says ${declared}`, treesKey);
  }
  const trees = jsonTrees.map((tree, t) => readTree(tree, `${treesKey}[${t}]`, nFeatures));

  return {
    ensemble: { trees, aggregate: 'sum', baseMargin },
    nFeatures,
    featureNames: readFeatureNames(learner, nFeatures),
    bestIteration: readBestIteration(learner),
    objective,
  };
}
