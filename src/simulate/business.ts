// `simulateBusiness`: the demo business's options checked, its market and customers drawn. The customers'
// day-by-day lives are simulated as they are written (write-business.ts), so no row is ever held in memory.
//
// The simulator, one job per file: calendar.ts (days, timestamps) · world.ts (seasons, the price increase,
// competitor promotions) · population.ts (customers and latent traits) · behaviour.ts (one customer's days)
// with drift.ts (disengagement, hazard) and service-history.ts (tickets) · data-quality.ts (planted bad
// rows) · business-writer.ts and csv-file.ts (rows as CSV) · write-business.ts (the demo folder) ·
// ground-truth.ts (the truth tables) · business-model.ts (every rate, in one place). After the period:
// action-effects.ts (retention actions in the drift model) · played-life.ts (a life played on after the
// end) · treatment-truth.ts (each campaign customer with and without its action) · play-forward.ts and
// play-writer.ts (the following months as new files, with the campaign's truth).

import { InputError } from '../errors.js';
import { Random } from '../ml/random.js';
import type { LifeStreams } from './behaviour.js';
import { Calendar, isoDay, parseIsoDay, SECONDS_PER_DAY } from './calendar.js';
import { buildPopulation, type Population } from './population.js';
import { buildWorld, extendWorld, type World } from './world.js';

export interface BusinessOptions {
  /** Customers, including those who were members before the first simulated day (default 20 000). */
  customers?: number;
  /** Calendar months simulated, the last one ending on `end` (default 18). */
  months?: number;
  /** Default 7. */
  seed?: number;
  /** The last simulated day, `YYYY-MM-DD` (default 2026-10-31, so a seed always gives the same files). */
  end?: string;
}

export interface BusinessSimulation {
  customers: number;
  months: number;
  seed: number;
  end: string;
  world: World;
  population: Population;
}

export const DEFAULT_END = '2026-10-31';
export const MAX_CUSTOMERS = 9_999_999;

/**
 * Random streams: one for the market, one for the customers' profiles, one for bad rows, one per customer;
 * for the months played after the end (play-forward.ts) one per month for the market and four per
 * customer and month, far above the customers' streams.
 */
const STREAM = {
  world: 0,
  population: 1,
  quality: 2,
  firstCustomer: 16,
  playedWorld: 2 ** 36,
  playedCustomers: 2 ** 40,
} as const;
/** Played months are numbered by their index into the calendar's months, below this. */
export const MAX_MONTHS_PLAYED = 2048;

/** Checks the options and draws the market and the customers (fast: no activity yet). */
export function simulateBusiness(options: BusinessOptions = {}): BusinessSimulation {
  const customers = options.customers ?? 20_000;
  const months = options.months ?? 18;
  const seed = options.seed ?? 7;
  const end = options.end ?? DEFAULT_END;
  wholeNumber('customers', customers, 1, MAX_CUSTOMERS);
  wholeNumber('months', months, 1, 120);
  wholeNumber('seed', seed, 0, Number.MAX_SAFE_INTEGER);
  let calendar: Calendar;
  try {
    calendar = new Calendar(end, months);
  } catch (error) {
    throw new InputError((error as Error).message, { key: 'end' }, { cause: error });
  }
  const world = buildWorld(calendar, new Random(seed, STREAM.world));
  const population = buildPopulation(customers, world, new Random(seed, STREAM.population));
  return { customers, months, seed, end, world, population };
}

/** The id of customer i (0-based): C0000001, C0000002, … */
export function customerId(i: number): string {
  return `C${String(i + 1).padStart(7, '0')}`;
}

/** Customer i's own random stream: its life does not depend on the others'. */
export function customerRandom(simulation: BusinessSimulation, i: number): Random {
  return new Random(simulation.seed, STREAM.firstCustomer + i);
}

/**
 * The market of the simulation continued `months` calendar months after `end` (which must be the last day
 * of its month): the same over the simulated period, then the same market going on.
 */
export function playedWorld(simulation: BusinessSimulation, months: number): World {
  wholeNumber('months', months, 0, MAX_MONTHS_PLAYED - simulation.months);
  const endMs = parseIsoDay(simulation.end, 'end');
  const end = new Date(endMs);
  if (new Date(endMs + 86_400_000).getUTCDate() !== 1) {
    throw new InputError(`end=${simulation.end} must be the last day of a month to play months after it`, {
      key: 'end',
    });
  }
  const playedEnd = isoDay(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + months + 1, 0));
  const calendar = new Calendar(playedEnd, simulation.months + months);
  return extendWorld(simulation.world, calendar, (m) => new Random(simulation.seed, STREAM.playedWorld + m));
}

/** Customer i's four streams for played month `month` (index into the calendar's months). */
export function playedStreams(simulation: BusinessSimulation, i: number, month: number): LifeStreams {
  const first = STREAM.playedCustomers + (i * MAX_MONTHS_PLAYED + month) * 4;
  const { seed } = simulation;
  return {
    drift: new Random(seed, first),
    account: new Random(seed, first + 1),
    tickets: new Random(seed, first + 2),
    activity: new Random(seed, first + 3),
  };
}

/** The stream that decides where bad rows are planted. */
export function qualityRandom(simulation: BusinessSimulation): Random {
  return new Random(simulation.seed, STREAM.quality);
}

/** The last second of the data (end of `end`, UTC): pass it to ingest as `now` so only planted rows are "future". */
export function dataEnd(simulation: BusinessSimulation): Date {
  const { calendar } = simulation.world;
  return new Date(calendar.startMs + (calendar.days * SECONDS_PER_DAY - 1) * 1000);
}

function wholeNumber(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new InputError(`${name}=${value} must be a whole number from ${min} to ${max}`, { key: name });
  }
}
