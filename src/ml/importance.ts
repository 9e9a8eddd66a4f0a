// Global feature importance: total split gain per feature from the trees, mean |SHAP| per feature from
// per-row attributions, and a ranking of either for display.

import { InputError } from '../errors.js';
import type { TreeEnsemble } from './ensemble.js';

export interface GainImportance {
  /** Sum of the split gains (loss reductions) of every split on the feature (XGBoost's `total_gain`). */
  total: Float64Array;
  /** `total` divided by its sum over features (all 0 when no split has gain). */
  share: Float64Array;
  /** Number of splits on the feature (XGBoost's `weight`). */
  splits: Int32Array;
}

/** Total split gain, its normalised share and the split count per feature, over every tree. */
export function gainImportance(ensemble: TreeEnsemble, nFeatures: number): GainImportance {
  if (!Number.isInteger(nFeatures) || nFeatures < 0) {
    throw new InputError(`nFeatures=${nFeatures} must be an integer >= 0`, { key: 'nFeatures' });
  }
  const total = new Float64Array(nFeatures);
  const splits = new Int32Array(nFeatures);
  ensemble.trees.forEach((tree, t) => {
    for (let node = 0; node < tree.feature.length; node++) {
      const feature = tree.feature[node];
      if (feature < 0) continue;
      if (feature >= nFeatures) {
        throw new InputError(`tree ${t} splits on feature ${feature}, but nFeatures=${nFeatures}`, {
          key: `trees[${t}]`,
        });
      }
      total[feature] += tree.gain[node];
      splits[feature]++;
    }
  });
  let sum = 0;
  for (const gain of total) sum += gain;
  const share = new Float64Array(nFeatures);
  if (sum > 0) for (let j = 0; j < nFeatures; j++) share[j] = total[j] / sum;
  return { total, share, splits };
}

/** Mean |φ_j| over rows of SHAP values laid out as `ensembleShap` returns them (bias column ignored). */
export function meanAbsShap(shapValues: Float64Array, nRows: number, nFeatures: number): Float64Array {
  const stride = nFeatures + 1;
  if (shapValues.length !== nRows * stride) {
    throw new InputError(
      `shapValues has ${shapValues.length} values, expected nRows × (nFeatures + 1) = ${nRows * stride}`,
      { key: 'shapValues' },
    );
  }
  const out = new Float64Array(nFeatures);
  for (let row = 0; row < nRows; row++) {
    const offset = row * stride;
    for (let j = 0; j < nFeatures; j++) out[j] += Math.abs(shapValues[offset + j]);
  }
  if (nRows > 0) for (let j = 0; j < nFeatures; j++) out[j] /= nRows;
  return out;
}

export interface RankedFeature {
  name: string;
  value: number;
}

/** The `top` features by value, largest first; ties keep input order; NaN values rank last. */
export function rankImportance(
  names: readonly string[],
  values: ArrayLike<number>,
  top = names.length,
): RankedFeature[] {
  if (names.length !== values.length) {
    throw new InputError(`${names.length} names but ${values.length} values`, { key: 'values' });
  }
  if (!Number.isInteger(top) || top < 0)
    throw new InputError(`top=${top} must be an integer >= 0`, { key: 'top' });
  const ranked = names.map((name, j) => ({ name, value: values[j] }));
  const key = (value: number) => (Number.isNaN(value) ? Number.NEGATIVE_INFINITY : value);
  ranked.sort((a, b) => {
    const diff = key(b.value) - key(a.value);
    if (diff !== 0 && !Number.isNaN(diff)) return diff;
    return Number.isNaN(a.value) === Number.isNaN(b.value) ? 0 : Number.isNaN(a.value) ? 1 : -1;
  });
  return ranked.slice(0, top);
}
