// How one customer drifts away: per churn cause c a pressure P_c pulls a disengagement level D_c toward
// 1 − exp(−P_c) (within ~10 days on the way down, ~30 back up); D = 1 − Π(1 − D_c) damps activity. The
// readiness to leave R follows D with a lag of ~45 days and sets the voluntary hazard,
//
//   h = base × (contentShare + hazardGain × R⁴),  split over the causes in proportion to D_c,
//
// so behaviour falls weeks before the cancellation, and customers who recover in time stay. A retention
// action (action-effects.ts) cuts some D_c the day it lands and relieves their pressure while it is valid.

import type { Random } from '../ml/random.js';
import { CAUSE, DRIFT } from './business-model.js';

/** Pressure of the background fade process outside an episode. */
const QUIET_FADE = 0.04;

export class Drift {
  /** D_c per cause, in CHURN_CAUSES order (disengaged, price, service, competitor). */
  readonly levels = new Float64Array(4);
  /** D: overall disengagement. */
  level = 0;
  /** R: readiness to leave. */
  readiness = 0;
  /** Per cause, the share of its pressure that acts today (below 1 while a retention action is valid). */
  readonly relief = new Float64Array(4).fill(1);
  private fadeDaysLeft = 0;
  private fadeStrength = 0;

  /** Advances one day: fade episodes start and end, levels move toward their pressures, R toward D. */
  step(random: Random, fadeRate: number, price: number, service: number, competitor: number): void {
    let fade = QUIET_FADE;
    if (this.fadeDaysLeft > 0) {
      this.fadeDaysLeft--;
      fade = this.fadeStrength;
    } else if (random.next() < fadeRate) {
      // A fade episode: interest wanes for a few weeks to months, for no reason the data shows.
      this.fadeDaysLeft = 40 + random.nextInt(120);
      this.fadeStrength = 0.8 + 1.2 * random.next();
    }
    const { levels, relief } = this;
    // relief is exactly 1 without an action, and x × 1 = x: the untreated numbers are unchanged.
    levels[CAUSE.disengaged] = approach(levels[CAUSE.disengaged]!, fade * relief[CAUSE.disengaged]!);
    levels[CAUSE.price] = approach(levels[CAUSE.price]!, price * relief[CAUSE.price]!);
    levels[CAUSE.service] = approach(levels[CAUSE.service]!, service * relief[CAUSE.service]!);
    levels[CAUSE.competitor] = approach(levels[CAUSE.competitor]!, competitor * relief[CAUSE.competitor]!);
    this.updateLevel();
    this.readiness += (this.level - this.readiness) / DRIFT.daysToDecide;
  }

  /**
   * An action lands: each D_c loses the share `cuts[c]`, and R drops so that the hazard loses the share of
   * D the cuts remove (a customer leaving over price reconsiders when the price problem goes away; one
   * leaving over service hardly does).
   */
  relieve(cuts: ArrayLike<number>): void {
    const levels = this.levels;
    const before = levels[0]! + levels[1]! + levels[2]! + levels[3]!;
    let removed = 0;
    for (let c = 0; c < 4; c++) {
      removed += cuts[c]! * levels[c]!;
      levels[c] = levels[c]! * (1 - cuts[c]!);
    }
    // The hazard grows with R⁴, so R loses the fourth root: the hazard falls by the share of D removed.
    if (before > 0) this.readiness *= (1 - removed / before) ** 0.25;
    this.updateLevel();
  }

  /** The cause with the highest D_c: why the customer is drifting now (CHURN_CAUSES index). */
  mainCause(): number {
    let best = 0;
    for (let c = 1; c < 4; c++) if (this.levels[c]! > this.levels[best]!) best = c;
    return best;
  }

  private updateLevel(): void {
    const levels = this.levels;
    this.level = 1 - (1 - levels[0]!) * (1 - levels[1]!) * (1 - levels[2]!) * (1 - levels[3]!);
  }

  /**
   * Today's voluntary hazard per cause into `out` (CHURN_CAUSES order, without payment_failure), given
   * the customer's base hazard and the direct hazard of unresolved tickets; returns the total.
   */
  hazards(base: number, unresolved: number, out: Float64Array): number {
    const levels = this.levels;
    const sum = levels[0]! + levels[1]! + levels[2]! + levels[3]!;
    const gain = sum > 0 ? (base * DRIFT.hazardGain * this.readiness ** 4) / sum : 0;
    out[CAUSE.disengaged] = base * DRIFT.contentShare + gain * levels[CAUSE.disengaged]!;
    out[CAUSE.price] = gain * levels[CAUSE.price]!;
    out[CAUSE.service] = gain * levels[CAUSE.service]! + unresolved;
    out[CAUSE.competitor] = gain * levels[CAUSE.competitor]!;
    return out[0]! + out[1]! + out[2]! + out[3]!;
  }
}

/** One day's step of a level toward the level its pressure sets: fast down, slow back. */
function approach(level: number, pressure: number): number {
  const target = 1 - Math.exp(-pressure);
  return level + (target - level) / (target > level ? DRIFT.daysToDisengage : DRIFT.daysToRecover);
}
