import { describe, expect, it } from 'vitest';
import { Random } from '../ml/random.js';
import { thrown } from '../testing/thrown.js';
import { ActionState, checkTreatment } from './action-effects.js';
import { ACTION_EFFECTS, CAUSE, COUPON_FULL_DISCOUNT, DRIFT } from './business-model.js';
import { SECONDS_PER_DAY } from './calendar.js';
import { Drift } from './drift.js';
import { ServiceHistory } from './service-history.js';

/** A drifting customer: mostly over price, a little over service. */
function drifting(): Drift {
  const drift = new Drift();
  drift.levels.set([0.1, 0.5, 0.2, 0.1]);
  drift.relieve([0, 0, 0, 0]); // sets D from the levels, R unchanged
  drift.readiness = 0.6;
  return drift;
}

/** The part of the hazard that drift drives (without the content customer's share). */
function driftHazard(drift: Drift): number {
  const base = 0.0002;
  return drift.hazards(base, 0, new Float64Array(4)) - base * DRIFT.contentShare;
}

describe('Drift.relieve', () => {
  it('lowers the hazard by the share of the drift the action removes: a lot for its cause, little otherwise', () => {
    const before = driftHazard(drifting());
    const price = drifting();
    price.relieve([0, 0.5, 0, 0]);
    expect(driftHazard(price) / before).toBeCloseTo(1 - (0.5 * 0.5) / 0.9, 12);
    expect(price.levels[CAUSE.price]).toBeCloseTo(0.25, 12);
    const service = drifting();
    service.relieve([0, 0, 0.5, 0]);
    expect(driftHazard(service) / before).toBeCloseTo(1 - (0.5 * 0.2) / 0.9, 12);
    expect(price.mainCause()).toBe(CAUSE.price);
  });
});

describe('ActionState', () => {
  it('relieves the pressure of a coupon’s cause while it is valid and discounts the fee, then stops', () => {
    const drift = drifting();
    const actions = new ActionState([{ day: 10, action: 'coupon', discountShare: 0.2, validityDays: 30 }]);
    const service = new ServiceHistory();
    actions.startDay(9, drift, service, 59);
    expect(Array.from(drift.relief)).toEqual([1, 1, 1, 1]);
    expect(actions.discount()).toBe(0);
    actions.startDay(10, drift, service, 59);
    const scale = 0.2 / COUPON_FULL_DISCOUNT;
    expect(drift.relief[CAUSE.price]).toBeCloseTo(1 - ACTION_EFFECTS.coupon.relief[CAUSE.price] * scale, 12);
    expect(drift.relief[CAUSE.service]).toBe(1);
    expect(actions.discount()).toBe(0.2);
    actions.startDay(39, drift, service, 59);
    expect(actions.discount()).toBe(0.2);
    actions.startDay(40, drift, service, 59);
    expect(Array.from(drift.relief)).toEqual([1, 1, 1, 1]);
    expect(actions.discount()).toBe(0);
  });

  it('turns a coupon’s amount into a share of the fee of its day', () => {
    const actions = new ActionState([{ day: 0, action: 'coupon', amount: 10 }]);
    actions.startDay(0, drifting(), new ServiceHistory(), 50);
    expect(actions.discount()).toBeCloseTo(0.2, 12);
  });

  it('has a service call resolve the open tickets that morning', () => {
    const service = new ServiceHistory();
    const random = new Random(3);
    for (let k = 0; k < 20; k++) service.open(random, 3 * SECONDS_PER_DAY + k * 60, 3, 0);
    service.startDay(5, 5 * SECONDS_PER_DAY);
    const open = service.openAged;
    const actions = new ActionState([{ day: 6, action: 'service_call' }]);
    actions.startDay(6, drifting(), service, 59);
    service.startDay(7, 7 * SECONDS_PER_DAY);
    expect(open).toBeGreaterThan(0);
    expect(service.openAged).toBe(0);
  });
});

describe('checkTreatment', () => {
  it('names the key and the value it rejects', () => {
    expect(thrown(() => checkTreatment({ day: 1.5, action: 'coupon' })).message).toBe(
      'treatment.day=1.5 must be a whole number',
    );
    expect(thrown(() => checkTreatment({ day: 1, action: 'hug' as 'coupon' }, 'campaign[2]')).where.key).toBe(
      'campaign[2].action',
    );
    expect(thrown(() => checkTreatment({ day: 1, action: 'coupon', validityDays: 0 })).message).toBe(
      'treatment.validityDays=0 must be a whole number from 1 to 730',
    );
  });
});
