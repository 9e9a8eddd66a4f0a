// One customer's life, day by day from signup (or day 0) to cancellation or the end of the period: app
// sessions, purchases and monthly fees, service tickets, payment failures, and churn.
//
// Pressures from the market and the customer's experience (price increase × price sensitivity, competitor
// promotions × exposure, open tickets and bad satisfaction × service sensitivity, spontaneous fading)
// drive the disengagement D and the readiness to leave R (drift.ts). Activity falls as (1 − D)^2.5, the
// voluntary hazard rises with R⁴, and the cause of a churn is drawn in proportion to what drove it.
// A failed payment not recovered within the dunning period ends in an involuntary cancellation.

import type { Random } from '../ml/random.js';
import {
  CAUSE,
  CHURN_CAUSES,
  DRIFT,
  DUNNING_DAYS,
  EVENT,
  PAYMENT_METHODS,
  PAYMENT_RECOVERY,
  PRODUCTS,
  SEGMENT_MODELS,
  type SegmentModel,
  STATED_REASON_MATCH,
  STATED_REASONS,
} from './business-model.js';
import { SECONDS_PER_DAY } from './calendar.js';
import { cumulativeWeights, logNormal, normal, pickIndex, poisson } from './draws.js';
import { Drift } from './drift.js';
import { ORDER_SIGMA, type Population } from './population.js';
import { ServiceHistory } from './service-history.js';
import { feeOn, type World } from './world.js';

/** Receives a customer's rows; times are whole seconds since day 0's midnight, ascending per kind. */
export interface ActivitySink {
  event(customer: number, second: number, eventType: number): void;
  /** `product` indexes PRODUCTS, or PRODUCTS.length + plan for a monthly fee. */
  purchase(customer: number, second: number, cents: number, product: number, paymentMethod: number): void;
  /** `resolvedSecond` −1: not resolved by the end of the data; `satisfaction` 0: none given. */
  ticket(
    customer: number,
    openedSecond: number,
    resolvedSecond: number,
    category: number,
    satisfaction: number,
  ): void;
  cancellation(customer: number, second: number, statedReason: number, voluntary: boolean): void;
  /**
   * The customer's true probability of churning in the calendar month starting on `monthStartDay`:
   * 1 − exp(−Σ daily hazards) over the days of the month the customer was a member (after a churn, the
   * rest of the month at that day's rate), each billing day adding the risk of an unrecovered failure.
   */
  monthlyHazard(customer: number, monthStartDay: number, probability: number): void;
}

export interface CustomerOutcome {
  /** Second of the cancellation; −1 while still a member at the end. */
  churnSecond: number;
  /** Index into CHURN_CAUSES; −1 while still a member. */
  cause: number;
  voluntary: boolean;
}

/** Relative app use by hour of day (Beijing wall time, written as is). */
const SESSION_HOURS = cumulativeWeights([
  0.3, 0.15, 0.1, 0.05, 0.05, 0.1, 0.4, 0.9, 1.2, 1.2, 1.1, 1.2, 1.6, 1.3, 1, 1, 1, 1.1, 1.3, 1.7, 2.1, 2.3,
  1.8, 0.9,
]);
const PRODUCT_WEIGHTS = cumulativeWeights([0.35, 0.2, 0.2, 0.15, 0.1]);
const PRODUCT_PRICE = [0.6, 1, 1, 0.9, 2.5];
const LOGIN_SHARE = 0.3;
/** Chance that a session views a page, and then another (1.5 pages per session; fewer when drifting). */
const FIRST_PAGE = 0.75;
const NEXT_PAGE = 0.5;
/** Daily chance that a fade episode starts, for a customer of engagement 1 (less engaged fade more). */
const FADE_RATE = 1 / 2500;
/** Days of drift simulated (without rows) before day 0 for members who joined earlier: they start mid-life. */
const WARM_UP_DAYS = 180;

/** The stated reason that matches each voluntary cause, and all voluntary reasons. */
const REASON_OF_CAUSE = ['no_longer_needed', 'too_expensive', 'poor_service', 'switched_to_competitor'].map(
  (reason) => STATED_REASONS.indexOf(reason as (typeof STATED_REASONS)[number]),
);
const VOLUNTARY_REASONS = [...REASON_OF_CAUSE, STATED_REASONS.indexOf('other')];
const PAYMENT_FAILED = STATED_REASONS.indexOf('payment_failed');

/** Simulates customer `i` with its own random stream, passing its rows to `sink`; returns how it ended. */
export function simulateCustomer(
  world: World,
  population: Population,
  i: number,
  random: Random,
  sink: ActivitySink,
): CustomerOutcome {
  return new CustomerLife(world, population, i, random, sink).live();
}

class CustomerLife {
  private readonly model: SegmentModel;
  private readonly days: number;
  private readonly lastSecond: number;
  private readonly signup: number;
  private readonly signupDay: number;
  private readonly plan: number;
  private readonly paymentMethod: number;
  private readonly drift = new Drift();
  private readonly service = new ServiceHistory();
  private readonly hazards = new Float64Array(CHURN_CAUSES.length - 1);
  // Every row of a kind gets a later second than the one before, so no two rows of a customer share a key.
  private eventCursor: number;
  private purchaseCursor: number;
  private ticketCursor: number;
  private monthHazard = 0;

  constructor(
    private readonly world: World,
    private readonly population: Population,
    private readonly i: number,
    private readonly random: Random,
    private readonly sink: ActivitySink,
  ) {
    this.model = SEGMENT_MODELS[population.segment[i]!]!;
    this.days = world.calendar.days;
    this.lastSecond = this.days * SECONDS_PER_DAY - 1;
    this.signup = population.signupSecond[i]!;
    this.signupDay = Math.floor(this.signup / SECONDS_PER_DAY);
    this.plan = population.plan[i]!;
    this.paymentMethod = population.paymentMethod[i]!;
    this.eventCursor = Math.max(this.signup, -1);
    this.purchaseCursor = this.eventCursor;
    this.ticketCursor = this.eventCursor;
  }

  live(): CustomerOutcome {
    const { world, population, i, random, model, drift, service, days, signupDay } = this;
    const calendar = world.calendar;
    const engagement = population.engagement[i]!;
    const priceSensitivity = population.priceSensitivity[i]!;
    const serviceSensitivity = population.serviceSensitivity[i]!;
    const exposure = population.competitorExposure[i]!;
    const paymentFailure = population.paymentFailure[i]!;
    const region = population.region[i]!;
    const fadeRate = FADE_RATE * (1.5 - 0.4 * Math.min(engagement, 2.5));
    const sessionRate = model.sessionsPerDay * engagement;
    const purchaseRate = model.purchasesPerDay * engagement ** 0.7;
    const billingDay = Math.min(28, calendar.dayOfMonthOf(signupDay));
    // Squared sensitivities: an increase or a promotion moves the sensitive few, not everyone a little.
    const priceWeight = priceSensitivity * priceSensitivity;
    const competitorWeight = 1.1 * exposure * exposure;

    const firstDay = Math.max(0, signupDay);
    for (let d = Math.max(signupDay, -WARM_UP_DAYS); d < firstDay; d++) {
      drift.step(random, fadeRate, priceWeight * 0.2, 0, 0);
    }
    let logNoise = 0;
    let weekNoise = 1;
    let retryDay = -1; // a failed payment is recovered on this day
    let involuntaryDay = -1; // a failed payment not recovered: cancelled on this day
    let outcome: CustomerOutcome = { churnSecond: -1, cause: -1, voluntary: true };

    for (let d = firstDay; d < days; d++) {
      const daySecond = d * SECONDS_PER_DAY;
      if ((d - firstDay) % 7 === 0) {
        logNoise = 0.5 * logNoise + 0.2 * normal(random); // good and bad weeks
        weekNoise = Math.exp(logNoise - 0.027);
      }
      service.startDay(d, daySecond);
      const shock = world.priceShock[this.plan * days + d]!;
      drift.step(
        random,
        fadeRate,
        priceWeight * (0.9 * shock + 0.2),
        service.pressure(serviceSensitivity),
        competitorWeight * world.competitorPull[region * days + d]!,
      );
      const base = model.baseHazard * world.churnSeason[d]! * (1 + 1.5 * Math.exp(-(d - signupDay) / 60));
      const unresolved = base * DRIFT.unresolvedGain * serviceSensitivity * Math.min(service.openAged, 2);
      const hazard = drift.hazards(base, unresolved, this.hazards);
      this.monthHazard += hazard;

      if (d === involuntaryDay) {
        const second = this.cancelSecond(daySecond + 3 * 3600);
        if (second <= this.lastSecond) {
          outcome = { churnSecond: second, cause: CAUSE.paymentFailure, voluntary: false };
          this.sink.cancellation(i, second, PAYMENT_FAILED, false);
          this.finishMonth(d, hazard);
          break;
        }
      }
      if (d > signupDay && random.next() < hazard) {
        const second = this.cancelSecond(daySecond + 8 * 3600);
        if (second <= this.lastSecond) {
          const cause = this.drawCause(hazard);
          outcome = { churnSecond: second, cause, voluntary: true };
          this.sink.cancellation(i, second, statedReason(cause, random), true);
          this.finishMonth(d, hazard);
          break;
        }
      }

      // Monthly fee: on signup, then on the billing day; a failure is retried or ends in cancellation.
      if (d === retryDay) {
        this.charge(d, 10 * 3600);
        retryDay = -1;
      } else if (d === signupDay) {
        this.charge(d, this.signup - daySecond + 30);
      } else if (
        d > signupDay &&
        calendar.dayOfMonth[d] === billingDay &&
        retryDay < 0 &&
        involuntaryDay < 0
      ) {
        if (random.next() < paymentFailure) {
          if (random.next() < PAYMENT_RECOVERY) retryDay = d + 1 + random.nextInt(7);
          else involuntaryDay = d + DUNNING_DAYS;
        } else {
          this.charge(d, 2 * 3600);
        }
        this.monthHazard += -Math.log(1 - paymentFailure * (1 - PAYMENT_RECOVERY));
      }

      // Activity, damped by disengagement.
      const activity = (1 - drift.level) ** DRIFT.activityPower;
      const sessions = poisson(random, sessionRate * world.sessionSeason[d]! * activity * weekNoise);
      this.sessions(d, sessions, 1 - drift.level / 2);
      const shopping = purchaseRate * world.shoppingSeason[d]! * activity * Math.sqrt(weekNoise);
      for (let p = poisson(random, shopping); p > 0; p--) this.purchase(d);
      for (let t = poisson(random, model.ticketsPerDay * (1 + 3 * priceSensitivity * shock)); t > 0; t--) {
        this.openTicket(d, shock);
      }
      if (d + 1 === days || calendar.monthIndex[d + 1] !== calendar.monthIndex[d]) this.finishMonth(d, 0);
    }
    service.emit(this.sink, i, this.lastSecond, outcome.churnSecond);
    return outcome;
  }

  /** A cause drawn in proportion to today's hazard per cause. */
  private drawCause(total: number): number {
    let u = this.random.next() * total;
    for (let c = 0; c < this.hazards.length - 1; c++) {
      u -= this.hazards[c]!;
      if (u < 0) return c;
    }
    return this.hazards.length - 1;
  }

  /** A cancellation time from `earliest` (within 15 hours), after every row the customer has. */
  private cancelSecond(earliest: number): number {
    const latest = Math.max(this.eventCursor, this.purchaseCursor, this.ticketCursor);
    return Math.max(earliest + this.random.nextInt(15 * 3600), latest + 1);
  }

  /** Emits the month's hazard; after a churn on day d the rest of the month counts at that day's rate. */
  private finishMonth(d: number, rateAfter: number): void {
    const calendar = this.world.calendar;
    let end = d + 1;
    while (end < this.days && calendar.monthIndex[end] === calendar.monthIndex[d]) end++;
    const total = this.monthHazard + rateAfter * (end - d - 1);
    this.sink.monthlyHazard(this.i, calendar.monthStarts[calendar.monthIndex[d]!]!, 1 - Math.exp(-total));
    this.monthHazard = 0;
  }

  /** `count` app sessions on day d: a visit, sometimes a login, and page views (fewer at low `depth`). */
  private sessions(d: number, count: number, depth: number): void {
    if (count === 0) return;
    const { random, sink, i } = this;
    const starts: number[] = [];
    for (let s = 0; s < count; s++) starts.push(d * SECONDS_PER_DAY + sessionSecond(random));
    starts.sort((a, b) => a - b);
    for (const start of starts) {
      let t = Math.max(start, this.eventCursor + 1);
      if (t > this.lastSecond) return;
      sink.event(i, t, EVENT.visit);
      this.eventCursor = t;
      if (random.next() < LOGIN_SHARE) {
        t += 2 + random.nextInt(20);
        if (t > this.lastSecond) return;
        sink.event(i, t, EVENT.login);
        this.eventCursor = t;
      }
      let next = FIRST_PAGE * depth;
      while (random.next() < next) {
        t += 5 + random.nextInt(110);
        if (t > this.lastSecond) return;
        sink.event(i, t, EVENT.pageView);
        this.eventCursor = t;
        next = NEXT_PAGE * depth;
      }
    }
  }

  private purchase(d: number): void {
    const random = this.random;
    const t = Math.max(d * SECONDS_PER_DAY + sessionSecond(random), this.purchaseCursor + 1);
    if (t > this.lastSecond) return;
    const product = pickIndex(random, PRODUCT_WEIGHTS);
    const median = this.model.orderMedian * this.population.spend[this.i]! * PRODUCT_PRICE[product]!;
    const cents = Math.max(100, Math.round(logNormal(random, median, ORDER_SIGMA) * 100));
    const paidWith = random.next() < 0.9 ? this.paymentMethod : random.nextInt(PAYMENT_METHODS.length);
    this.sink.purchase(this.i, t, cents, product, paidWith);
    this.purchaseCursor = t;
  }

  /** The monthly fee, charged around `secondOfDay` on day d. */
  private charge(d: number, secondOfDay: number): void {
    const t = Math.max(d * SECONDS_PER_DAY + secondOfDay + this.random.nextInt(600), this.purchaseCursor + 1);
    if (t > this.lastSecond) return;
    const cents = feeOn(this.world, this.plan, d) * 100;
    this.sink.purchase(this.i, t, cents, PRODUCTS.length + this.plan, this.paymentMethod);
    this.purchaseCursor = t;
  }

  private openTicket(d: number, shock: number): void {
    const t = Math.max(
      d * SECONDS_PER_DAY + 8 * 3600 + this.random.nextInt(14 * 3600),
      this.ticketCursor + 1,
    );
    if (t > this.lastSecond) return;
    this.service.open(this.random, t, d, shock);
    this.ticketCursor = t;
  }
}

/** A second of the day in an hour drawn from SESSION_HOURS. */
function sessionSecond(random: Random): number {
  return pickIndex(random, SESSION_HOURS) * 3600 + random.nextInt(3600);
}

/** What the customer says when cancelling: the true cause's reason most of the time. */
function statedReason(cause: number, random: Random): number {
  if (random.next() < STATED_REASON_MATCH) return REASON_OF_CAUSE[cause]!;
  return VOLUNTARY_REASONS[random.nextInt(VOLUNTARY_REASONS.length)]!;
}
