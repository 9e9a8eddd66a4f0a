import { beforeAll, describe, expect, it } from 'vitest';
import { Random, shuffle } from '../ml/random.js';
import { compareProportions } from '../retention/experiment-stats.js';
import type { SimulatedAction } from './action-effects.js';
import { playedWorld, simulateBusiness } from './business.js';
import { CAUSE } from './business-model.js';
import {
  type Assignment,
  type AssignmentTruth,
  churnedBetween,
  driftAfterEnd,
  treatmentTruth,
  trueEffect,
} from './treatment-truth.js';

// 40 small seeded campaigns on simulated businesses: the riskiest members (by their true readiness to leave
// at the data's end) get a coupon or a service call, half of them held out as control, and the following
// two months are played. The measured effect (treated − control churn, Newcombe 95% interval) must cover
// the true effect (the mean over all campaign customers of churned with the action − without) in at least
// 34 of 40: P(fewer than 34 | 95% coverage) is under 2%.

const CAMPAIGNS = 40;
const CUSTOMERS = 1500;
const PLAYED_MONTHS = 2;
/** The share of members targeted, riskiest first. */
const TARGETED = 0.3;

interface Campaign {
  action: SimulatedAction;
  truths: AssignmentTruth[];
  lastDay: number;
}

/** One campaign on business `seed`: assignments at random, half control, and both lives of each customer. */
function runCampaign(seed: number, action: SimulatedAction): Campaign {
  const simulation = simulateBusiness({ customers: CUSTOMERS, months: 4, seed });
  const world = playedWorld(simulation, PLAYED_MONTHS);
  const day = simulation.world.calendar.days;
  const everyone = [...Array(CUSTOMERS).keys()];
  const drift = driftAfterEnd(simulation, everyone);
  const members = everyone.filter((i) => drift[i]!.member);
  members.sort((a, b) => drift[b]!.readiness - drift[a]!.readiness);
  const targeted = members.slice(0, Math.round(members.length * TARGETED));
  shuffle(targeted, new Random(seed, 1));
  const assignments: Assignment[] = targeted.map((customer, k) => ({
    customer,
    group: k < targeted.length / 2 ? 'treated' : 'control',
    treatment: { day, action },
  }));
  return { action, truths: treatmentTruth(simulation, world, assignments), lastDay: world.calendar.days - 1 };
}

let campaigns: Campaign[] = [];
beforeAll(() => {
  campaigns = Array.from({ length: CAMPAIGNS }, (_, k) =>
    runCampaign(1000 + k, k % 2 === 0 ? 'coupon' : 'service_call'),
  );
}, 120_000);

/** Churned within the played months in the life the customer's group got. */
function observed(t: AssignmentTruth, lastDay: number): boolean {
  return churnedBetween(t.group === 'treated' ? t.withAction : t.withoutAction, t.treatment.day, lastDay);
}

/** Mean individual effect (with − without) of the campaign customers drifting mainly for `cause`. */
function effectOn(action: SimulatedAction, cause: number): { customers: number; effect: number } {
  let customers = 0;
  let sum = 0;
  for (const { truths, lastDay, action: kind } of campaigns) {
    if (kind !== action) continue;
    for (const t of truths) {
      if (t.drift.mainCause !== cause) continue;
      customers++;
      const day = t.treatment.day;
      sum +=
        Number(churnedBetween(t.withAction, day, lastDay)) -
        Number(churnedBetween(t.withoutAction, day, lastDay));
    }
  }
  return { customers, effect: sum / customers };
}

describe('the simulated truth of a campaign', () => {
  it('is covered by the measured effect’s 95% interval in at least 34 of 40 campaigns', () => {
    let covered = 0;
    let meanTrue = 0;
    for (const { truths, lastDay } of campaigns) {
      const group = (name: 'treated' | 'control') => {
        const members = truths.filter((t) => t.group === name);
        return { n: members.length, events: members.filter((t) => observed(t, lastDay)).length };
      };
      const measured = compareProportions(group('treated'), group('control'));
      expect(measured.tooSmall).toBe(false);
      const truth = trueEffect(truths, lastDay);
      meanTrue += truth / CAMPAIGNS;
      if (measured.low <= truth && truth <= measured.high) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(34);
    // The actions do save customers, so the check is not about an effect of nothing.
    expect(meanTrue).toBeLessThan(-0.02);
  });

  it('gives a coupon a clearly larger effect on price-driven customers than on service-driven ones', () => {
    const price = effectOn('coupon', CAUSE.price);
    const service = effectOn('coupon', CAUSE.service);
    expect(price.customers).toBeGreaterThan(500);
    expect(service.customers).toBeGreaterThan(200);
    expect(price.effect).toBeLessThan(-0.05);
    expect(price.effect).toBeLessThan(2 * service.effect);
    expect(service.effect - price.effect).toBeGreaterThan(0.03);
  });

  it('gives a service call its effect on service-driven customers, hardly any on price-driven ones', () => {
    const service = effectOn('service_call', CAUSE.service);
    const price = effectOn('service_call', CAUSE.price);
    expect(service.customers).toBeGreaterThan(200);
    expect(service.effect).toBeLessThan(-0.05);
    expect(Math.abs(price.effect)).toBeLessThan(0.02);
  });
});
