// Why each customer is at risk, as shares of their risk: the champion's TreeSHAP contributions that raise the
// churn risk, summed per cause tag (cause-tags.ts) and normalised. Where the stored drivers keep only the top
// three, a profile keeps every feature, so a customer whose risk comes half from tickets and half from
// inactivity is half service-dissatisfied, half disengaged.

import type { FeatureMatrix } from '../ml/matrix.js';
import type { SavedModel } from '../tabular/saved-model.js';
import { workspaceContributions, workspaceProbabilities } from '../training/sub-models.js';
import { CAUSE_TAGS, type CauseTagOverrides, causeTagOf } from './cause-tags.js';

/** The profile's columns: the cause tags, then risk that no tag explains (features no rule recognises). */
export const PROFILE_CAUSES = [...CAUSE_TAGS, 'untagged'] as const;

/** Per row, the share of each of PROFILE_CAUSES in its risk, and the champion's probability. */
export interface CauseProfiles {
  nRows: number;
  /** Row-major, PROFILE_CAUSES.length shares per row summing to 1 (all `untagged` when nothing raises risk). */
  shares: Float64Array;
  /** The champion's calibrated churn probability per row. */
  risk: Float64Array;
}

/** The cause profiles and risk of the rows of `X` (encoded by `model`'s schema) under `model`. */
export function causeProfiles(
  model: SavedModel,
  X: FeatureMatrix,
  overrides: CauseTagOverrides = new Map(),
): CauseProfiles {
  const width = PROFILE_CAUSES.length;
  const untagged = width - 1;
  const causeOf = Int32Array.from(X.names, (name) => {
    const tag = causeTagOf(name, overrides);
    return tag === null ? untagged : CAUSE_TAGS.indexOf(tag);
  });
  const { values, nFeatures } = workspaceContributions(model, X);
  const shares = new Float64Array(X.nRows * width);
  for (let row = 0; row < X.nRows; row++) {
    const base = row * width;
    const offset = row * (nFeatures + 1);
    let total = 0;
    for (let j = 0; j < nFeatures; j++) {
      const v = values[offset + j];
      if (v > 0) {
        shares[base + causeOf[j]] += v;
        total += v;
      }
    }
    if (total > 0) for (let c = 0; c < width; c++) shares[base + c] /= total;
    else shares[base + untagged] = 1;
  }
  return { nRows: X.nRows, shares, risk: workspaceProbabilities(model, X) };
}

/** The profiles of `rows` only, in that order. */
export function takeProfiles(profiles: CauseProfiles, rows: ArrayLike<number>): CauseProfiles {
  const width = PROFILE_CAUSES.length;
  const shares = new Float64Array(rows.length * width);
  const risk = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    shares.set(profiles.shares.subarray(rows[i] * width, (rows[i] + 1) * width), i * width);
    risk[i] = profiles.risk[rows[i]];
  }
  return { nRows: rows.length, shares, risk };
}
