// One customer's life, day by day from signup (or day 0) to cancellation or the end of the period: app
// sessions, purchases and monthly fees, service tickets, payment failures, and churn.
//
// Pressures from the market and the customer's experience (price increase × price sensitivity, competitor
// promotions × exposure, open tickets and bad satisfaction × service sensitivity, spontaneous fading)
// drive the disengagement D and the readiness to leave R (drift.ts). Activity falls as (1 − D)^2.5, the
// voluntary hazard rises with R⁴, and the cause of a churn is drawn in proportion to what drove it.
// A failed payment not recovered within the dunning period ends in an involuntary cancellation.
// Retention actions (action-effects.ts) act on the drift from the day they land; a life can be resumed
// run by run on other random streams, which is how months are played after the period (played-life.ts).

import type { Random } from '../ml/random.js';
import { ActionState, type Treatment } from './action-effects.js';
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

/**
 * The random streams a life draws from. In the simulated period all four are the customer's one stream (so
 * its files stay as they always were); in months played forward each month has four fresh ones, so a
 * treated and an untreated life draw the same fade episodes, tickets and churn uniforms (common random
 * numbers) and differ only by what the treatment changed.
 */
export interface LifeStreams {
  /** Fade episodes (drift.ts). */
  drift: Random;
  /** The daily churn draw, the cause and time of a cancellation, billing and payment failures. */
  account: Random;
  /** Tickets: how many, when, what about, how they go. */
  tickets: Random;
  /** Weekly noise, sessions and purchases. */
  activity: Random;
}

/** One stream for everything: how the simulated period draws. */
export function oneStream(random: Random): LifeStreams {
  return { drift: random, account: random, tickets: random, activity: random };
}

/** Simulates customer `i` with its own random stream, passing its rows to `sink`; returns how it ended. */
export function simulateCustomer(
  world: World,
  population: Population,
  i: number,
  random: Random,
  sink: ActivitySink,
  treatments: readonly Treatment[] = [],
): CustomerOutcome {
  const life = new CustomerLife(world, population, i, sink, treatments);
  const lastSecond = world.calendar.days * SECONDS_PER_DAY - 1;
  life.warmUp(random);
  life.run(life.firstDay, world.calendar.days, oneStream(random), lastSecond);
  life.emitTickets(lastSecond);
  return life.outcome;
}

/** The drift of a customer at the start of a day (before that day's treatments). */
export interface DriftProbe {
  /** False when the customer had not signed up or had already left. */
  member: boolean;
  /** Index into CHURN_CAUSES of the highest D_c: why the customer is drifting. */
  mainCause: number;
  /** R: readiness to leave. */
  readiness: number;
}

/** One customer's life, resumable: the history in one run, then played months one run each. */
export class CustomerLife {
  readonly firstDay: number;
  outcome: CustomerOutcome = { churnSecond: -1, cause: -1, voluntary: true };
  probe: DriftProbe | undefined;
  private readonly model: SegmentModel;
  private readonly signup: number;
  private readonly signupDay: number;
  private readonly plan: number;
  private readonly paymentMethod: number;
  private readonly billingDay: number;
  private readonly fadeRate: number;
  private readonly drift = new Drift();
  private readonly service = new ServiceHistory();
  private readonly actions: ActionState;
  private readonly hazards = new Float64Array(CHURN_CAUSES.length - 1);
  // Every row of a kind gets a later second than the one before, so no two rows of a customer share a key.
  private eventCursor: number;
  private purchaseCursor: number;
  private ticketCursor: number;
  private monthHazard = 0;
  private logNoise = 0;
  private weekNoise = 1;
  private retryDay = -1; // a failed payment is recovered on this day
  private involuntaryDay = -1; // a failed payment not recovered: cancelled on this day
  // Set per run: the streams of the days being simulated, and the last second rows may have.
  private streams!: LifeStreams;
  private lastSecond = 0;
  private runEnd = 0;

  constructor(
    private readonly world: World,
    private readonly population: Population,
    private readonly i: number,
    public sink: ActivitySink,
    treatments: readonly Treatment[],
    private readonly probeDay = Number.NaN,
  ) {
    this.model = SEGMENT_MODELS[population.segment[i]!]!;
    this.signup = population.signupSecond[i]!;
    this.signupDay = Math.floor(this.signup / SECONDS_PER_DAY);
    this.firstDay = Math.max(0, this.signupDay);
    this.plan = population.plan[i]!;
    this.paymentMethod = population.paymentMethod[i]!;
    this.billingDay = Math.min(28, world.calendar.dayOfMonthOf(this.signupDay));
    this.fadeRate = FADE_RATE * (1.5 - 0.4 * Math.min(population.engagement[i]!, 2.5));
    this.actions = new ActionState(treatments);
    this.eventCursor = Math.max(this.signup, -1);
    this.purchaseCursor = this.eventCursor;
    this.ticketCursor = this.eventCursor;
    if (this.probeDay < this.firstDay) this.takeProbe(false);
  }

  /** Drift before day 0 of members who joined earlier: they start mid-life. */
  warmUp(random: Random): void {
    const priceSensitivity = this.population.priceSensitivity[this.i]!;
    for (let d = Math.max(this.signupDay, -WARM_UP_DAYS); d < this.firstDay; d++) {
      this.drift.step(random, this.fadeRate, priceSensitivity * priceSensitivity * 0.2, 0, 0);
    }
  }

  /** Simulates days `from` … `to` − 1 (unless the customer leaves) with `streams`, rows up to `lastSecond`. */
  run(from: number, to: number, streams: LifeStreams, lastSecond: number): void {
    this.streams = streams;
    this.lastSecond = lastSecond;
    this.runEnd = to;
    const { world, population, i, model, drift, service, signupDay, firstDay, billingDay } = this;
    const calendar = world.calendar;
    const days = calendar.days;
    const engagement = population.engagement[i]!;
    const priceSensitivity = population.priceSensitivity[i]!;
    const serviceSensitivity = population.serviceSensitivity[i]!;
    const exposure = population.competitorExposure[i]!;
    const paymentFailure = population.paymentFailure[i]!;
    const region = population.region[i]!;
    const sessionRate = model.sessionsPerDay * engagement;
    const purchaseRate = model.purchasesPerDay * engagement ** 0.7;
    // Squared sensitivities: an increase or a promotion moves the sensitive few, not everyone a little.
    const priceWeight = priceSensitivity * priceSensitivity;
    const competitorWeight = 1.1 * exposure * exposure;

    for (let d = from; d < to; d++) {
      const daySecond = d * SECONDS_PER_DAY;
      if (d === this.probeDay) this.takeProbe(true);
      this.actions.startDay(d, drift, service, feeOn(world, this.plan, d));
      if ((d - firstDay) % 7 === 0) {
        this.logNoise = 0.5 * this.logNoise + 0.2 * normal(streams.activity); // good and bad weeks
        this.weekNoise = Math.exp(this.logNoise - 0.027);
      }
      service.startDay(d, daySecond);
      const shock = world.priceShock[this.plan * days + d]!;
      drift.step(
        streams.drift,
        this.fadeRate,
        priceWeight * (0.9 * shock + 0.2),
        service.pressure(serviceSensitivity),
        competitorWeight * world.competitorPull[region * days + d]!,
      );
      const base = model.baseHazard * world.churnSeason[d]! * (1 + 1.5 * Math.exp(-(d - signupDay) / 60));
      const unresolved = base * DRIFT.unresolvedGain * serviceSensitivity * Math.min(service.openAged, 2);
      const hazard = drift.hazards(base, unresolved, this.hazards);
      this.monthHazard += hazard;

      if (d === this.involuntaryDay) {
        const second = this.cancelSecond(daySecond + 3 * 3600);
        if (second <= this.lastSecond) {
          this.outcome = { churnSecond: second, cause: CAUSE.paymentFailure, voluntary: false };
          this.sink.cancellation(i, second, PAYMENT_FAILED, false);
          this.finishMonth(d, hazard);
          return;
        }
      }
      if (d > signupDay && streams.account.next() < hazard) {
        const second = this.cancelSecond(daySecond + 8 * 3600);
        if (second <= this.lastSecond) {
          const cause = this.drawCause(hazard);
          this.outcome = { churnSecond: second, cause, voluntary: true };
          this.sink.cancellation(i, second, statedReason(cause, streams.account), true);
          this.finishMonth(d, hazard);
          return;
        }
      }

      // Monthly fee: on signup, then on the billing day; a failure is retried or ends in cancellation.
      if (d === this.retryDay) {
        this.charge(d, 10 * 3600);
        this.retryDay = -1;
      } else if (d === signupDay) {
        this.charge(d, this.signup - daySecond + 30);
      } else if (
        d > signupDay &&
        calendar.dayOfMonth[d] === billingDay &&
        this.retryDay < 0 &&
        this.involuntaryDay < 0
      ) {
        if (streams.account.next() < paymentFailure) {
          if (streams.account.next() < PAYMENT_RECOVERY) this.retryDay = d + 1 + streams.account.nextInt(7);
          else this.involuntaryDay = d + DUNNING_DAYS;
        } else {
          this.charge(d, 2 * 3600);
        }
        this.monthHazard += -Math.log(1 - paymentFailure * (1 - PAYMENT_RECOVERY));
      }

      // Activity, damped by disengagement.
      const activity = (1 - drift.level) ** DRIFT.activityPower;
      const sessions = poisson(
        streams.activity,
        sessionRate * world.sessionSeason[d]! * activity * this.weekNoise,
      );
      this.sessions(d, sessions, 1 - drift.level / 2);
      const shopping = purchaseRate * world.shoppingSeason[d]! * activity * Math.sqrt(this.weekNoise);
      for (let p = poisson(streams.activity, shopping); p > 0; p--) this.purchase(d);
      const tickets = poisson(streams.tickets, model.ticketsPerDay * (1 + 3 * priceSensitivity * shock));
      for (let t = tickets; t > 0; t--) this.openTicket(d, shock);
      if (d + 1 === to || calendar.monthIndex[d + 1] !== calendar.monthIndex[d]) this.finishMonth(d, 0);
    }
  }

  /** Writes the tickets as they stand at `lastSecond` (from `fromSecond`: see ServiceHistory.emit). */
  emitTickets(lastSecond: number, fromSecond?: number): void {
    this.service.emit(this.sink, this.i, lastSecond, this.outcome.churnSecond, fromSecond);
  }

  /** Records the drift now, as of the start of the probe day. */
  takeProbe(member: boolean): void {
    this.probe = {
      member: member && this.outcome.churnSecond < 0,
      mainCause: this.drift.mainCause(),
      readiness: this.drift.readiness,
    };
  }

  /** A cause drawn in proportion to today's hazard per cause. */
  private drawCause(total: number): number {
    let u = this.streams.account.next() * total;
    for (let c = 0; c < this.hazards.length - 1; c++) {
      u -= this.hazards[c]!;
      if (u < 0) return c;
    }
    return this.hazards.length - 1;
  }

  /** A cancellation time from `earliest` (within 15 hours), after every row the customer has. */
  private cancelSecond(earliest: number): number {
    const latest = Math.max(this.eventCursor, this.purchaseCursor, this.ticketCursor);
    return Math.max(earliest + this.streams.account.nextInt(15 * 3600), latest + 1);
  }

  /** Emits the month's hazard; after a churn on day d the rest of the month counts at that day's rate. */
  private finishMonth(d: number, rateAfter: number): void {
    const calendar = this.world.calendar;
    let end = d + 1;
    while (end < this.runEnd && calendar.monthIndex[end] === calendar.monthIndex[d]) end++;
    const total = this.monthHazard + rateAfter * (end - d - 1);
    this.sink.monthlyHazard(this.i, calendar.monthStarts[calendar.monthIndex[d]!]!, 1 - Math.exp(-total));
    this.monthHazard = 0;
  }

  /** `count` app sessions on day d: a visit, sometimes a login, and page views (fewer at low `depth`). */
  private sessions(d: number, count: number, depth: number): void {
    if (count === 0) return;
    const { sink, i } = this;
    const random = this.streams.activity;
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
    const random = this.streams.activity;
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
    const t = Math.max(
      d * SECONDS_PER_DAY + secondOfDay + this.streams.account.nextInt(600),
      this.purchaseCursor + 1,
    );
    if (t > this.lastSecond) return;
    const discount = this.actions.discount();
    const fee = feeOn(this.world, this.plan, d) * 100;
    const cents = discount > 0 ? Math.round(fee * (1 - discount)) : fee;
    this.sink.purchase(this.i, t, cents, PRODUCTS.length + this.plan, this.paymentMethod);
    this.purchaseCursor = t;
  }

  private openTicket(d: number, shock: number): void {
    const random = this.streams.tickets;
    const t = Math.max(d * SECONDS_PER_DAY + 8 * 3600 + random.nextInt(14 * 3600), this.ticketCursor + 1);
    if (t > this.lastSecond) return;
    this.service.open(random, t, d, shock);
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
