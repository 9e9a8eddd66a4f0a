// The versioned JSON form of a trained model's learning part: trees (or coefficients) and calibration.
// Typed arrays become plain number lists; doubles survive JSON exactly (shortest round-trip text).

import { InputError } from '../errors.js';
import type { TreeEnsemble } from './ensemble.js';
import type { Tree } from './tree.js';

/** A tree as JSON: the same fields as `Tree`, as number lists. */
export type TreeJSON = { [K in keyof Tree]: number[] };

/** An ensemble as JSON. */
export interface EnsembleJSON {
  aggregate: 'sum' | 'mean';
  baseMargin: number;
  trees: TreeJSON[];
}

const TREE_FIELDS = {
  feature: Int32Array,
  threshold: Float64Array,
  left: Int32Array,
  right: Int32Array,
  missingLeft: Uint8Array,
  catStart: Int32Array,
  catWords: Int32Array,
  catBits: Uint32Array,
  value: Float64Array,
  cover: Float64Array,
  gain: Float64Array,
} as const;

/** Converts an ensemble to its JSON form. */
export function ensembleToJSON(ensemble: TreeEnsemble): EnsembleJSON {
  return {
    aggregate: ensemble.aggregate,
    baseMargin: ensemble.baseMargin,
    trees: ensemble.trees.map(
      (tree) =>
        Object.fromEntries(
          Object.keys(TREE_FIELDS).map((key) => [key, Array.from(tree[key as keyof Tree])]),
        ) as TreeJSON,
    ),
  };
}

/** Reads an ensemble back, checking every tree's arrays; `key` prefixes the key path in errors. */
export function ensembleFromJSON(json: unknown, key: string): TreeEnsemble {
  const doc = json as Partial<EnsembleJSON> | null;
  if (!doc || (doc.aggregate !== 'sum' && doc.aggregate !== 'mean') || !Array.isArray(doc.trees)) {
    throw new InputError('model file is corrupted: no tree ensemble', { key });
  }
  if (typeof doc.baseMargin !== 'number')
    throw new InputError('model file is corrupted', { key: `${key}.baseMargin` });
  const trees = doc.trees.map((treeJson, t) => treeFromJSON(treeJson, `${key}.trees[${t}]`));
  return { aggregate: doc.aggregate, baseMargin: doc.baseMargin, trees };
}

function treeFromJSON(json: unknown, key: string): Tree {
  const doc = (json ?? {}) as Record<string, unknown>;
  const tree = {} as Record<string, ArrayLike<number>>;
  const feature = doc.feature;
  const n = Array.isArray(feature) ? feature.length : 0;
  if (n === 0) throw new InputError('model file is corrupted: empty tree', { key: `${key}.feature` });
  for (const [field, ArrayType] of Object.entries(TREE_FIELDS)) {
    const values = doc[field];
    const ok =
      Array.isArray(values) &&
      (field === 'catBits' || values.length === n) &&
      values.every((v) => typeof v === 'number' && Number.isFinite(v));
    if (!ok) throw new InputError('model file is corrupted', { key: `${key}.${field}` });
    tree[field] = ArrayType.from(values as number[]);
  }
  const result = tree as unknown as Tree;
  for (let node = 0; node < n; node++) {
    if (result.feature[node] < 0) continue;
    const children = [result.left[node], result.right[node]];
    const bitsEnd = result.catStart[node] + result.catWords[node];
    if (children.some((c) => c <= node || c >= n) || bitsEnd > result.catBits.length) {
      throw new InputError(`model file is corrupted: bad node ${node}`, { key });
    }
  }
  return result;
}
