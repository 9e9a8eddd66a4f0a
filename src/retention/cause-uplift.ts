// Uplift by churn cause: an action removes a share of the churn it addresses, so a customer's uplift is their
// risk times the share of it the action removes, and that share is a mix over why they are at risk.
//
//   uplift(x) = P(churn | x, no action) − P(churn | x, action) = risk(x) · Σ_c share_c(x) · r_c
//
// risk is the score's probability (the churn model learnt from all customers, not just campaign members),
// share_c the cause profile (cause-profile.ts: the score's drivers per cause), and r_c the relative churn
// reduction among the members whose risk comes from cause c, measured on the campaign history with soft
// strata: each member counts towards cause c with weight share_c. Six numbers per action kind are estimated
// where a T-learner estimates two whole churn models, so the estimate is steady with a few thousand members;
// its limit is that the action's effect may differ only by cause, not by anything else about the customer.

import { InputError } from '../errors.js';
import { type CauseProfiles, PROFILE_CAUSES } from './cause-profile.js';

/** Settings of `trainCauseUplift`. */
export interface CauseUpliftOptions {
  /**
   * Members' worth of the overall churn rate added to each cause's rates (default 50): a cause few members
   * share gets about the overall relative reduction rather than its own noise.
   */
  priorMembers?: number;
}

/** Relative churn reduction per cause, and the uplift it implies. */
export interface CauseUpliftModel {
  /** Per PROFILE_CAUSES entry: 1 − churn rate treated / churn rate control (negative when the action hurts). */
  readonly relativeReduction: Float64Array;
  /** Per row: risk × Σ share × relativeReduction, in churn probability; positive means the action helps. */
  score(profiles: CauseProfiles): Float64Array;
}

/** Fits the relative reductions from members' profiles, arm (`treated` 1/0) and outcome (`churned` 1/0). */
export function trainCauseUplift(
  profiles: CauseProfiles,
  treated: ArrayLike<number>,
  churned: ArrayLike<number>,
  options: CauseUpliftOptions = {},
): CauseUpliftModel {
  const priorMembers = options.priorMembers ?? 50;
  if (!(priorMembers > 0 && Number.isFinite(priorMembers))) {
    throw new InputError(`priorMembers=${priorMembers} must be a number above 0`, { key: 'priorMembers' });
  }
  for (const [key, flags] of [
    ['treated', treated],
    ['churned', churned],
  ] as const) {
    if (flags.length !== profiles.nRows) {
      throw new InputError(`${key} has ${flags.length} values for ${profiles.nRows} rows`, { key });
    }
  }
  const width = PROFILE_CAUSES.length;
  // Per arm (0 control, 1 treated) and cause: weighted members and weighted churned.
  const members = [new Float64Array(width), new Float64Array(width)];
  const lost = [new Float64Array(width), new Float64Array(width)];
  const armMembers = [0, 0];
  const armLost = [0, 0];
  for (let row = 0; row < profiles.nRows; row++) {
    const arm = treated[row] === 1 ? 1 : 0;
    const y = churned[row] === 1 ? 1 : 0;
    armMembers[arm]++;
    armLost[arm] += y;
    for (let c = 0; c < width; c++) {
      const share = profiles.shares[row * width + c];
      members[arm][c] += share;
      lost[arm][c] += share * y;
    }
  }
  for (const arm of [0, 1]) {
    if (armLost[arm] === 0) {
      const name = arm === 1 ? 'treated' : 'control';
      throw new InputError(`no ${name} member churned: the relative reduction cannot be measured`, {
        key: name,
      });
    }
  }
  const overall = armMembers.map((n, arm) => armLost[arm] / n);
  const relativeReduction = new Float64Array(width);
  for (let c = 0; c < width; c++) {
    const rate = (arm: number) =>
      (lost[arm][c] + priorMembers * overall[arm]) / (members[arm][c] + priorMembers);
    relativeReduction[c] = 1 - rate(1) / rate(0);
  }
  return {
    relativeReduction,
    score(rows: CauseProfiles): Float64Array {
      const uplift = new Float64Array(rows.nRows);
      for (let row = 0; row < rows.nRows; row++) {
        let reduction = 0;
        for (let c = 0; c < width; c++) reduction += rows.shares[row * width + c] * relativeReduction[c];
        uplift[row] = rows.risk[row] * reduction;
      }
      return uplift;
    },
  };
}
