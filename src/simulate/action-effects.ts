// Retention actions inside the simulated customer's drift model: from the day an action lands it cuts the
// disengagement of the causes it addresses and relieves their pressure while it is valid (rates in
// business-model.ts, ACTION_EFFECTS), so its true effect depends on why the customer is drifting.

import { InputError } from '../errors.js';
import { ACTION_EFFECTS, COUPON_DISCOUNT, COUPON_FULL_DISCOUNT, SERVICE_CALL } from './business-model.js';
import { SECONDS_PER_DAY } from './calendar.js';
import type { Drift } from './drift.js';
import type { ServiceHistory } from './service-history.js';

/** The action kinds the simulator knows (the strategy library's kinds of the same name). */
export const SIMULATED_ACTIONS = [
  'coupon',
  'service_call',
  'reengagement',
  'competitor_match',
  'loyalty_bonus',
] as const satisfies readonly (keyof typeof ACTION_EFFECTS)[];

export type SimulatedAction = (typeof SIMULATED_ACTIONS)[number];

/** One action for one customer. */
export interface Treatment {
  /** The day it lands (day 0 = the first simulated day), before that day's activity. */
  day: number;
  action: SimulatedAction;
  /** coupon: the share taken off the membership fee (default COUPON_DISCOUNT) … */
  discountShare?: number;
  /** … or an amount in CNY off each fee (as a share of the fee on the day it lands). */
  amount?: number;
  /** Days it stays valid, the landing day included (default per action in ACTION_EFFECTS). */
  validityDays?: number;
}

/** Checks a treatment, naming the key (under `key`) of the first bad value. */
export function checkTreatment(treatment: Treatment, key = 'treatment'): Treatment {
  const { day, action, discountShare, amount, validityDays } = treatment;
  if (!Number.isSafeInteger(day)) throw new InputError(`${key}.day=${day} must be a whole number`, { key });
  if (!(SIMULATED_ACTIONS as readonly string[]).includes(action)) {
    throw new InputError(
      `${key}.action=${JSON.stringify(action)} must be one of ${SIMULATED_ACTIONS.join(', ')}`,
      {
        key: `${key}.action`,
      },
    );
  }
  if (discountShare !== undefined && !(discountShare > 0 && discountShare <= 1)) {
    throw new InputError(`${key}.discountShare=${discountShare} must be above 0 and at most 1`, {
      key: `${key}.discountShare`,
    });
  }
  if (amount !== undefined && !(amount > 0 && Number.isFinite(amount))) {
    throw new InputError(`${key}.amount=${amount} must be a positive number`, { key: `${key}.amount` });
  }
  if (
    validityDays !== undefined &&
    !(Number.isSafeInteger(validityDays) && validityDays >= 1 && validityDays <= 730)
  ) {
    throw new InputError(`${key}.validityDays=${validityDays} must be a whole number from 1 to 730`, {
      key: `${key}.validityDays`,
    });
  }
  return treatment;
}

interface ActiveAction {
  /** Last day it is valid. */
  until: number;
  /** Per cause, the share of pressure removed. */
  relief: readonly number[];
  /** Share off the fee (coupons), else 0. */
  discount: number;
}

/** The actions of one customer's life: which land on a day and which are still valid. */
export class ActionState {
  private readonly pending: Treatment[];
  private readonly active: ActiveAction[] = [];

  constructor(treatments: readonly Treatment[]) {
    this.pending = [...treatments].sort((a, b) => a.day - b.day);
  }

  /**
   * Moves to day d: actions landing today act on the drift and the tickets, expired ones end, and the
   * drift's relief is set for today. `fee` is today's membership fee (a coupon's amount as a share of it).
   */
  startDay(d: number, drift: Drift, service: ServiceHistory, fee: number): void {
    if (this.pending.length === 0 && this.active.length === 0) return; // untreated: nothing to do
    let changed = false;
    while (this.pending.length > 0 && this.pending[0]!.day <= d) {
      const treatment = this.pending.shift()!;
      if (treatment.day < d) continue; // landed before this life was simulated from
      this.land(treatment, d, drift, service, fee);
      changed = true;
    }
    for (let k = this.active.length - 1; k >= 0; k--) {
      if (this.active[k]!.until < d) {
        this.active.splice(k, 1);
        changed = true;
      }
    }
    if (!changed) return;
    drift.relief.fill(1);
    for (const action of this.active) {
      for (let c = 0; c < 4; c++) drift.relief[c] = drift.relief[c]! * (1 - action.relief[c]!);
    }
  }

  /** The share taken off fees charged today (the best valid coupon's). */
  discount(): number {
    let best = 0;
    for (const action of this.active) best = Math.max(best, action.discount);
    return best;
  }

  private land(treatment: Treatment, d: number, drift: Drift, service: ServiceHistory, fee: number): void {
    const effect = ACTION_EFFECTS[treatment.action];
    let scale = 1;
    let discount = 0;
    if (treatment.action === 'coupon') {
      discount =
        treatment.amount !== undefined
          ? Math.min(1, treatment.amount / fee)
          : (treatment.discountShare ?? COUPON_DISCOUNT);
      // A small discount helps a little; from COUPON_FULL_DISCOUNT on it helps as much as a coupon can.
      scale = Math.min(1, discount / COUPON_FULL_DISCOUNT);
    }
    if (treatment.action === 'service_call') {
      service.call(
        d * SECONDS_PER_DAY + SERVICE_CALL.resolveHour * 3600,
        SERVICE_CALL.satisfaction,
        SERVICE_CALL.badExperienceKept,
      );
    }
    drift.relieve(effect.cut.map((cut) => cut * scale));
    this.active.push({
      until: d + (treatment.validityDays ?? effect.validityDays) - 1,
      relief: effect.relief.map((relief) => relief * scale),
      discount,
    });
  }
}
