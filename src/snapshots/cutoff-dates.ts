// Training cutoffs: midnight-UTC dates stepped back from the latest one whose churn horizon has fully
// passed in the data, keeping only those with enough history before them.

import { InputError } from '../errors.js';
import { normalizeCutoff } from '../features/cutoff.js';

const DAY_MS = 86_400_000;

export interface CutoffDatesOptions {
  /** First activity in the data (`YYYY-MM-DD[ HH:MM:SS]`), e.g. `dataRange(warehouse).start`. */
  dataStart: string;
  /** Last activity in the data, e.g. `dataRange(warehouse).end`. */
  dataEnd: string;
  /** H, the churn horizon: a cutoff T is kept only when T + H ≤ dataEnd (its labels are all known). */
  horizonDays: number;
  /** Days between consecutive cutoffs (default 30). */
  stepDays?: number;
  /** Days of data a cutoff needs before it: T ≥ dataStart + minHistoryDays (default 90). */
  minHistoryDays?: number;
  /** At most this many cutoffs, the newest kept. */
  max?: number;
}

/**
 * Cutoff dates `YYYY-MM-DD` (midnight UTC), OLDEST FIRST. The newest is the last midnight T with
 * T + H ≤ dataEnd; the others step back by stepDays while T ≥ dataStart + minHistoryDays. Empty when
 * the data is too short for even one.
 */
export function cutoffDates(options: CutoffDatesOptions): string[] {
  const stepDays = options.stepDays ?? 30;
  const minHistoryDays = options.minHistoryDays ?? 90;
  wholeDays('horizonDays', options.horizonDays, 1);
  wholeDays('stepDays', stepDays, 1);
  wholeDays('minHistoryDays', minHistoryDays, 0);
  if (options.max !== undefined) wholeDays('max', options.max, 1);
  const start = toMs(options.dataStart, 'dataStart');
  const end = toMs(options.dataEnd, 'dataEnd');
  if (end < start) {
    throw new InputError(`dataEnd=${options.dataEnd} is before dataStart=${options.dataStart}`, {
      key: 'dataEnd',
    });
  }
  return matureCutoffs(start, end, options.horizonDays, stepDays, minHistoryDays, options.max ?? Infinity);
}

function matureCutoffs(
  start: number,
  end: number,
  horizonDays: number,
  stepDays: number,
  minHistoryDays: number,
  max: number,
): string[] {
  const newest = Math.floor((end - horizonDays * DAY_MS) / DAY_MS) * DAY_MS;
  const earliest = start + minHistoryDays * DAY_MS;
  const newestFirst: string[] = [];
  for (let t = newest; t >= earliest && newestFirst.length < max; t -= stepDays * DAY_MS) {
    newestFirst.push(new Date(t).toISOString().slice(0, 10));
  }
  return newestFirst.reverse();
}

function wholeDays(key: string, value: number, min: number): void {
  if (!(Number.isInteger(value) && value >= min)) {
    throw new InputError(`${key}=${value} must be a whole number >= ${min}`, { key });
  }
}

/** A naive timestamp read as UTC, in ms. */
function toMs(text: string, key: string): number {
  try {
    return Date.parse(`${normalizeCutoff(text).replace(' ', 'T')}Z`);
  } catch (error) {
    throw new InputError(`${key}="${text}" is not a date`, { key }, { cause: error });
  }
}
