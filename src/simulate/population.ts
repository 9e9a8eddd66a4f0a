// The customers as typed arrays, one slot per customer in signup order (customer i has id C000000i+1):
// when they signed up, segment, region, plan, payment method, value tier and their latent traits.

import type { Random } from '../ml/random.js';
import { PAYMENT_FAILURE, PLANS, REGION_MODELS, SEGMENT_MODELS, VALUE_TIER_FROM } from './business-model.js';
import { SECONDS_PER_DAY } from './calendar.js';
import { cumulativeWeights, logNormal, pickIndex, share } from './draws.js';
import type { World } from './world.js';

/** Share of the customers who are members already on the first simulated day. */
const INITIAL_SHARE = 0.5;
/** Mean membership age (days) of the initial members on day 0. */
const INITIAL_MEAN_TENURE = 420;
/** Order amounts vary around the customer's own median by this log-scale sigma. */
export const ORDER_SIGMA = 0.7;

export interface Population {
  count: number;
  /** Seconds since day 0's midnight; negative for members who joined before the period. Ascending. */
  signupSecond: Float64Array;
  segment: Uint8Array;
  region: Uint8Array;
  plan: Uint8Array;
  paymentMethod: Uint8Array;
  valueTier: Uint8Array;
  /** Activity level, a multiplier of the segment's session and purchase rates (mean about 1). */
  engagement: Float32Array;
  /** Order-size multiplier (median 1). */
  spend: Float32Array;
  /** In (0, 1): how much price increases push the customer away. */
  priceSensitivity: Float32Array;
  /** In (0, 1): how much bad service (open tickets, low satisfaction) pushes the customer away. */
  serviceSensitivity: Float32Array;
  /** In (0, 1): how much competitor promotions in the region pull the customer. */
  competitorExposure: Float32Array;
  /** Chance that one monthly payment fails. */
  paymentFailure: Float32Array;
}

/** Draws `count` customers for the world's period. */
export function buildPopulation(count: number, world: World, random: Random): Population {
  const signupSecond = drawSignups(count, world, random);
  const population: Population = {
    count,
    signupSecond,
    segment: new Uint8Array(count),
    region: new Uint8Array(count),
    plan: new Uint8Array(count),
    paymentMethod: new Uint8Array(count),
    valueTier: new Uint8Array(count),
    engagement: new Float32Array(count),
    spend: new Float32Array(count),
    priceSensitivity: new Float32Array(count),
    serviceSensitivity: new Float32Array(count),
    competitorExposure: new Float32Array(count),
    paymentFailure: new Float32Array(count),
  };
  const segments = cumulativeWeights(SEGMENT_MODELS.map((s) => s.share));
  const regions = cumulativeWeights(REGION_MODELS.map((r) => r.share));
  const plans = SEGMENT_MODELS.map((s) => cumulativeWeights(s.planWeights));
  const payments = SEGMENT_MODELS.map((s) => cumulativeWeights(s.paymentWeights));
  for (let i = 0; i < count; i++) {
    const segment = pickIndex(random, segments);
    const model = SEGMENT_MODELS[segment]!;
    const region = pickIndex(random, regions);
    const plan = pickIndex(random, plans[segment]!);
    const payment = pickIndex(random, payments[segment]!);
    // Log-normal with mean 1: median exp(−σ²/2).
    const engagement = logNormal(random, Math.exp(-0.1), 0.45);
    const spend = logNormal(random, 1, 0.5);
    population.segment[i] = segment;
    population.region[i] = region;
    population.plan[i] = plan;
    population.paymentMethod[i] = payment;
    population.engagement[i] = engagement;
    population.spend[i] = spend;
    population.priceSensitivity[i] = share(
      random,
      plan === 0 ? model.priceSensitivity * 1.2 : model.priceSensitivity,
    );
    population.serviceSensitivity[i] = share(random, model.serviceSensitivity);
    population.competitorExposure[i] = share(
      random,
      Math.min(0.9, model.competitorExposure * REGION_MODELS[region]!.competition),
    );
    population.paymentFailure[i] = Math.min(0.5, PAYMENT_FAILURE[payment]! * logNormal(random, 0.7, 0.9));
    const monthlyValue =
      PLANS[plan]!.fee +
      model.purchasesPerDay *
        30 *
        engagement ** 0.7 *
        model.orderMedian *
        spend *
        Math.exp(ORDER_SIGMA ** 2 / 2);
    let tier = 0;
    while (tier + 1 < VALUE_TIER_FROM.length && monthlyValue >= VALUE_TIER_FROM[tier + 1]!) tier++;
    population.valueTier[i] = tier;
  }
  return population;
}

/**
 * Signup times, ascending: the initial members joined before day 0 (more of them recently), the others
 * through the period, a little more as the business grows and in shopping seasons.
 */
function drawSignups(count: number, world: World, random: Random): Float64Array {
  const days = world.calendar.days;
  const seconds = new Float64Array(count);
  const peak = Math.max(...world.shoppingSeason) * 1.3;
  for (let i = 0; i < count; i++) {
    let day: number;
    if (random.next() < INITIAL_SHARE) {
      day = -1 - Math.min(2500, Math.floor(-Math.log(1 - random.next()) * INITIAL_MEAN_TENURE));
    } else {
      // Rejection sampling against growth × shopping season.
      for (;;) {
        day = random.nextInt(days);
        const weight = (1 + 0.3 * (day / days)) * world.shoppingSeason[day]!;
        if (random.next() * peak < weight) break;
      }
    }
    const second = 8 * 3600 + random.nextInt(15 * 3600); // joins between 08:00 and 23:00
    seconds[i] = day * SECONDS_PER_DAY + second;
  }
  return seconds.sort();
}
