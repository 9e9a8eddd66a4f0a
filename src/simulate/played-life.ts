// A customer's life played on after the simulated period: the history replayed exactly as the period drew
// it (one stream), then month after month on fresh streams (LifeStreams), with retention actions applied.
// Rows are passed on only from a chosen day, so a play writes just its new months.

import type { Random } from '../ml/random.js';
import type { Treatment } from './action-effects.js';
import {
  type ActivitySink,
  CustomerLife,
  type CustomerOutcome,
  type DriftProbe,
  type LifeStreams,
  oneStream,
} from './behaviour.js';
import { SECONDS_PER_DAY } from './calendar.js';
import type { Population } from './population.js';
import type { World } from './world.js';

export interface ForwardLife {
  /** How the life ended by the end of the played months (churnSecond −1: still a member). */
  outcome: CustomerOutcome;
  /** The drift at the start of `probeDay`, when asked for. */
  probe?: DriftProbe;
}

export interface ForwardOptions {
  /** Days of the simulated period (world.calendar.days of the original business): the history. */
  historyDays: number;
  /** The history's stream (customerRandom). */
  random: Random;
  /** The streams of a played month (by index into the calendar's months). */
  monthStreams: (month: number) => LifeStreams;
  /** Receives the rows from `emitFromDay` on (history rows are never emitted). */
  sink: ActivitySink;
  emitFromDay: number;
  treatments?: readonly Treatment[];
  probeDay?: number;
}

/**
 * Simulates customer `i` through the history exactly as the simulated period did, then through the months
 * of `world` after it (an extended world: extend-world.ts), month by month on fresh streams.
 */
export function simulateForward(
  world: World,
  population: Population,
  i: number,
  options: ForwardOptions,
): ForwardLife {
  const { historyDays, emitFromDay } = options;
  const days = world.calendar.days;
  const lastSecond = days * SECONDS_PER_DAY - 1;
  const window = new WindowSink(options.sink, emitFromDay * SECONDS_PER_DAY, lastSecond);
  // History rows only when asked for (to compare with the simulated period's): they are in its files.
  const history = emitFromDay < historyDays;
  const sink = history ? window : SILENT_SINK;
  const life = new CustomerLife(world, population, i, sink, options.treatments ?? [], options.probeDay);
  life.warmUp(options.random);
  life.run(life.firstDay, historyDays, oneStream(options.random), historyDays * SECONDS_PER_DAY - 1);
  if (options.probeDay === historyDays) life.takeProbe(true);
  if (life.outcome.churnSecond < 0) {
    life.sink = window;
    const { monthIndex } = world.calendar;
    // No second is too late while playing: the draws of a day do not depend on where the data ends.
    for (let from = Math.max(historyDays, life.firstDay); from < days && life.outcome.churnSecond < 0; ) {
      let to = from + 1;
      while (to < days && monthIndex[to] === monthIndex[from]) to++;
      life.run(from, to, options.monthStreams(monthIndex[from]!), Number.POSITIVE_INFINITY);
      from = to;
    }
    if (life.outcome.churnSecond > lastSecond) life.outcome = { churnSecond: -1, cause: -1, voluntary: true };
  }
  // A customer who left before the played months has no tickets in them.
  if (history || life.sink === window) life.emitTickets(lastSecond, emitFromDay * SECONDS_PER_DAY);
  if (options.probeDay === undefined) return { outcome: life.outcome };
  // No probe taken: the customer left before the day (or it lies beyond the played months).
  return { outcome: life.outcome, probe: life.probe ?? { member: false, mainCause: -1, readiness: 0 } };
}

/** Drops every row. */
export const SILENT_SINK: ActivitySink = {
  event() {},
  purchase() {},
  ticket() {},
  cancellation() {},
  monthlyHazard() {},
};

/** Passes on the rows from `fromSecond` through `lastSecond` (tickets: opened by then). */
class WindowSink implements ActivitySink {
  constructor(
    private readonly sink: ActivitySink,
    private readonly fromSecond: number,
    private readonly lastSecond: number,
  ) {}

  private inside(second: number): boolean {
    return second >= this.fromSecond && second <= this.lastSecond;
  }

  event(customer: number, second: number, eventType: number): void {
    if (this.inside(second)) this.sink.event(customer, second, eventType);
  }

  purchase(customer: number, second: number, cents: number, product: number, paymentMethod: number): void {
    if (this.inside(second)) this.sink.purchase(customer, second, cents, product, paymentMethod);
  }

  ticket(customer: number, opened: number, resolved: number, category: number, satisfaction: number): void {
    if (opened <= this.lastSecond) this.sink.ticket(customer, opened, resolved, category, satisfaction);
  }

  cancellation(customer: number, second: number, statedReason: number, voluntary: boolean): void {
    if (this.inside(second)) this.sink.cancellation(customer, second, statedReason, voluntary);
  }

  monthlyHazard(customer: number, monthStartDay: number, probability: number): void {
    if (this.inside(monthStartDay * SECONDS_PER_DAY))
      this.sink.monthlyHazard(customer, monthStartDay, probability);
  }
}
